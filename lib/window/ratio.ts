// Percentages over a sliding window: numerators by key over one shared denominator (errors by status / requests).
// markTotal() and a bound numerator's mark(): one clock read, one compare, one add; no allocation. percent(): O(slots).
// Always: every numerator shares the denominator's slot grid, so both sides of a percentage cover the same time.
import type { WindowOptions } from './options.js';
import type { Clock } from '../clock.js';
import { SlotRing } from './ring.js';
import { SlotWindow } from './slot-window.js';

/**
 * The denominator of a family of percentages, e.g. all requests of feature_server_errors_rate. Bind one
 * numerator per key once (`const s500 = errors.numerator()`), keep it, and mark both sides on the hot path:
 * `errors.markTotal(); if (status === 500) s500.mark();`.
 *
 * Counts are whole numbers in Float64 slots, exact below 2^53 (see RateWindow). Percentages are 0 while the
 * denominator is 0 (not NaN), so dashboards stay quiet at idle. They are not clamped: a numerator marked
 * without its total reads above 100, which points at the caller rather than hiding the miscount.
 */
export class RatioWindow extends SlotWindow {
  /** Kept only so reset() can clear them; release() drops one, so removed keys do not accumulate. */
  readonly #numerators = new Map<RatioNumerator, SlotRing>();

  constructor(options?: WindowOptions) {
    super(options, [0]);
  }

  /** Records `n` events of the denominator now (default 1). O(1), no allocation. */
  markTotal(n = 1): void {
    this.data[this.ring.at(this.clock.now()) + 1]! += n;
  }

  /** Binds a new numerator over this denominator; call once per key and keep the result. O(slots). */
  numerator(): RatioNumerator {
    const { slotMs, slots } = this.ring;
    const ring = new SlotRing(slotMs, slots, [0], this.ring.origin);
    const numerator = new RatioNumerator(this.clock, ring, this.ring);
    this.#numerators.set(numerator, ring);
    return numerator;
  }

  /** Numerators currently bound (each holds a slot ring until released). */
  get numeratorCount(): number {
    return this.#numerators.size;
  }

  /** Unbinds a numerator that will no longer be read (its key was removed). O(1). */
  release(numerator: RatioNumerator): void {
    this.#numerators.delete(numerator);
  }

  /** Denominator events recorded in the window. O(slots). */
  total(): number {
    this.ring.advance(this.clock.now());
    return this.ring.sum(0);
  }

  /** Forgets the denominator and every numerator and starts a fresh window now. O(slots × numerators). */
  override reset(): void {
    const now = this.clock.now();
    this.ring.reset(now);
    for (const ring of this.#numerators.values()) ring.reset(now);
  }
}

/** One numerator of a RatioWindow; obtain it from `RatioWindow.numerator()`. */
export class RatioNumerator {
  readonly #clock: Clock;
  readonly #ring: SlotRing;
  readonly #data: Float64Array;
  readonly #denominator: SlotRing;

  /** @internal use `RatioWindow.numerator()`. */
  constructor(clock: Clock, ring: SlotRing, denominator: SlotRing) {
    this.#clock = clock;
    this.#ring = ring;
    this.#data = ring.data;
    this.#denominator = denominator;
  }

  /** Records `n` numerator events now (default 1); mark the total too. O(1), no allocation. */
  mark(n = 1): void {
    this.#data[this.#ring.at(this.#clock.now()) + 1]! += n;
  }

  /** 100 × numerator / denominator over the window; 0 when the denominator is 0. O(slots). */
  percent(): number {
    const now = this.#clock.now();
    this.#ring.advance(now);
    this.#denominator.advance(now);
    const total = this.#denominator.sum(0);
    return total === 0 ? 0 : (this.#ring.sum(0) * 100) / total;
  }

  /** Numerator events recorded in the window. O(slots). */
  count(): number {
    this.#ring.advance(this.#clock.now());
    return this.#ring.sum(0);
  }
}

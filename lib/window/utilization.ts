// Utilization in percent over a sliding window: from busy-time reports, or from event-loop utilization deltas.
// reportBusy(): one clock read, one compare, one add; no allocation. percent(): O(slots) (+ one ELU sample).
// Always: percent() is in [0, 100] and is 0 at idle or before any time has been measured.
import type { WindowOptions } from './options.js';
import { performance } from 'node:perf_hooks';
import { SlotWindow } from './slot-window.js';

/**
 * Busy time reported by the caller over the time the window covers (see RateWindow for what it covers,
 * including the one-slot floor while the window is young). A report lands whole in the slot current when it
 * is made, so work longer than a slot is counted when it ends; the result is clamped to [0, 100].
 */
export class UtilizationWindow extends SlotWindow {

  constructor(options?: WindowOptions) {
    super(options, [0]);
  }

  /** Adds `ms` of busy time now, e.g. the duration of a request that just finished. O(1), no allocation. */
  reportBusy(ms: number): void {
    this.data[this.ring.at(this.clock.now()) + 1]! += ms;
  }

  /** Busy ms reported in the window (the numerator of percent(); coveredMs() is its divisor). O(slots). */
  busyMs(): number {
    this.ring.advance(this.clock.now());
    return this.ring.sum(0);
  }

  /** Busy ms / covered ms × 100 over the window, clamped to [0, 100]. O(slots). */
  percent(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    return clampPercent((ring.sum(0) * 100) / ring.spanMs());
  }
}

/** Cumulative event-loop time in ms, as `performance.eventLoopUtilization()` returns it. */
export interface EluSample {
  readonly active: number;
  readonly idle: number;
}

/** Where an EventLoopUtilizationWindow reads cumulative event-loop time; injectable so specs can fake it. */
export type EluSource = () => EluSample;

/** Node's own event-loop utilization counters. */
export const nodeEventLoop: EluSource = () => performance.eventLoopUtilization();

export interface EventLoopUtilizationOptions extends WindowOptions {
  /** Cumulative event-loop time source. Default `nodeEventLoop`. */
  source?: EluSource;
}

/**
 * Event-loop utilization over the window: active / (active + idle) time. The source is sampled only at read
 * time (scrapes), and each delta lands whole in the slot current at that read, so the resolution is the read
 * interval: with scrapes every 15 s into a 300 s window, one delta straddling the window start moves the
 * reading by at most 15/300 of its share. Deltas below zero (a source that was reset) count as zero.
 */
export class EventLoopUtilizationWindow extends SlotWindow {
  readonly #source: EluSource;
  #active = 0;
  #idle = 0;

  constructor(options: EventLoopUtilizationOptions = {}) {
    const source = options.source ?? nodeEventLoop;
    if (typeof source !== 'function') {
      throw new TypeError(`invalid utilization source=${String(source)}: must be a function returning { active, idle } in ms; omit it to use nodeEventLoop`);
    }
    super(options, [0, 0]);
    this.#source = source;
    this.#baseline();
  }

  /** Samples the source, then returns active / (active + idle) × 100 over the window, in [0, 100]. O(slots). */
  percent(): number {
    const [active, total] = this.times();
    return total > 0 ? clampPercent((active * 100) / total) : 0;
  }

  /** Samples the source, then returns [active ms, active + idle ms] over the window. O(slots). */
  times(): [activeMs: number, totalMs: number] {
    const { active, idle } = this.#source();
    const activeDelta = Math.max(0, active - this.#active);
    const idleDelta = Math.max(0, idle - this.#idle);
    this.#active = active;
    this.#idle = idle;
    const ring = this.ring;
    const now = this.clock.now();
    const b = ring.at(now) + 1;
    this.data[b]! += activeDelta;
    this.data[b + 1]! += activeDelta + idleDelta;
    ring.advance(now);
    return [ring.sum(0), ring.sum(1)];
  }

  /** Forgets every sample and starts a fresh window now, measuring from the source's current reading. O(slots). */
  override reset(): void {
    super.reset();
    this.#baseline();
  }

  #baseline(): void {
    const { active, idle } = this.#source();
    this.#active = active;
    this.#idle = idle;
  }
}

// NaN (e.g. from a NaN busy report) reads as 0 rather than leaking into a percentage.
function clampPercent(p: number): number {
  return p > 100 ? 100 : p > 0 ? p : 0;
}

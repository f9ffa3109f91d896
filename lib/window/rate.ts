// Events (or rows) per second over a sliding window, e.g. feature_service_requests_rate over five minutes.
// mark(): one clock read, one compare, one add into the current slot; no allocation. rate(): O(slots).
// Always: counts are whole numbers in Float64 slots, exact while the window total stays below 2^53.
import type { WindowOptions } from './options.js';
import { SlotWindow } from './slot-window.js';

/**
 * Counts events into time slots and reports their rate over the window.
 *
 * Precision: a slot holds an integer count in a Float64, exact up to 2^53 (9·10^15); slots are zeroed when
 * reused, never decremented, so nothing drifts however long the process runs. At the default 300 s window
 * that allows 3·10^13 events per second before a read can round.
 *
 * Rate = events in the window / seconds the window covers. Once full, the window covers the current partial
 * slot plus the `slots - 1` before it, so steady traffic reads exactly; a burst can move the reading by at
 * most one slot's worth of events. While younger than the window (after creation or reset), the divisor is
 * the time actually elapsed, so a fresh service does not under-report; it is floored at one slot width, so a
 * single event at t = 0 reads as 1/slot-seconds rather than millions per second.
 *
 * A clock that stands still or steps back records into the current slot (no count lost, no negative rate).
 */
export class RateWindow extends SlotWindow {

  constructor(options?: WindowOptions) {
    super(options, [0]);
  }

  /** Records `n` events now (default 1); `n` should be a non-negative integer. O(1), no allocation. */
  mark(n = 1): void {
    this.data[this.ring.at(this.clock.now()) + 1]! += n;
  }

  /** Events per second over the window; 0 when idle. O(slots). */
  rate(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    return (ring.sum(0) * 1000) / ring.spanMs();
  }

  /** Events recorded in the window. O(slots). */
  count(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    return ring.sum(0);
  }

  /** Window length in ms. */
  get windowMs(): number {
    return this.ring.slotMs * this.ring.slots;
  }

  /** Slot width in ms. */
  get slotMs(): number {
    return this.ring.slotMs;
  }
}

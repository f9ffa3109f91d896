// Maximum, minimum and average of values recorded over a sliding window, e.g. spark_stream_max_processed_event_age.
// record(): one clock read, two compares, up to four slot updates; no allocation. max(), min(), average(): O(slots).
// Always: each reads 0 when the window holds no value (not NaN, not ±Infinity), so idle dashboards stay quiet.
import type { WindowOptions } from './options.js';
import { SlotWindow } from './slot-window.js';

const COUNT = 0;
const SUM = 1;
const MAX = 2;
// The minimum is kept negated, so the ring's max() over this column gives -min and empty slots stay -Infinity.
const NEG_MIN = 3;

/**
 * Per slot: how many values, their sum, their maximum and their (negated) minimum. The window is the current slot and the
 * `slots - 1` before it, as for RateWindow; a value leaves the window whole when its slot expires.
 *
 * NaN is dropped on record, since one NaN would otherwise make the average NaN for a whole window.
 * Sums are plain Float64 additions within a slot; slots are zeroed when reused, so error never accumulates
 * beyond one window's worth of additions.
 */
export class MaxAvgWindow extends SlotWindow {

  constructor(options?: WindowOptions) {
    super(options, [0, 0, -Infinity, -Infinity]);
  }

  /** Records one value now (e.g. an age in seconds). O(1), no allocation. */
  record(value: number): void {
    if (value !== value) return;
    const b = this.ring.at(this.clock.now()) + 1;
    const data = this.data;
    data[b + COUNT]!++;
    data[b + SUM]! += value;
    if (value > data[b + MAX]!) data[b + MAX] = value;
    if (-value > data[b + NEG_MIN]!) data[b + NEG_MIN] = -value;
  }

  /** Largest value recorded in the window; 0 when it holds none. O(slots). */
  max(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    return ring.sum(COUNT) === 0 ? 0 : ring.max(MAX);
  }

  /** Smallest value recorded in the window; 0 when it holds none. O(slots). */
  min(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    return ring.sum(COUNT) === 0 ? 0 : -ring.max(NEG_MIN);
  }

  /** How many values the window holds. O(slots). */
  count(): number {
    this.ring.advance(this.clock.now());
    return this.ring.sum(COUNT);
  }

  /** The sum of the values the window holds. O(slots). */
  sum(): number {
    this.ring.advance(this.clock.now());
    return this.ring.sum(SUM);
  }

  /** Sum / count of the values recorded in the window; 0 when it holds none. O(slots). */
  average(): number {
    const ring = this.ring;
    ring.advance(this.clock.now());
    const count = ring.sum(COUNT);
    return count === 0 ? 0 : ring.sum(SUM) / count;
  }
}

// What every window in this folder is made of: a validated geometry, the clock it reads, and one slot
// ring whose flat data array the hot paths index directly. Construction and reset only; no hot path here.
import type { Clock } from '../clock.js';
import type { WindowOptions } from './options.js';
import { resolveWindow } from './options.js';
import { SlotRing } from './ring.js';

export abstract class SlotWindow {
  protected readonly clock: Clock;
  protected readonly ring: SlotRing;
  /** `ring.data`, kept at hand so a record is one index computation and one add. */
  protected readonly data: Float64Array;

  /** @param initial each slot's starting values, one per field (e.g. `[0, 0, -Infinity]` for count, sum, max). */
  protected constructor(options: WindowOptions | undefined, initial: readonly number[]) {
    const { clock, slotMs, slots } = resolveWindow(options);
    this.clock = clock;
    this.ring = new SlotRing(slotMs, slots, initial, clock.now());
    this.data = this.ring.data;
  }

  /** Milliseconds the window covers now (see SlotRing.spanMs), the divisor of its rates. O(1). */
  coveredMs(): number {
    this.ring.advance(this.clock.now());
    return this.ring.spanMs();
  }

  /** Forgets everything recorded and starts a fresh window now. O(slots). */
  reset(): void {
    this.ring.reset(this.clock.now());
  }
}

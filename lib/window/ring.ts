// A ring of time slots, the storage under every window here; each slot holds its epoch plus a few columns.
// Hot path `at(t)`: one compare while t stays in the current slot, else an O(columns) rollover; no allocation.
// Always: a slot is read only while its epoch is one of the last `slots` epochs, so stale data never counts
// and a gap longer than the window expires everything without a sweep.

/**
 * Slots are aligned to `origin` (the time of construction or reset): epoch k covers
 * [origin + k·slotMs, origin + (k+1)·slotMs). The window is the current epoch and the `slots - 1` before it,
 * so it spans between (slots - 1) and `slots` slot widths once it is full.
 *
 * Time only ratchets forward: a `t` before the current slot's end (a clock that stands still or steps back)
 * lands in the current slot, so no count is lost and no span goes negative.
 */
export class SlotRing {
  readonly slots: number;
  readonly slotMs: number;
  /** Values per slot: the epoch, then one value per column. */
  readonly stride: number;
  /** Slot-major storage: `data[b]` is the epoch of the slot at offset b, `data[b + 1 + c]` its column c. */
  readonly data: Float64Array;
  readonly #initial: readonly number[];
  #origin = 0;
  #epoch = 0;
  #base = 0;
  #end = 0;
  #latest = 0;

  /** `initial[c]` is what column c holds in an empty slot (0 for sums, -Infinity for maxima). */
  constructor(slotMs: number, slots: number, initial: readonly number[], origin: number) {
    this.slots = slots;
    this.slotMs = slotMs;
    this.stride = 1 + initial.length;
    this.data = new Float64Array(slots * this.stride);
    this.#initial = initial;
    this.reset(origin);
  }

  /** Empties every slot and restarts the slot grid at `origin`. O(slots). */
  reset(origin: number): void {
    const { data, stride } = this;
    for (let b = 0; b < data.length; b += stride) data[b] = -Infinity;
    this.#origin = origin;
    this.#latest = origin;
    this.#enter(0);
  }

  /** Offset of the slot that records time t (its columns are at +1, +2, …). O(1); rolls over when t passes the slot. */
  at(t: number): number {
    if (t >= this.#end) this.#roll(t);
    return this.#base;
  }

  /** Moves to time t for a read: rolls over if needed and remembers t as the latest time seen. */
  advance(t: number): void {
    if (t >= this.#end) this.#roll(t);
    if (t > this.#latest) this.#latest = t;
  }

  /** Sum of column c over the window as of the last advance. O(slots). */
  sum(c: number): number {
    const { data, stride } = this;
    const oldest = this.#epoch - this.slots;
    let total = 0;
    for (let b = 0; b < data.length; b += stride) if (data[b]! > oldest) total += data[b + 1 + c]!;
    return total;
  }

  /** Largest value of column c over the window as of the last advance; -Infinity if no slot is live. O(slots). */
  max(c: number): number {
    const { data, stride } = this;
    const oldest = this.#epoch - this.slots;
    let most = -Infinity;
    for (let b = 0; b < data.length; b += stride) {
      const v = data[b + 1 + c]!;
      if (data[b]! > oldest && v > most) most = v;
    }
    return most;
  }

  /**
   * Milliseconds the window covers as of the last advance: from the start of its oldest slot (or from origin,
   * while the window is younger than that) to the latest time seen; never less than one slot width, so a read
   * in the first instants does not divide by almost nothing.
   */
  spanMs(): number {
    const skipped = Math.max(0, this.#epoch - this.slots + 1);
    return Math.max(this.slotMs, this.#latest - this.#origin - skipped * this.slotMs);
  }

  /** The slot-grid origin, so that related rings (a ratio's numerators) can share one grid. */
  get origin(): number {
    return this.#origin;
  }

  #roll(t: number): void {
    let epoch = Math.floor((t - this.#origin) / this.slotMs);
    // Float rounding can put t one slot off the boundaries `at` compares against (origin + k·slotMs); nudge it
    // so that start ≤ t < end, which also guarantees leaving the current slot, never clearing it again.
    while (t >= this.#origin + (epoch + 1) * this.slotMs) epoch++;
    while (epoch > this.#epoch + 1 && t < this.#origin + epoch * this.slotMs) epoch--;
    this.#enter(epoch);
    if (t > this.#latest) this.#latest = t;
  }

  // Epochs only grow, so the slot entered is always one being reused (or never used): it is cleared.
  #enter(epoch: number): void {
    const base = (epoch % this.slots) * this.stride;
    const { data } = this;
    data[base] = epoch;
    for (let c = 0; c < this.#initial.length; c++) data[base + 1 + c] = this.#initial[c]!;
    this.#epoch = epoch;
    this.#base = base;
    this.#end = this.#origin + (epoch + 1) * this.slotMs;
  }
}

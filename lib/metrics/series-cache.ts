// A family's last rendered series bytes for one format, kept so that a scrape re-formats only the
// series that changed. Nothing changed: one copy of the block. Some changed: unchanged runs are copied
// from the old block and only changed children are rendered again. Cost of the check: one number
// compare per child, against a key the family wrote for it (its version, or a gauge's value).

export class SeriesCache {
  /** The block's bytes are #bytes[0, #size); the storage is reused scrape after scrape, grown when short. */
  #bytes: Buffer | undefined;
  #size = 0;
  /** Start of child i's bytes in #bytes; entry `count` is where the footer starts. */
  #offsets = new Int32Array(1);
  /** Each child's key when its bytes were rendered. */
  #keys: Float64Array = new Float64Array(0);
  /** The previous scrape's arrays, reused for the next one so a re-render allocates nothing. */
  #spareOffsets = new Int32Array(1);
  #spareKeys: Float64Array = new Float64Array(0);
  #count = 0;
  #generation = -1;
  #layout = -1;

  /**
   * When nothing changed since the last write (same generation, layout and child count), copies the
   * cached block into `writer` and returns true; the caller then has no keys to compute.
   */
  copyIfUnchanged(writer: { bytes(source: Uint8Array, start?: number, end?: number): void }, generation: number, layout: number, count: number): boolean {
    if (this.#bytes === undefined || generation !== this.#generation || layout !== this.#layout || count !== this.#count) return false;
    writer.bytes(this.#bytes, 0, this.#size);
    return true;
  }

  /** An array of at least `count` entries for the family to write each child's key into before write(). */
  keysFor(count: number): Float64Array {
    if (this.#spareKeys.length < count) this.#spareKeys = new Float64Array(count + (count >>> 3));
    return this.#spareKeys;
  }

  /**
   * Writes `count` children's lines (and the footer after them) into `writer`, from the cache where it can.
   * @param keys from keysFor(): child i's key at i. A key that changed (or 0 that became -0, or NaN) re-renders.
   * @param generation changes whenever any child may have changed.
   * @param layout changes when children were removed or reordered; appended children keep it.
   * @param renderRange writes children [from, to) and sets offsets[i] to writer.length - base before child i:
   *   one call per run of changed children, so the per-child loop is the family's own code (see Family.renderRange).
   */
  write(
    writer: { readonly length: number; bytes(source: Uint8Array, start?: number, end?: number): void; view(): Buffer },
    count: number,
    keys: Float64Array,
    generation: number,
    layout: number,
    renderRange: (from: number, to: number, offsets: Int32Array, base: number) => void,
    footer: () => void,
  ): void {
    const old = this.#bytes;
    const start = writer.length;
    const reusable = old !== undefined && layout === this.#layout ? Math.min(this.#count, count) : 0;
    const oldOffsets = this.#offsets;
    const oldKeys = this.#keys;
    const offsets = this.#spareOffsets.length >= count + 1 ? this.#spareOffsets : new Int32Array(count + 1 + (count >>> 3));
    let i = 0;
    while (i < count) {
      // A run of unchanged children: one copy from the old block, offsets shifted to where it lands.
      let j = i;
      // 0 and -0 compare equal but are written differently; NaN equals nothing, so it always re-renders.
      while (j < reusable && keys[j] === oldKeys[j] && (keys[j] !== 0 || 1 / keys[j]! === 1 / oldKeys[j]!)) j++;
      if (j > i) {
        const shift = writer.length - start - oldOffsets[i]!;
        writer.bytes(old!, oldOffsets[i]!, oldOffsets[j]!);
        for (let k = i; k < j; k++) offsets[k] = oldOffsets[k]! + shift;
        i = j;
      }
      // A run of changed children, rendered by the family.
      while (j < count && !(j < reusable && keys[j] === oldKeys[j] && (keys[j] !== 0 || 1 / keys[j]! === 1 / oldKeys[j]!))) j++;
      if (j > i) {
        renderRange(i, j, offsets, start);
        i = j;
      }
    }
    offsets[count] = writer.length - start;
    footer();
    // The old block has been read by now, so its storage takes the new one (an eighth spare to grow into).
    const size = writer.length - start;
    const bytes = old !== undefined && old.length >= size ? old : Buffer.allocUnsafeSlow(size + (size >>> 3));
    writer.view().copy(bytes, 0, start, start + size);
    this.#bytes = bytes;
    this.#size = size;
    this.#spareOffsets = oldOffsets;
    this.#spareKeys = oldKeys;
    this.#offsets = offsets;
    this.#keys = keys;
    this.#count = count;
    this.#generation = generation;
    this.#layout = layout;
  }
}

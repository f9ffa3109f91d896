// A family's last rendered series bytes for one format, kept so that a scrape re-formats only the
// series that changed. Nothing changed: one copy of the block. Some changed: unchanged runs are copied
// from the old block and only changed children are rendered again. Cost of the check: one integer
// compare per child.

/** What the cache needs of a child: a counter its record methods bump. */
export interface Versioned {
  version: number;
}

export class SeriesCache {
  /** The block's bytes are #bytes[0, #size); the storage is reused scrape after scrape, grown when short. */
  #bytes: Buffer | undefined;
  #size = 0;
  /** Start of child i's bytes in #bytes; entry `count` is where the footer starts. */
  #offsets = new Int32Array(1);
  #versions = new Float64Array(0);
  /** The previous scrape's arrays, reused for the next one so a re-render allocates nothing. */
  #spareOffsets = new Int32Array(1);
  #spareVersions = new Float64Array(0);
  #count = 0;
  #generation = -1;
  #layout = -1;

  /**
   * Writes the children's lines (and the footer after them) into `writer`, from the cache where it can.
   * @param generation changes whenever any child may have changed; equal means copy the whole block.
   * @param layout changes when children were removed or reordered; appended children keep it.
   */
  write<C extends Versioned>(
    writer: { readonly length: number; bytes(source: Uint8Array, start?: number, end?: number): void; view(): Buffer },
    children: readonly C[],
    generation: number,
    layout: number,
    render: (child: C) => void,
    footer: () => void,
  ): void {
    const old = this.#bytes;
    if (old !== undefined && generation === this.#generation && layout === this.#layout && children.length === this.#count) {
      writer.bytes(old, 0, this.#size);
      return;
    }
    const start = writer.length;
    const count = children.length;
    const reusable = old !== undefined && layout === this.#layout ? Math.min(this.#count, count) : 0;
    const oldOffsets = this.#offsets;
    const oldVersions = this.#versions;
    const offsets = this.#spareOffsets.length >= count + 1 ? this.#spareOffsets : new Int32Array(count + 1 + (count >>> 3));
    const versions = this.#spareVersions.length >= count ? this.#spareVersions : new Float64Array(count + (count >>> 3));
    let run = -1;
    const copyRun = (end: number): void => {
      const shift = writer.length - start - oldOffsets[run]!;
      writer.bytes(old!, oldOffsets[run]!, oldOffsets[end]!);
      for (let j = run; j < end; j++) offsets[j] = oldOffsets[j]! + shift;
      run = -1;
    };
    for (let i = 0; i < count; i++) {
      const child = children[i]!;
      versions[i] = child.version;
      if (i < reusable && child.version === oldVersions[i]) {
        if (run < 0) run = i;
        continue;
      }
      if (run >= 0) copyRun(i);
      offsets[i] = writer.length - start;
      render(child);
    }
    if (run >= 0) copyRun(count);
    offsets[count] = writer.length - start;
    footer();
    // The old block has been read by now, so its storage takes the new one (an eighth spare to grow into).
    const size = writer.length - start;
    const bytes = old !== undefined && old.length >= size ? old : Buffer.allocUnsafeSlow(size + (size >>> 3));
    writer.view().copy(bytes, 0, start, start + size);
    this.#bytes = bytes;
    this.#size = size;
    this.#spareOffsets = oldOffsets;
    this.#spareVersions = oldVersions;
    this.#offsets = offsets;
    this.#versions = versions;
    this.#count = count;
    this.#generation = generation;
    this.#layout = layout;
  }
}

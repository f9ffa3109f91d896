// A family's last rendered series bytes for one format, kept so that a scrape re-formats only the
// series that changed. Nothing changed: one copy of the block. Some changed: unchanged runs are copied
// from the old block and only changed children are rendered again. Cost of the check: one integer
// compare per child.

/** What the cache needs of a child: a counter its record methods bump. */
export interface Versioned {
  version: number;
}

export class SeriesCache {
  #bytes: Buffer | undefined;
  /** Start of child i's bytes in #bytes; entry `count` is where the footer starts. */
  #offsets = new Int32Array(1);
  #versions = new Float64Array(0);
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
      writer.bytes(old);
      return;
    }
    const start = writer.length;
    const count = children.length;
    const reusable = old !== undefined && layout === this.#layout ? Math.min(this.#count, count) : 0;
    const oldOffsets = this.#offsets;
    const oldVersions = this.#versions;
    const offsets = new Int32Array(count + 1);
    const versions = new Float64Array(count);
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
    this.#bytes = Buffer.from(writer.view().subarray(start));
    this.#offsets = offsets;
    this.#versions = versions;
    this.#count = count;
    this.#generation = generation;
    this.#layout = layout;
  }
}

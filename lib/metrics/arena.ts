// Append-only byte storage for a family's pre-rendered label sets (`{a="x",b="y"}`), so a child
// costs two integers instead of a Buffer object, and a scrape copies from one contiguous block.
// Removal leaves garbage that compact() reclaims once it outweighs the live bytes.
import { viewOf } from '../exposition/byte-writer.js';

export interface ArenaSpan {
  at: number;
  end: number;
}

export class ByteArena {
  bytes: Buffer = Buffer.allocUnsafe(1024);
  /** The same bytes as a DataView, which ByteWriter.span() copies from four bytes at a time. */
  view: DataView = viewOf(this.bytes);
  #length = 0;
  #garbage = 0;

  /** Stores `text` as UTF-8 and returns where it landed. */
  append(text: string, span: ArenaSpan): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes: when that much room is left, skip measuring (one native call less).
    if (this.#length + text.length * 3 > this.bytes.length) this.reserve(Buffer.byteLength(text, 'utf8'));
    this.commit(span, this.#length + this.bytes.write(text, this.#length, 'utf8'));
  }

  /**
   * Room for at least `size` more bytes: the caller writes them into `bytes` from the returned offset, then
   * calls commit(). Read `bytes` after this call: growing replaces it.
   */
  reserve(size: number): number {
    // Grows by a quarter (at least 16 KiB): ~12 % idle space on average, each byte copied ~4 times while growing.
    if (this.#length + size > this.bytes.length) this.#resize(Math.max(this.bytes.length + Math.max(16384, this.bytes.length >>> 2), this.#length + size));
    return this.#length;
  }

  /** The bytes written since reserve() up to `end` are `span`'s. */
  commit(span: ArenaSpan, end: number): void {
    span.at = this.#length;
    span.end = end;
    this.#length = end;
  }

  /** Marks a span as dead; compacts when dead bytes exceed live ones and the arena is large. */
  release(span: ArenaSpan, live: readonly ArenaSpan[]): void {
    this.#garbage += span.end - span.at;
    if (this.#garbage > 64 * 1024 && this.#garbage * 2 > this.#length) this.#compact(live);
  }

  clear(): void {
    this.#length = 0;
    this.#garbage = 0;
  }

  #compact(live: readonly ArenaSpan[]): void {
    const next = Buffer.allocUnsafe(Math.max(1024, (this.#length - this.#garbage) * 2));
    let length = 0;
    for (const span of live) {
      const size = span.end - span.at;
      this.bytes.copy(next, length, span.at, span.end);
      span.at = length;
      span.end = length += size;
    }
    this.bytes = next;
    this.view = viewOf(next);
    this.#length = length;
    this.#garbage = 0;
  }

  #resize(capacity: number): void {
    const next = Buffer.allocUnsafe(capacity);
    this.bytes.copy(next, 0, 0, this.#length);
    this.bytes = next;
    this.view = viewOf(next);
  }
}

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
    const size = Buffer.byteLength(text, 'utf8');
    // Grows by an eighth (at least 16 KiB): little idle space per series, still amortised O(1) per byte.
    if (this.#length + size > this.bytes.length) this.#resize(Math.max(this.bytes.length + Math.max(16384, this.bytes.length >>> 3), this.#length + size));
    span.at = this.#length;
    this.#length += this.bytes.write(text, this.#length, 'utf8');
    span.end = this.#length;
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

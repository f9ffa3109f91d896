// A growable byte buffer that a scrape writes into and reuses across scrapes, so a scrape costs copies
// of pre-rendered bytes plus number formatting, not string building. Appends are amortised O(length);
// the buffer doubles when full and is never shrunk (the next scrape of the same registry fits).
import { formatValue } from './numbers.js';

const MIN_CAPACITY = 4096;

export class ByteWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  /** Forgets the content, keeps the memory. */
  reset(): void {
    this.#length = 0;
  }

  /** Appends `source[start, end)`. Cost: one memcpy, plus a rare doubling. */
  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const size = end - start;
    if (this.#length + size > this.#buffer.length) this.#grow(size);
    if (size < 64) {
      // Short copies are faster byte by byte than through TypedArray.set's call overhead.
      const target = this.#buffer;
      let at = this.#length;
      for (let i = start; i < end; i++) target[at++] = source[i]!;
    } else {
      this.#buffer.set(source.subarray(start, end), this.#length);
    }
    this.#length += size;
  }

  /** Appends one byte (an ASCII character code). */
  byte(code: number): void {
    if (this.#length + 1 > this.#buffer.length) this.#grow(1);
    this.#buffer[this.#length++] = code;
  }

  /** Appends a string known to be ASCII (numbers, keywords). */
  ascii(text: string): void {
    if (this.#length + text.length > this.#buffer.length) this.#grow(text.length);
    this.#length += this.#buffer.write(text, this.#length, 'latin1');
  }

  /** Appends any string as UTF-8. */
  utf8(text: string): void {
    const size = Buffer.byteLength(text, 'utf8');
    if (this.#length + size > this.#buffer.length) this.#grow(size);
    this.#length += this.#buffer.write(text, this.#length, 'utf8');
  }

  /** Appends a sample value. Safe integers take a digit loop with no string allocation. */
  value(value: number): void {
    if (Number.isSafeInteger(value) && (value !== 0 || !Object.is(value, -0))) this.#integer(value);
    else this.ascii(formatValue(value));
  }

  /** The bytes written so far, as a view that the next write or reset may overwrite. */
  view(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  /** The bytes written so far, as an independent copy that stays valid after later scrapes. */
  copy(): Buffer {
    const out = Buffer.allocUnsafe(this.#length);
    this.#buffer.copy(out, 0, 0, this.#length);
    return out;
  }

  #integer(value: number): void {
    if (this.#length + 17 > this.#buffer.length) this.#grow(17);
    const target = this.#buffer;
    let remaining = value;
    if (remaining < 0) {
      target[this.#length++] = 0x2d;
      remaining = -remaining;
    }
    let digits = 1;
    for (let probe = remaining; probe >= 10; probe = Math.floor(probe / 10)) digits++;
    let at = this.#length + digits;
    this.#length = at;
    do {
      const next = Math.floor(remaining / 10);
      target[--at] = 0x30 + (remaining - next * 10);
      remaining = next;
    } while (remaining > 0);
  }

  #grow(extra: number): void {
    let capacity = this.#buffer.length * 2;
    while (capacity < this.#length + extra) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
  }
}

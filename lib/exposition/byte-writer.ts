// A growable byte buffer that a scrape writes into and reuses across scrapes, so a scrape costs copies
// of pre-rendered bytes plus number formatting, not string building. Appends are amortised O(length);
// the buffer doubles when full and is never shrunk (the next scrape of the same registry fits).
import { formatValue } from './numbers.js';
import { VALUE_INPUT, writeValueInput } from './shortest.js';

const MIN_CAPACITY = 4096;
// Buffer's copy accepts any Uint8Array as its source when called on it.
const copyBytes = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;

export class ByteWriter {
  #buffer: Buffer;
  #view: DataView;
  #length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, initialCapacity));
    this.#view = viewOf(this.#buffer);
  }

  get length(): number {
    return this.#length;
  }

  /** Forgets the content, keeps the memory. */
  reset(): void {
    this.#length = 0;
  }

  /** Appends `source[start, end)`. Cost: one native memcpy (~20 ns for a series prefix), plus a rare doubling. */
  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const size = end - start;
    if (this.#length + size > this.#buffer.length) this.#grow(size);
    // Buffer#copy beats both a JS byte loop and TypedArray#set(subarray) here: no view allocated.
    this.#length += copyBytes.call(source, this.#buffer, this.#length, start, end);
  }

  /**
   * Appends `source[start, end)` given with a DataView of the same bytes: for the short pieces a series
   * line is made of (a label set, ~40 bytes) it moves four bytes at a time, ~25 ns, where a native copy of
   * a sub-range first allocates a view of it (~70 ns and garbage).
   */
  span(source: Uint8Array, sourceView: DataView, start: number, end: number): void {
    const size = end - start;
    if (this.#length + size > this.#buffer.length) this.#grow(size);
    const view = this.#view;
    let at = this.#length;
    let from = start;
    for (; from + 4 <= end; from += 4, at += 4) view.setUint32(at, sourceView.getUint32(from, true), true);
    const target = this.#buffer;
    for (; from < end; from++) target[at++] = source[from]!;
    this.#length = at;
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

  /**
   * Appends a sample value, spelled exactly as formatValue() (shortest round-trip) spells it. Safe
   * integers take a digit loop (~10 ns); other doubles in (1e-6, 1e17) the shortest-digits writer
   * (~20 ns up to three decimals, ~55 ns for 17 digits: shortest.ts); the rest (-0, NaN, ±Inf, tiny, huge)
   * go through formatValue(). Small enough to be inlined, so the double reaches the slot unboxed.
   */
  value(value: number): void {
    VALUE_INPUT[0] = value;
    this.valueInput();
  }

  /** Appends the value in VALUE_INPUT[0]; see value(). */
  valueInput(): void {
    if (this.#length + 26 > this.#buffer.length) this.#grow(26);
    const end = writeValueInput(this.#buffer, this.#length);
    if (end >= 0) this.#length = end;
    else this.#spellRare();
  }

  /** -0, NaN, ±Inf, and magnitudes outside (1e-6, 1e17) that are not safe integers: formatValue()'s string. */
  #spellRare(): void {
    this.ascii(formatValue(VALUE_INPUT[0]!));
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

  #grow(extra: number): void {
    let capacity = this.#buffer.length * 2;
    while (capacity < this.#length + extra) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
    this.#view = viewOf(next);
  }
}

/** A DataView over exactly the bytes of `bytes`, for span(). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

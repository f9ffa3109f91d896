// Protobuf wire encoding into one growable buffer, reused across scrapes. Appends are amortised O(bytes) with
// no allocation; a nested message reserves one length byte and, when its body outgrows 127 bytes, shifts the body
// once to fit the longer varint (a copy of that body only). Holds: integers up to 2^53 are exact; negative int64
// values (rare here: pre-1970 timestamps) take a 10-byte two's-complement varint.

const MIN_CAPACITY = 4096;
// Buffer's copy accepts any Uint8Array as its source when called on it, and allocates no view of a sub-range.
const copyBytes = Buffer.prototype.copy as (this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number) => number;
export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

export class ProtoWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.#buffer = Buffer.allocUnsafe(Math.max(MIN_CAPACITY, initialCapacity));
  }

  get length(): number {
    return this.#length;
  }

  reset(): void {
    this.#length = 0;
  }

  /** The bytes written so far, sharing this writer's memory (valid until the next write or reset). */
  view(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  /** A copy the caller keeps. */
  copy(): Buffer {
    return Buffer.from(this.view());
  }

  /** Appends `source[start, end)` (cached, already-encoded messages). */
  bytes(source: Uint8Array, start = 0, end = source.length): void {
    const size = end - start;
    this.#ensure(size);
    this.#length += copyBytes.call(source, this.#buffer, this.#length, start, end);
  }

  /** A field key: field number and wire type. */
  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A non-negative integer below 2^53 as a varint. */
  varint(value: number): void {
    this.#ensure(10);
    const buffer = this.#buffer;
    let at = this.#length;
    let v = value;
    while (v >= 0x80) {
      buffer[at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buffer[at++] = v;
    this.#length = at;
  }

  /** int64/int32 as protobuf writes them: negatives as 10-byte two's complement. */
  int64(value: number): void {
    if (value >= 0) return this.varint(value);
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    this.#ensure(10);
    for (let i = 0; i < 9; i++, v >>= 7n) this.#buffer[this.#length++] = Number(v & 0x7fn) | 0x80;
    this.#buffer[this.#length++] = Number(v);
  }

  /** sint32/sint64: zigzag, so small negatives stay short. */
  sint(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  double(value: number): void {
    this.#ensure(8);
    this.#buffer.writeDoubleLE(value, this.#length);
    this.#length += 8;
  }

  doubleField(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.double(value);
  }

  varintField(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  string(field: number, text: string): void {
    this.tag(field, LENGTH_DELIMITED);
    const size = Buffer.byteLength(text, 'utf8');
    this.varint(size);
    this.#ensure(size);
    this.#length += this.#buffer.write(text, this.#length, 'utf8');
  }

  /** Opens a length-delimited field; returns where its body starts, for end(). */
  begin(field: number): number {
    this.tag(field, LENGTH_DELIMITED);
    this.#ensure(1);
    this.#length++; // one length byte reserved
    return this.#length;
  }

  /** Closes the field begin() opened, writing the body's length in front of it. */
  end(start: number): void {
    this.prefixLength(start - 1, this.#length - start);
  }

  /** Opens a delimited stream item: a MetricFamily preceded by its length, with no field key. */
  beginDelimited(): number {
    this.#ensure(1);
    this.#length++;
    return this.#length;
  }

  #ensure(size: number): void {
    if (this.#length + size <= this.#buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + size));
    this.#buffer.copy(next, 0, 0, this.#length);
    this.#buffer = next;
  }

  /** Writes varint(size) at `at`, where one byte was reserved, shifting the `size` bytes after it if needed. */
  private prefixLength(at: number, size: number): void {
    let width = 1;
    for (let v = size; v >= 0x80; v = Math.floor(v / 0x80)) width++;
    if (width > 1) {
      this.#ensure(width - 1);
      this.#buffer.copyWithin(at + width, at + 1, at + 1 + size);
      this.#length += width - 1;
    }
    const buffer = this.#buffer;
    let v = size;
    let i = at;
    while (v >= 0x80) {
      buffer[i++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buffer[i] = v;
  }
}

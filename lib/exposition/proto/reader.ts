// Reads protobuf wire data field by field over one byte array, tracking absolute offsets for errors.
// Cost: O(bytes); a nested message is a new reader over the same bytes (no copy). Holds: every malformed input
// (a varint that runs off the end or past 10 bytes, a length past its enclosing message, a wire type that is not
// 0, 1, 2 or 5, invalid UTF-8) ends in a ProtoParseError carrying the byte offset, never another exception.
import type { ParseErrorCode } from '../parse/error.js';
import { ParseError } from '../parse/error.js';

/** A ParseError in binary input: line 1, column = offset + 1, and the offset itself. */
export class ProtoParseError extends ParseError {
  constructor(
    code: ParseErrorCode,
    detail: string,
    /** Byte offset from the start of the body. */
    readonly offset: number,
  ) {
    super(code, `${detail} at byte ${offset}`, 1, offset + 1);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export class ProtoReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field key as [field number, wire type]; refuses unknown wire types. */
  key(): [field: number, wire: number] {
    const at = this.pos;
    const key = this.varint();
    const wire = key % 8;
    const field = Math.floor(key / 8);
    if (wire === 3 || wire === 4 || wire > 5) throw new ProtoParseError('bad-wire-type', `wire type ${wire} (field ${field}) is not one protobuf defines or this format uses`, at);
    if (field === 0) throw new ProtoParseError('bad-field', 'field number 0', at);
    return [field, wire];
  }

  /** An unsigned varint; exact below 2^53. */
  varint(): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoParseError('truncated-varint', 'varint runs past the end of its message', start);
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new ProtoParseError('truncated-varint', 'varint longer than 10 bytes', start);
  }

  /** int64/int32: a 10-byte varint with the top bit set is negative (two's complement). */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 63) return value;
    let exact = 0n;
    for (let i = this.pos - 1; i >= start; i--) exact = (exact << 7n) | BigInt(this.bytes[i]! & 0x7f);
    return Number(BigInt.asIntN(64, exact));
  }

  /** sint32/sint64 (zigzag). */
  sint(): number {
    const value = this.varint();
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  double(): number {
    this.#need(8, 'double');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  /** A length-delimited field's body as a reader of its own. */
  message(): ProtoReader {
    const at = this.pos;
    const length = this.varint();
    if (length > this.end - this.pos) throw new ProtoParseError('length-past-end', `length ${length} runs past the end of its message (${this.end - this.pos} bytes left)`, at);
    const sub = new ProtoReader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return sub;
  }

  string(): string {
    const body = this.message();
    try {
      return UTF8.decode(this.bytes.subarray(body.pos, body.end));
    } catch {
      throw new ProtoParseError('bad-utf8', 'string field is not valid UTF-8', body.pos);
    }
  }

  /** Skips a field of an unknown number, as protobuf readers must. */
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.#need(8, 'fixed64'), (this.pos += 8);
    else if (wire === 5) this.#need(4, 'fixed32'), (this.pos += 4);
    else this.message();
  }

  /** Repeated scalars arrive unpacked (one key each) or packed (one length-delimited run): reads either. */
  repeated(wire: number, read: (reader: ProtoReader) => number, into: number[]): void {
    if (wire !== 2) return void into.push(read(this));
    const run = this.message();
    while (!run.done) into.push(read(run));
  }

  /** Refuses a known field sent with the wrong wire type. */
  expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) throw new ProtoParseError('bad-wire-type', `${field} has wire type ${wire}, expected ${expected}`, this.pos);
  }

  #need(size: number, what: string): void {
    if (this.end - this.pos < size) throw new ProtoParseError('length-past-end', `${what} needs ${size} bytes, ${this.end - this.pos} left`, this.pos);
  }
}

// Decodes exposition bytes once, strictly: invalid UTF-8 and a byte order mark are errors ([S "Overall
// structure"]: UTF-8, no BOM), reported at their line and column. Cost: one native decode; the byte scan
// that locates a bad sequence runs only after the decoder has already refused the input.
import { ParseError } from './error.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeExposition(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = decoder.decode(input);
    } catch {
      throw invalidUtf8(input);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new ParseError('bad-utf8', 'byte order mark at the start: an exposition is UTF-8 without a BOM', 1, 1);
  }
  return text;
}

function invalidUtf8(bytes: Uint8Array): ParseError {
  const at = firstInvalid(bytes);
  let line = 1;
  let column = 1;
  for (let i = 0; i < at; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x0a) {
      line++;
      column = 1;
    } else if ((b & 0xc0) !== 0x80) {
      column++;
    }
  }
  const hex = Array.from(bytes.subarray(at, at + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return new ParseError('bad-utf8', `invalid UTF-8 at byte ${at} (${hex}): an exposition must be valid UTF-8`, line, column);
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629 table 3-7). */
function firstInvalid(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

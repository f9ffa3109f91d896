// Number grammar of the text formats, checked character by character before any conversion, because
// JS Number() also takes "0x1", "0b1", "Infinity", " 1" and "" (as 0). Cost: one pass over the token,
// no allocation for integers up to 15 digits. Invariant: a token either matches the grammar or yields undefined.
//
// OpenMetrics 1.0 ABNF ("Numbers"): number = realnumber / [sign] ("inf" / "infinity") / "nan", the
// words case-insensitive; realnumber = [sign] 1*DIGIT [. *DIGIT] [e [sign] 1*DIGIT] or [sign] *DIGIT . 1*DIGIT [e …].

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
/** Up to 15 decimal digits fit a float64 exactly, so they can be summed without Number(). */
const EXACT_DIGITS = 15;
/** int64 bounds without their sign: 2^63 - 1 and 2^63. */
const INT64_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

/** A value: realnumber, ±inf/±infinity or nan (any case). */
export function parseNumber(text: string, start: number, end: number): number | undefined {
  const real = parseReal(text, start, end);
  if (real !== undefined) return real;
  return parseSpecial(text, start, end);
}

/** A timestamp or other real: digits only, no inf or nan (OM "timestamp = realnumber"). */
export function parseReal(text: string, start: number, end: number): number | undefined {
  if (start >= end) return undefined;
  let i = start;
  const first = text.charCodeAt(i);
  const negative = first === MINUS;
  if (negative || first === PLUS) i++;
  const intStart = i;
  let whole = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    whole = whole * 10 + (c - ZERO);
    i++;
  }
  const intDigits = i - intStart;
  if (i === end) {
    if (intDigits === 0) return undefined;
    if (intDigits <= EXACT_DIGITS) return negative ? -whole : whole;
    return Number(text.slice(start, end));
  }
  let fracDigits = 0;
  if (text.charCodeAt(i) === DOT) {
    i++;
    const fracStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) return undefined;
  if (i < end && (text.charCodeAt(i) | 0x20) === LOWER_E) {
    i++;
    if (i < end && (text.charCodeAt(i) === PLUS || text.charCodeAt(i) === MINUS)) i++;
    const expStart = i;
    while (i < end && isDigit(text.charCodeAt(i))) i++;
    if (i === expStart) return undefined;
  }
  if (i !== end) return undefined;
  return Number(text.slice(start, end));
}

/**
 * Prometheus text 0.0.4 timestamp: an optionally signed integer of milliseconds that fits int64, as
 * Prometheus reads it (strconv.ParseInt(s, 10, 64)); anything longer is refused, not rounded to ±Inf.
 * Compared digit by digit because float64 cannot tell 2^63 - 1 from 2^63.
 */
export function parseInt64(text: string, start: number, end: number): number | undefined {
  let i = start;
  const first = text.charCodeAt(i);
  const negative = first === MINUS;
  if (i < end && (negative || first === PLUS)) i++;
  if (i === end) return undefined;
  for (let j = i; j < end; j++) if (!isDigit(text.charCodeAt(j))) return undefined;
  while (i < end - 1 && text.charCodeAt(i) === ZERO) i++;
  const digits = end - i;
  if (digits > INT64_DIGITS.length) return undefined;
  if (digits === INT64_DIGITS.length) {
    const limit = negative ? INT64_MIN_DIGITS : INT64_DIGITS;
    for (let k = 0; k < digits; k++) {
      const d = text.charCodeAt(i + k) - limit.charCodeAt(k);
      if (d < 0) break;
      if (d > 0) return undefined;
    }
  }
  return Number(text.slice(start, end));
}

function parseSpecial(text: string, start: number, end: number): number | undefined {
  let i = start;
  const first = text.charCodeAt(i);
  const signed = first === PLUS || first === MINUS;
  if (signed) i++;
  const length = end - i;
  if (length === 3 && wordAt(text, i, 'inf')) return first === MINUS ? -Infinity : Infinity;
  if (length === 8 && wordAt(text, i, 'infinity')) return first === MINUS ? -Infinity : Infinity;
  // The ABNF gives "nan" no sign.
  if (!signed && length === 3 && wordAt(text, i, 'nan')) return NaN;
  return undefined;
}

/** Case-insensitive match of a lowercase ASCII word; `| 0x20` folds A-Z onto a-z. */
function wordAt(text: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

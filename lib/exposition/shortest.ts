// Shortest round-trip decimal for a double, written as bytes: exactly the characters ECMAScript's
// Number::toString (String(x)) gives, for positive doubles in (1e-6, 1e17). Cost: ~40-55 ns for a 17-digit value,
// a third of String(x) written out (bench/RESULTS.md, "Number formatting"); no allocation.
// Outside that range (or on a big-endian host) writeShortest() returns -1 and the caller uses String().
//
// Method (exact arithmetic in doubles; tables: powers of two and ten, each binary exponent's first s): s = 16 - floor(log10 x),
// X = x·10^s lies in [1e16, 1e17) and is held exactly as p + err (Dekker's two-product; 10^s ≤ 10^22 is an
// exact double). The doubles that round to x span X ± h with h = ulp(x)/2·10^s, also exact, and h < 11.2,
// so the interval holds at most one multiple of 100 and three of 10. The shortest decimal is the multiple
// of the largest power of ten (100, 10, 1) inside it, the one nearest X when two are, the even one on a tie
// (ECMA-262 Number::toString step 5). Every comparison is exact (two-sum), so no case is approximate.

const SPLITTER = 134217729; // 2^27 + 1: splits a double into two 26-bit halves
const LOG10_2 = 0.30102999566398114;
/** 10^i, exact for i ≤ 22, with each one's Dekker split. */
const POW10 = new Float64Array(23);
const POW10_HI = new Float64Array(23);
const POW10_LO = new Float64Array(23);
for (let i = 0; i <= 22; i++) {
  POW10[i] = Number(`1e${i}`);
  const c = SPLITTER * POW10[i]!;
  POW10_HI[i] = c - (c - POW10[i]!);
  POW10_LO[i] = POW10[i]! - POW10_HI[i]!;
}
/** Half an ulp of a double whose biased exponent is i: 2^(i - 1076). */
const HALF_ULP = new Float64Array(2048);
for (let i = 1; i < 2048; i++) HALF_ULP[i] = 2 ** (i - 1076);
/** 2^53 / 10^4: below it an ulp is under 0.0002, so v·1000 is within 0.2 of any three-decimal spelling of v. */
const THOUSANDTHS_LIMIT = 2 ** 53 / 1e4;
/** The first scale s to try for biased exponent i: 16 - floor(log10 2^(i - 1023)), exact or one too big. */
const FIRST_SCALE = new Int16Array(2048);
for (let i = 0; i < 2048; i++) FIRST_SCALE[i] = Math.min(22, 16 - Math.floor((i - 1023) * LOG10_2));
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** "00" to "99" as ASCII pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

/**
 * Writes `value` (positive, finite) into `target` at `at` as String(value) spells it and returns the end,
 * or -1 without writing when the value is outside (1e-6, 1e17). `target` needs 24 free bytes.
 */
export function writeShortest(target: Uint8Array, at: number, value: number): number {
  VALUE_INPUT[0] = value;
  return writeShortestInput(target, at);
}

/**
 * Where a hot caller puts the value for writeValueInput(): a double passed as an argument to a call V8
 * does not inline is boxed in a fresh 16-byte heap number, one per sample written; a typed-array slot is not.
 */
export const VALUE_INPUT = bits;

/**
 * Writes the value in VALUE_INPUT[0] as String() spells it (sign, safe integers, then shortest digits) and
 * returns the end; -1 without writing for what it leaves to the caller: -0, NaN, ±Infinity, and magnitudes
 * outside (1e-6, 1e17) that are not safe integers. `target` needs 26 free bytes. Leaves VALUE_INPUT[0] as it found it.
 */
export function writeValueInput(target: Uint8Array, at: number): number {
  const value = bits[0]!;
  if (value > 0) return Number.isSafeInteger(value) ? writeIntegerInput(target, at) : writeShortestInput(target, at);
  if (value === 0) {
    if (1 / value < 0) return -1;
    target[at] = 0x30;
    return at + 1;
  }
  if (!(value < 0)) return -1; // NaN
  bits[0] = -value;
  const end = Number.isSafeInteger(-value) ? writeIntegerInput(target, at + 1) : writeShortestInput(target, at + 1);
  bits[0] = value;
  if (end >= 0) target[at] = 0x2d;
  return end;
}

/** writeShortest() of the value in VALUE_INPUT[0]. */
function writeShortestInput(target: Uint8Array, at: number): number {
  const value = bits[0]!;
  if (!(value > 1e-6 && value < 1e17) || !LITTLE_ENDIAN) return -1;
  // At most three decimals (gauges like 123.456, 0.25): below THOUSANDTHS_LIMIT, v·1000 lies within 0.2 of
  // such a decimal's thousandths, so rounding finds it and one division proves it; no shorter or nearer
  // spelling exists, as decimals 0.001 apart cannot both round to v. ~8 ns; other values pay ~4 ns for the try.
  if (value >= 0.001 && value < THOUSANDTHS_LIMIT) {
    const thousandths = Math.round(value * 1000);
    if (thousandths / 1000 === value) return writeThousandths(target, at);
  }
  const high = words[1]!;
  const exponent = high >>> 20;
  const even = (words[0]! & 1) === 0;
  // At a power of two the next double down is half as far away as the next one up.
  const lowerHalved = (high & 0xfffff) === 0 && words[0] === 0 && exponent > 1;
  // The estimate of floor(log10 value) from the binary exponent is exact or one too small.
  let s = FIRST_SCALE[exponent]!;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (s < 0 || s > 22) return -1;
    // X = value·10^s = p + err exactly (two-product with Dekker splits).
    const p = value * POW10[s]!;
    const c = SPLITTER * value;
    const vh = c - (c - value);
    const vl = value - vh;
    const err = vh * POW10_HI[s]! - p + vh * POW10_LO[s]! + vl * POW10_HI[s]! + vl * POW10_LO[s]!;
    if (p < 1e16 || (p === 1e16 && err < 0)) {
      s++;
      continue;
    }
    if (p > 1e17 || (p === 1e17 && err >= 0)) {
      s--;
      continue;
    }
    // N = floor(X) as head·10^8 + tail; p ≥ 2^53 is an integer and head·10^8 is exact (head < 2^30).
    const whole = Math.floor(err);
    const frac = err - whole;
    let head = Math.floor(p / 1e8);
    let tail = p - head * 1e8 + whole;
    while (tail < 0) {
      head--;
      tail += 1e8;
    }
    while (tail >= 1e8) {
      head++;
      tail -= 1e8;
    }
    const h = HALF_ULP[exponent]! * POW10[s]!;
    const hLow = lowerHalved ? h / 2 : h;
    const t = tail | 0;
    for (let step = 100; step >= 1; step = (step / 10) | 0) {
      const rem = step === 100 ? t % 100 : step === 10 ? t % 10 : 0;
      // Below: N - rem, at X - (N - rem) = rem + frac. Above: N - rem + step, at step - rem - frac.
      // With frac in [0, 1) both are farther than h (≥ hLow) when these hold: most steps end here.
      if (rem > h && step - rem - 1 > h) continue;
      // compare() only on an exact tie of the rounded sums: a call V8 leaves out of line boxes its doubles.
      const belowSum = rem + frac;
      const aboveSum = step - rem - frac;
      const below = belowSum !== hLow ? (belowSum > hLow ? 1 : -1) : compare(rem, frac, hLow);
      const above = aboveSum !== h ? (aboveSum > h ? 1 : -1) : compare(step - rem, -frac, h);
      const belowIn = below < 0 || (below === 0 && even);
      const aboveIn = above < 0 || (above === 0 && even);
      if (!belowIn && !aboveIn) continue;
      let up = aboveIn;
      if (belowIn && aboveIn) {
        const nearerSum = 2 * rem - step + 2 * frac;
        const nearer = nearerSum !== 0 ? (nearerSum > 0 ? 1 : -1) : compare(2 * rem - step, 2 * frac, 0);
        up = nearer > 0 || (nearer === 0 && (((t - rem) / step) & 1) === 1);
      }
      let rounded = t - rem + (up ? step : 0);
      if (rounded >= 1e8) {
        head++;
        rounded -= 1e8;
      }
      return emit(target, at, head | 0, rounded | 0, 17 - s); // int32s: no heap numbers for the call
    }
    return -1;
  }
  return -1;
}

/** The value in VALUE_INPUT[0], known to be a whole number of thousandths, trailing zeros dropped; returns the end. */
function writeThousandths(target: Uint8Array, at: number): number {
  const value = bits[0]!;
  const thousandths = Math.round(value * 1000);
  const whole = Math.floor(thousandths / 1000);
  let fraction = (thousandths - whole * 1000) | 0;
  bits[0] = whole;
  at = writeIntegerInput(target, at);
  bits[0] = value;
  if (fraction === 0) return at;
  target[at++] = 0x2e;
  target[at++] = 0x30 + ((fraction / 100) | 0);
  fraction %= 100;
  if (fraction === 0) return at;
  target[at++] = 0x30 + ((fraction / 10) | 0);
  fraction %= 10;
  if (fraction === 0) return at;
  target[at++] = 0x30 + fraction;
  return at;
}

/** The sign of (whole + fraction) - bound, exactly: `whole` is a small integer, the sum is two-summed. */
function compare(whole: number, fraction: number, bound: number): number {
  const sum = whole + fraction;
  if (sum !== bound) return sum > bound ? 1 : -1;
  const back = sum - whole;
  const error = whole - (sum - back) + (fraction - back);
  return error > 0 ? 1 : error < 0 ? -1 : 0;
}

/**
 * Writes head·10^8 + tail (17 digits, or 10^17) as ECMAScript spells 0.d1d2…·10^n; returns the end.
 * With an integer part the 17 digits go one byte right of `at` and the n integer digits then move one
 * left to make room for the point: for most values fewer bytes than the fraction's. Writes at most 24
 * bytes from `at` (n ≥ -5).
 */
function emit(target: Uint8Array, at: number, head: number, tail: number, n: number): number {
  if (head >= 1e9) {
    head = 1e8;
    n++;
  }
  const start = n <= 0 ? at + 2 - n : at + 1;
  const first = (head / 1e8) | 0;
  writeEight(target, start + 1, (head - first * 1e8) | 0);
  writeEight(target, start + 9, tail | 0);
  target[start] = 0x30 + first;
  let k = 17;
  while (target[start + k - 1] === 0x30) k--;
  if (n <= 0) {
    // -6 < n ≤ 0: "0." then -n zeros, then the digits already in place.
    target[at] = 0x30;
    target[at + 1] = 0x2e;
    for (let i = at + 2; i < start; i++) target[i] = 0x30;
    return start + k;
  }
  const whole = n < k ? n : k;
  for (let i = 0; i < whole; i++) target[at + i] = target[start + i]!;
  if (k <= n) {
    for (let i = at + k; i < at + n; i++) target[i] = 0x30;
    return at + n;
  }
  target[at + n] = 0x2e;
  return start + k;
}

/**
 * Writes 0 ≤ value < 10^8 as exactly eight digits at `at`. The halves and quarters are split first, so the
 * four pair lookups do not wait on one another's divisions (~6 ns less per 17-digit value than a chain).
 */
function writeEight(target: Uint8Array, at: number, value: number): void {
  const high = (value / 10000) | 0;
  const low = value - high * 10000;
  const a = (high / 100) | 0;
  const b = (low / 100) | 0;
  const p0 = a << 1;
  const p1 = (high - a * 100) << 1;
  const p2 = b << 1;
  const p3 = (low - b * 100) << 1;
  target[at] = PAIRS[p0]!;
  target[at + 1] = PAIRS[p0 + 1]!;
  target[at + 2] = PAIRS[p1]!;
  target[at + 3] = PAIRS[p1 + 1]!;
  target[at + 4] = PAIRS[p2]!;
  target[at + 5] = PAIRS[p2 + 1]!;
  target[at + 6] = PAIRS[p3]!;
  target[at + 7] = PAIRS[p3 + 1]!;
}

/** Writes a non-negative safe integer in decimal at `at` (needs 16 free bytes); returns the end. ~10 ns. */
export function writeInteger(target: Uint8Array, at: number, value: number): number {
  VALUE_INPUT[0] = value;
  return writeIntegerInput(target, at);
}

/** writeInteger() of the value in VALUE_INPUT[0]. */
function writeIntegerInput(target: Uint8Array, at: number): number {
  const value = bits[0]!;
  if (value < 1e8) return writeSmall(target, at, value | 0);
  // head·10^8 is exact (head < 2^27) and so is the difference, so both halves are exact integers.
  const head = Math.floor(value / 1e8);
  let tail = value - head * 1e8;
  let high = head;
  if (tail < 0) {
    high--;
    tail += 1e8;
  } else if (tail >= 1e8) {
    high++;
    tail -= 1e8;
  }
  at = writeSmall(target, at, high | 0);
  writeEight(target, at, tail | 0);
  return at + 8;
}

/** Writes 0 ≤ value < 10^9 without leading zeros; returns the end. */
function writeSmall(target: Uint8Array, at: number, value: number): number {
  let size = 1;
  for (let probe = value; probe >= 10; probe = (probe / 10) | 0) size++;
  let end = at + size;
  let v = value;
  while (v >= 100) {
    const q = (v / 100) | 0;
    const pair = (v - q * 100) << 1;
    target[--end] = PAIRS[pair + 1]!;
    target[--end] = PAIRS[pair]!;
    v = q;
  }
  if (v >= 10) {
    target[--end] = PAIRS[(v << 1) + 1]!;
    target[--end] = PAIRS[v << 1]!;
  } else target[--end] = 0x30 + v;
  return at + size;
}

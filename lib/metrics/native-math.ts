// Native-histogram bucket indexes (Prometheus' standard exponential schemas -4..8). nativeKey(): frexp read off
// the float's bits, then one table read and one comparison (schema > 0) or a shift; ~8 ns, no allocation.
// Holds: bucket i covers (bound(i-1), bound(i)] where bound(i) is base^i (base = 2^(2^-schema)) as Prometheus'
// float64 table has it, so a value on a bound lands in that bound's bucket for every schema, as in Prometheus.

export const MIN_SCHEMA = -4;
export const MAX_SCHEMA = 8;

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// Float64Array shares the platform's byte order; the exponent sits in the high word.
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;
const TWO_64 = 2 ** 64;

const boundsBySchema: Array<Float64Array | undefined> = [];

/**
 * The 2^schema bounds that split [0.5, 1). Prometheus fixes them by one procedure, followed here so that a value
 * on a bound lands where Prometheus puts it: bound 0 is 0.5; even entries are the next lower schema's bounds;
 * each odd entry is the entry before it times the growth factor 2^(2^-schema) as a float64: the nearest one,
 * except for schema 1, where Prometheus' table starts from the float64 one ulp below √2. The bounds can so
 * differ from the nearest float64 to 2^(i·2^-schema - 1) by an ulp or two; spec/metrics/native-math checks
 * entries against Prometheus' published table and every bound against an exact BigInt root.
 */
export function nativeBounds(schema: number): Float64Array {
  if (schema < 0) return nativeBounds(0); // unused below schema 1; one table keeps callers simple
  let bounds = boundsBySchema[schema];
  if (bounds !== undefined) return bounds;
  bounds = new Float64Array(1 << schema);
  bounds[0] = 0.5;
  if (schema > 0) {
    const lower = nativeBounds(schema - 1);
    const factor = (nearestRoot(1, schema) - (schema === 1 ? 1 : 0)) / 2 ** 52;
    for (let i = 1; i < bounds.length; i++) bounds[i] = i % 2 === 0 ? lower[i / 2]! : bounds[i - 1]! * factor;
  }
  boundsBySchema[schema] = bounds;
  return bounds;
}

/** Per schema > 0: each bound's 52 mantissa bits as an exact integer, and for each of 512 mantissa cells the
 * first bound at or above the cell's start. No cell holds two bounds (schema 8's are ≥ 0.0027 of the range
 * apart, a cell 0.00195), so one table read and one comparison replace a binary search. */
export interface Layout {
  mantissas: Float64Array;
  cells: Int32Array;
}
const CELL_SHIFT = 11; // 20 high mantissa bits → 9-bit cell
const EMPTY_LAYOUT: Layout = { mantissas: new Float64Array(0), cells: new Int32Array(0) };
const layouts: Array<Layout | undefined> = new Array<Layout | undefined>(MAX_SCHEMA + 1).fill(undefined);

/** The lookup tables nativeKeyIn() takes for `schema` (built once per schema; schema ≤ 0 needs none). */
export function layoutOf(schema: number): Layout {
  if (schema <= 0) return EMPTY_LAYOUT;
  const known = layouts[schema];
  if (known !== undefined) return known;
  const bounds = nativeBounds(schema);
  const mantissas = new Float64Array(bounds.length + 1);
  for (let i = 0; i < bounds.length; i++) mantissas[i] = bounds[i]! * 2 ** 53 - 2 ** 52;
  mantissas[bounds.length] = 2 ** 52; // above every mantissa
  const cells = new Int32Array(512);
  for (let c = 0, i = 0; c < 512; c++) {
    while (mantissas[i]! < c * 2 ** 43) i++;
    cells[c] = i;
  }
  return (layouts[schema] = { mantissas, cells });
}

/**
 * The bucket index of a positive `magnitude` (Infinity included) under `schema`; the caller picks the positive
 * or negative side and the zero bucket. +Inf takes the index after the one that holds Number.MAX_VALUE.
 * Cost: ~8 ns (a float's two words, a table read, a comparison); no allocation.
 */
export function nativeKey(magnitude: number, schema: number): number {
  return nativeKeyIn(magnitude, schema, layoutOf(schema));
}

/** nativeKey() with the schema's tables passed in, as a series holding them calls it on every observation. */
export function nativeKeyIn(magnitude: number, schema: number, layout: Layout): number {
  const infinite = magnitude === Infinity;
  F64[0] = infinite ? Number.MAX_VALUE : magnitude;
  let hi = U32[HI]!;
  let exp = (hi >>> 20) - 1022;
  if (exp === -1022) {
    // Subnormal: scale into the normal range first (exact), then take the exponent back off.
    F64[0] = magnitude * TWO_64;
    hi = U32[HI]!;
    exp = (hi >>> 20) - 1022 - 64;
  }
  const high = hi & 0xfffff;
  const low = U32[LO]!;
  let key: number;
  if (schema > 0) {
    // The first bound ≥ the mantissa: frac = 0.5 + mantissa/2^53 lies in [0.5, 1).
    const mantissa = high * 4294967296 + low;
    let i = layout.cells[high >>> CELL_SHIFT]!;
    if (mantissa > layout.mantissas[i]!) i++;
    key = i + (exp - 1) * (1 << schema);
  } else {
    // An exact power of two is the upper bound of the bucket below its exponent.
    key = high === 0 && low === 0 ? exp - 1 : exp;
    const shift = -schema;
    key = (key + (1 << shift) - 1) >> shift;
  }
  return infinite ? key + 1 : key;
}

/** The upper bound of bucket `key`: base^key, exact for schema ≤ 0, the nearest float64 above that. */
export function nativeUpperBound(key: number, schema: number): number {
  if (schema <= 0) return 2 ** (key * 2 ** -schema);
  const n = 1 << schema;
  const within = ((key % n) + n) % n;
  const power = (key - within) / n;
  return nativeBounds(schema)[within]! * 2 * 2 ** power;
}

/** The bucket that holds bucket `key`'s range once the schema drops by one: neighbouring pairs merge. */
export function halvedKey(key: number): number {
  return (key + 1) >> 1;
}

/**
 * The integer m in [2^52, 2^53) with m/2^52 nearest to 2^(k/n), n = 2^schema: starting from Math.pow, step
 * until ((2m-1)/2)^n < (2^52)^n·2^k < ((2m+1)/2)^n, both sides exact BigInts. No tie exists (the root is
 * irrational for 0 < k < n). Cost: a few BigInt powers of up to 2^schema; schema 8 ~0.3 ms, once.
 */
function nearestRoot(k: number, schema: number): number {
  const n = 1 << schema;
  const power = BigInt(n);
  const target = 1n << BigInt(52 * n + k + n);
  let m = BigInt(Math.round(2 ** (k / n) * 2 ** 52));
  for (;;) {
    if ((2n * m - 1n) ** power >= target) m--;
    else if ((2n * m + 1n) ** power <= target) m++;
    else return Number(m);
  }
}

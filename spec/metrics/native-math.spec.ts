// Native bucket indexes against exact references: powers of two for schema ≤ 0 (exact floats), and for schema > 0
// an exact BigInt test of which side of base^i a float lies on, plus entries of Prometheus' published bound table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { halvedKey, nativeBounds, nativeKey, nativeUpperBound } from '../../lib/metrics/native-math.js';

const key = (value: number, schema: number): number => nativeKey(value, schema);

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
function nextUp(x: number): number {
  F64[0] = x;
  U64[0]! += 1n;
  return F64[0]!;
}
function nextDown(x: number): number {
  F64[0] = x;
  U64[0]! -= 1n;
  return F64[0]!;
}

/** x as an exact fraction numerator / 2^shift (x > 0 finite). */
function exact(x: number): { numerator: bigint; shift: number } {
  F64[0] = x;
  const bits = U64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { numerator: mantissa, shift: 1074 };
  return { numerator: mantissa | (1n << 52n), shift: 1075 - biased };
}

/** Exact: is x > 2^(i/n) for n = 2^schema? Compares x^n with 2^i as integers. */
function above(x: number, i: number, schema: number): boolean {
  const n = 1 << schema;
  const { numerator, shift } = exact(x);
  // x^n > 2^i  ⇔  numerator^n > 2^(i + shift·n)
  const left = numerator ** BigInt(n);
  const exponent = i + shift * n;
  return exponent >= 0 ? left > 1n << BigInt(exponent) : left << BigInt(-exponent) > 1n;
}

test('schema ≤ 0: every power of two is the top of its bucket, the next float starts the next one', () => {
  for (let schema = -4; schema <= 0; schema++) {
    const width = 2 ** -schema;
    for (let e = -1074; e <= 1023; e++) {
      const x = 2 ** e;
      const expected = Math.ceil(e / width);
      assert.is(key(x, schema), expected, `2^${e} at schema ${schema}`);
      if (e % width === 0) assert.is(key(nextUp(x), schema), expected + 1, `next float after 2^${e} at schema ${schema}`);
      else assert.is(key(nextUp(x), schema), expected, `next float after 2^${e} at schema ${schema}`);
    }
  }
});

test('schema > 0: each bound is within five ulps of the exact base^i (the Prometheus table is off by up to four), and values on either side of it land by the exact rule', () => {
  for (let schema = 1; schema <= 8; schema++) {
    const n = 1 << schema;
    for (let i = -3 * n; i <= 3 * n; i++) {
      const bound = nativeUpperBound(i, schema);
      // The exact root lies between two floats; the bound is one of the few floats around it.
      let low = bound;
      for (let k = 0; k < 5; k++) low = nextDown(low);
      let high = bound;
      for (let k = 0; k < 5; k++) high = nextUp(high);
      assert.ok(!above(low, i, schema) && above(high, i, schema), `bound ${i} at schema ${schema} is ${bound}, more than five ulps from 2^(${i}/${n})`);
      assert.is(key(bound, schema), i, `the bound of bucket ${i} at schema ${schema} (${bound}) is in bucket ${i}`);
      assert.is(key(nextUp(bound), schema), i + 1, `the float after bound ${i} at schema ${schema} opens bucket ${i + 1}`);
      // Floats clearly below or above the exact root land by the exact rule.
      assert.ok(!above(low, i, schema) && above(low, i - 1, schema));
      assert.is(key(low, schema), i);
      assert.is(key(high, schema), i + 1);
    }
  }
});

test("schema > 0: the bounds are Prometheus' own table (published entries, by schema and index)", () => {
  // Values from client_golang's nativeHistogramBounds, which Prometheus' server shares.
  const published: Array<[number, number, number]> = [
    [1, 1, 0.7071067811865475],
    [2, 1, 0.5946035575013605],
    [2, 3, 0.8408964152537144],
    [3, 1, 0.5452538663326288],
    [3, 3, 0.6484197773255048],
    [3, 5, 0.7711054127039704],
    [3, 7, 0.9170040432046711],
    [4, 11, 0.805245165974627],
    [4, 15, 0.9576032806985735],
    [7, 127, 0.9945994234836328],
    [8, 1, 0.5013556375251013],
    [8, 7, 0.509566998038869],
    [8, 255, 0.9972960560854698],
  ];
  for (const [schema, index, value] of published) assert.is(nativeBounds(schema)[index], value, `schema ${schema} bound ${index}`);
});

test('the zero-threshold default 2^-128 and 1 are bounds in every schema; random values match a float-by-float search', () => {
  for (let schema = -4; schema <= 8; schema++) {
    assert.is(key(1, schema), 0);
    assert.is(key(nextUp(1), schema), 1);
    const threshold = 2 ** -128;
    const k = key(threshold, schema);
    assert.is(key(nextUp(threshold), schema), k + 1, `2^-128 is a bound at schema ${schema}`);
  }
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let t = 0; t < 2000; t++) {
    const schema = 1 + (t % 8);
    const x = 2 ** (random() * 80 - 40);
    const k = key(x, schema);
    assert.ok(x <= nativeUpperBound(k, schema) && x > nativeUpperBound(k - 1, schema), `${x} in bucket ${k} at schema ${schema}`);
  }
});

test('extremes: the largest and smallest floats, +Inf one past MAX_VALUE', () => {
  for (let schema = -4; schema <= 8; schema++) {
    const top = key(Number.MAX_VALUE, schema);
    assert.is(key(Infinity, schema), top + 1);
    assert.ok(key(Number.MIN_VALUE, schema) <= key(2 ** -1073, schema));
  }
  assert.is(key(Number.MAX_VALUE, 0), 1024);
  assert.is(key(Number.MAX_VALUE, 3), 8192);
  assert.is(key(Number.MIN_VALUE, 0), -1074);
  assert.is(key(Number.MIN_VALUE, -4), Math.ceil(-1074 / 16));
});

test('halving merges bucket pairs: ceil(k/2) covers k at the next lower schema', () => {
  for (let schema = -3; schema <= 8; schema++) {
    for (let k = -40; k <= 40; k++) {
      const merged = halvedKey(k);
      const top = nativeUpperBound(k, schema);
      assert.is(key(top, schema - 1), merged, `bucket ${k} at schema ${schema} -> ${merged}`);
    }
  }
  assert.equal([-3, -2, -1, 0, 1, 2, 3].map(halvedKey), [-1, -1, 0, 0, 1, 1, 2]);
});

test.run();

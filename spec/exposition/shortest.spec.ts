import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteWriter } from '../../lib/exposition/byte-writer.js';
import { formatValue } from '../../lib/exposition/numbers.js';
import { writeInteger, writeShortest } from '../../lib/exposition/shortest.js';
import { prng } from '../support/prng.js';

const target = new Uint8Array(64);
const inRange = (value: number): boolean => value > 1e-6 && value < 1e17;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Compares writeShortest(x) with String(x) byte by byte; returns how many values it wrote itself (all in range). */
function compareAll(count: number, next: () => number, label: string): number {
  let written = 0;
  for (let i = 0; i < count; i++) {
    const value = next();
    const end = writeShortest(target, 0, value);
    if (end < 0) {
      if (inRange(value)) assert.unreachable(`${label}: declined ${String(value)}, which is in range`);
      continue;
    }
    written++;
    const expected = String(value);
    let same = end === expected.length;
    for (let j = 0; same && j < end; j++) same = target[j] === expected.charCodeAt(j);
    if (!same) assert.unreachable(`${label}: wrote ${Buffer.from(target.subarray(0, end)).toString('latin1')} for ${expected}`);
  }
  return written;
}

test('writes exactly what String() writes for 10 million doubles in five distributions', () => {
  const random = prng(16);
  // Any bit pattern of a positive finite double: most fall outside (1e-6, 1e17) and are left to String().
  const anyBits = (): number => {
    do {
      words[0] = random() * 2 ** 32;
      words[1] = random() * 2 ** 31;
    } while (!Number.isFinite(bits[0]!));
    return bits[0]!;
  };
  // Random mantissa bits with the binary exponent in the range the writer serves (2^-19 .. 2^56).
  const rangeBits = (): number => {
    words[0] = random() * 2 ** 32;
    words[1] = ((1004 + Math.floor(random() * 75)) << 20) | (random() * 2 ** 20);
    return bits[0]!;
  };
  // Decimals with few digits, 0.00001 to 10^9: 0.25, 1692222226.141, 0.00035.
  const shortDecimals = (): number => {
    const value = Math.round(random() * 10 ** (1 + Math.floor(random() * 9))) / 10 ** Math.floor(random() * 6);
    return value === 0 ? 1 : value;
  };
  // Within a few ulps of a power of ten (where the digit count changes) and gauge-like sums of steps.
  const nearPowers = (): number => {
    const power = 10 ** (Math.floor(random() * 24) - 6);
    const ulps = Math.floor(random() * 9) - 4;
    const sum = Math.floor(random() * 1000) * 0.1 + Math.floor(random() * 1000) * 0.001;
    return random() < 0.5 ? power * (1 + ulps * 2 ** -52) : sum === 0 ? power : sum;
  };
  // Integers and halves near 2^53 (and 2^54, 2^56), where doubles stop holding every integer.
  const near53 = (): number => 2 ** (53 + Math.floor(random() * 4)) + Math.floor(random() * 4096) - 2048 + (random() < 0.5 ? 0.5 : 0);
  const sizes = [1_000_000, 2_500_000, 2_500_000, 2_000_000, 2_000_000];
  const served = [
    compareAll(sizes[0]!, anyBits, 'random bits'),
    compareAll(sizes[1]!, rangeBits, 'random bits in range'),
    compareAll(sizes[2]!, shortDecimals, 'short decimals'),
    compareAll(sizes[3]!, nearPowers, 'near powers of ten'),
    compareAll(sizes[4]!, near53, 'near 2^53'),
  ];
  assert.is(sizes.reduce((a, b) => a + b), 10_000_000);
  // Every distribution but the first lies (almost) entirely in range: the writer, not String(), served it.
  assert.ok(served[0]! > 0, 'some random bit patterns land in range');
  assert.is(served[1], sizes[1]);
  assert.is(served[2], sizes[2]);
  assert.ok(served[3]! > sizes[3]! * 0.95, `near powers: served ${served[3]}`);
  assert.is(served[4], sizes[4]);
});

test('edge cases: powers of ten, range ends, 2^53 neighbours, ties and the carry into a new digit', () => {
  const cases: number[] = [1e-6, 1e-5, 0.1, 0.2, 0.3, 0.1 + 0.2, 1, 1.5, 9.999999999999999, 99999999999999.99];
  for (let k = -6; k <= 16; k++) {
    const power = 10 ** k;
    cases.push(power, power * (1 + 2 ** -52), power * (1 - 2 ** -53), power * (1 - 2 ** -52), Number(`1e${k}`));
  }
  for (let j = -8; j <= 8; j++) cases.push(2 ** 53 + j * 2, 2 ** 53 + j / 2);
  cases.push(1e17 * (1 - 2 ** -53), 2 ** 56, 2 ** 56 - 8, 123456789012345680, 5e-324 * 2 ** 1000, Number.MAX_SAFE_INTEGER + 0.5);
  cases.push(124.45599999999999, 0.000001234, 4.35, 0.07, 1692222226.141, 2 ** -20, 2 ** 56 + 16);
  // Around the three-decimals shortcut: its lower end, its limit (2^53 / 10^4), and values it must decline.
  const limit = 2 ** 53 / 1e4;
  cases.push(0.001, 0.0009999999999999998, 0.0015, 0.999, 0.9995, 123.456, 123.4560000000001, 100000000000.001);
  cases.push(limit, limit * (1 - 2 ** -52), 900719925474.099, 900719925474.1, 900719925473.999, 1e11 + 0.5, 2 ** 39 + 0.125);
  for (const value of cases) {
    if (!inRange(value)) {
      assert.is(writeShortest(target, 0, value), -1, `out of range: ${value}`);
      continue;
    }
    const end = writeShortest(target, 0, value);
    assert.is(Buffer.from(target.subarray(0, end)).toString('latin1'), String(value), `for ${String(value)}`);
  }
});

test('out of range, the writer declines and ByteWriter.value() spells what formatValue() does', () => {
  const writer = new ByteWriter();
  const values = [
    5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1e-7, 9.99999999999e-7, 1e17, 1e21, 1e21 * (1 - 2 ** -53),
    1e21 * (1 + 2 ** -52), 999999999999999900000, Number.MAX_VALUE, -1e21, -5e-324, 0, -0, NaN, Infinity, -Infinity,
    -124.45599999999999, -(2 ** 53) - 2, 2 ** 60,
  ];
  for (const value of values) {
    if (value > 0 && !inRange(value)) assert.is(writeShortest(target, 0, value), -1, `declines ${value}`);
    writer.reset();
    writer.value(value);
    assert.is(writer.view().toString('latin1'), formatValue(value), `for ${formatValue(value)}`);
  }
  // The exposition's own spellings, which String() does not give.
  writer.reset();
  writer.value(-0);
  writer.value(Infinity);
  assert.is(writer.view().toString('latin1'), '-0+Inf');
});

test('writeInteger() writes what String() writes for safe integers, across the 10^8 split and at 2^53 - 1', () => {
  const random = prng(53);
  const values = [0, 1, 9, 10, 99, 100, 99_999_999, 100_000_000, 100_000_001, 199_999_999_999, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
  for (let i = 0; i < 200_000; i++) values.push(Math.floor(random() * 10 ** Math.floor(random() * 16)));
  for (const value of values) {
    const end = writeInteger(target, 0, value);
    assert.is(Buffer.from(target.subarray(0, end)).toString('latin1'), String(value));
  }
});

test.run();

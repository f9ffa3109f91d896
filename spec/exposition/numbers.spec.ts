import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatCanonical, formatMilliseconds, formatSeconds, formatValue } from '../../lib/exposition/numbers.js';

const value = (input: number, expected: string) =>
  test(`sample value ${String(input)} is written ${expected}`, () => assert.is(formatValue(input), expected));
value(0, '0');
value(-0, '-0');
value(1, '1');
value(-17, '-17');
value(0.003703703703703704, '0.003703703703703704');
value(1e21, '1e+21');
value(1e-300, '1e-300');
value(Infinity, '+Inf');
value(-Infinity, '-Inf');
value(NaN, 'NaN');
value(2 ** 53, '9007199254740992');

// The spec's "Canonical Numbers" examples, plus the shapes around each threshold.
const canonical = (input: number, expected: string) =>
  test(`canonical ${String(input)} is ${expected}`, () => assert.is(formatCanonical(input), expected));
canonical(0, '0.0');
canonical(-0, '-0.0');
canonical(0.001, '0.001');
canonical(0.01, '0.01');
canonical(0.1, '0.1');
canonical(0.9, '0.9');
canonical(0.95, '0.95');
canonical(0.99, '0.99');
canonical(0.999, '0.999');
canonical(1, '1.0');
canonical(1.7, '1.7');
canonical(10, '10.0');
canonical(1e-10, '1e-10');
canonical(1e-9, '1e-09');
canonical(1e-5, '1e-05');
canonical(0.0001, '0.0001');
canonical(100000, '100000.0');
canonical(1e6, '1e+06');
canonical(1e10, '1e+10');
canonical(1555555.55555552, '1.55555555555552e+06');
canonical(123456.5, '123456.5');
canonical(-2.5, '-2.5');
canonical(-1e-7, '-1e-07');
canonical(1e21, '1e+21');
canonical(1.5e300, '1.5e+300');
canonical(Infinity, '+Inf');
canonical(-Infinity, '-Inf');
canonical(NaN, 'NaN');

test('canonical forms parse back to the same number', () => {
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const x = (seed / 2 ** 31 - 0.5) * 10 ** ((seed % 40) - 20);
    assert.is(Number(formatCanonical(x)), x, `for ${x}`);
  }
});

test('timestamps are seconds in OpenMetrics and integer milliseconds in Prometheus text', () => {
  assert.is(formatSeconds(1692222226.141), '1692222226.141');
  assert.is(formatMilliseconds(1692222226.141), '1692222226141');
  assert.is(formatMilliseconds(1692222226141 / 1000), '1692222226141');
  assert.is(formatMilliseconds(-1.5), '-1500');
});

test.run();

// The number grammar, checked before conversion: one line per token, accepted or refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInt64, parseNumber, parseReal } from '../../lib/exposition/parse/number.js';

const value = (token: string): number | undefined => parseNumber(token, 0, token.length);
const real = (token: string): number | undefined => parseReal(token, 0, token.length);

const accepted: Array<[string, number]> = [
  ['0', 0], ['-0', -0], ['+7', 7], ['007', 7], ['1.', 1], ['.5', 0.5], ['-.5', -0.5], ['1.5e3', 1500],
  ['1E-3', 0.001], ['1e+06', 1e6], ['1e21', 1e21], ['1e-300', 1e-300], ['123456789012345', 123456789012345],
  ['1234567890123456789', 1234567890123456789], ['0000000000000000000000000000001.2e-1', 0.12],
  ['+Inf', Infinity], ['-Inf', -Infinity], ['inf', Infinity], ['INF', Infinity], ['+infinity', Infinity],
  ['-Infinity', -Infinity],
];
const refused = ['', '+', '-', '.', 'e5', '1e', '1e+', '0x1', '0X1', '0b1', '0o1', '0x1p-3', '1_2', '1.1.1', '1z',
  ' 1', '1 ', '\t1', '+-1', '--1', 'Infinityx', 'in', 'infin', '+NaN', '-nan', 'nan1', '١', '1e5.5'];

for (const [token, expected] of accepted) {
  test(`${JSON.stringify(token)} is the number ${Object.is(expected, -0) ? '-0' : expected}`, () => {
    assert.ok(Object.is(value(token), expected), `got ${value(token)}`);
  });
}

for (const token of refused) {
  test(`${JSON.stringify(token)} is not a number`, () => {
    assert.is(value(token), undefined);
  });
}

test('NaN is accepted in any case but has no sign', () => {
  for (const token of ['NaN', 'nan', 'NAN', 'nAn']) assert.ok(Number.isNaN(value(token)), token);
  assert.is(value('+NaN'), undefined);
});

test('a timestamp is a real number: no inf and no nan', () => {
  assert.is(real('1520879607.789'), 1520879607.789);
  assert.is(real('-1.5'), -1.5);
  for (const token of ['Inf', '+Inf', 'NaN', '']) assert.is(real(token), undefined, token);
});

test('a token is read inside a longer text between its bounds only', () => {
  assert.is(parseNumber('a 12 b', 2, 4), 12);
  assert.is(parseNumber('a 12.5e1 b', 2, 8), 125);
  assert.is(parseNumber('x-Inf', 1, 5), -Infinity);
});

test('Prometheus 0.0.4 millisecond timestamps are optionally signed integers', () => {
  const integer = (token: string): number | undefined => parseInt64(token, 0, token.length);
  assert.is(integer('1692222226141'), 1692222226141);
  assert.is(integer('-5'), -5);
  assert.is(integer('+5'), 5);
  for (const token of ['', '-', '1.5', '1e3', '0x10', 'Inf']) assert.is(integer(token), undefined, token);
});

test('a 0.0.4 timestamp must fit int64, whatever its leading zeros', () => {
  const integer = (token: string): number | undefined => parseInt64(token, 0, token.length);
  // Both bounds themselves are accepted (as the nearest float64, 2^63).
  assert.is(integer('9223372036854775807'), 2 ** 63);
  assert.is(integer('-9223372036854775808'), -(2 ** 63));
  assert.is(integer('0009223372036854775807'), 2 ** 63);
  assert.is(integer('000'), 0);
  for (const token of ['9223372036854775808', '-9223372036854775809', '+9223372036854775808', '10000000000000000000', '9'.repeat(400)]) {
    assert.is(integer(token), undefined, token);
  }
});

test.run();

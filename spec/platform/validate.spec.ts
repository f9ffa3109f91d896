import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiError } from '../../lib/platform/api-error.js';
import { MAX_RATE, isoTime, optionalRate, parseJsonObject } from '../../lib/platform/validate.js';

/** The 400 `read` throws; fails when it throws nothing or something else. */
function refusal(read: () => unknown): ApiError {
  try {
    read();
  } catch (error: unknown) {
    assert.instance(error, ApiError);
    assert.is((error as ApiError).status, 400);
    return error as ApiError;
  }
  return assert.unreachable('expected a 400, got a value') as never;
}

// [input, the same instant written in UTC by hand]
const GOOD_TIMES: [string, string][] = [
  ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
  ['2024-05-01T12:00Z', '2024-05-01T12:00:00.000Z'],
  ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'], // a leap year
  ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'], // divisible by 400: a leap year
  ['2024-01-01T00:30:00+01:00', '2023-12-31T23:30:00.000Z'],
  ['2024-01-01T00:30:00+0100', '2023-12-31T23:30:00.000Z'],
  ['2024-12-31T23:30:00-01:30', '2025-01-01T01:00:00.000Z'],
  ['2024-05-01T12:00:00.1239Z', '2024-05-01T12:00:00.123Z'], // digits past the millisecond are cut
  ['2024-05-01T12:00:00.5Z', '2024-05-01T12:00:00.500Z'],
  ['0050-03-01T00:00:00Z', '0050-03-01T00:00:00.000Z'], // not taken as 1950
  ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
];

test('ISO-8601 times with a zone read as the instant they name', () => {
  for (const [input, utc] of GOOD_TIMES) assert.is(new Date(isoTime(input, 't')).toISOString(), utc, input);
});

// [input, what the message must say]; every one is a 400 naming the field `t`.
const BAD_TIMES: [unknown, RegExp][] = [
  ['2024-02-30T12:00:00Z', /day 30 is not in 2024-02, which has 29 days/],
  ['2023-02-29T12:00:00Z', /day 29 is not in 2023-02, which has 28 days/],
  ['1900-02-29T12:00:00Z', /day 29 is not in 1900-02, which has 28 days/],
  ['2024-04-31T12:00:00Z', /day 31 is not in 2024-04, which has 30 days/],
  ['2024-05-00T12:00:00Z', /day 00 is not in 2024-05/],
  ['2024-13-01T12:00:00Z', /month 13 is not 01 to 12/],
  ['2024-00-01T12:00:00Z', /month 00 is not 01 to 12/],
  ['2024-05-01T24:00:00Z', /hour 24 is past 23/],
  ['2024-05-01T12:60:00Z', /minute 60 is past 59/],
  ['2024-05-01T12:00:60Z', /second 60 is past 59/],
  ['0000-01-01T00:00:00Z', /year 0000 is before year 0001/],
  ['2024-05-01T12:00:00+24:00', /offset \+24:00 is not -23:59 to \+23:59/],
  ['2024-05-01T12:00:00+01:60', /offset \+01:60 is not/],
  ['0001-01-01T00:30:00+01:00', /outside years 0001 to 9999 in UTC/],
  ['9999-12-31T23:30:00-01:00', /outside years 0001 to 9999 in UTC/],
  ['2024-05-01 12:00:00Z', /expected an ISO-8601 time with a zone/],
  ['2024-05-01T12:00:00', /expected an ISO-8601 time with a zone/],
  ['2024-05-01T12:00:00+1', /expected an ISO-8601 time with a zone/],
  [1714564800000, /got 1714564800000, expected an ISO-8601 time/],
  [undefined, /got nothing, expected an ISO-8601 time/],
];

test('impossible calendar fields are refused naming the field and the rule, not rolled over', () => {
  for (const [input, message] of BAD_TIMES) {
    const error = refusal(() => isoTime(input, 't'));
    assert.match(error.message, /^invalid t: got /, String(input));
    assert.match(error.message, message, String(input));
  }
});

test('rates are finite numbers from 0 to the cap; absent ones stay absent', () => {
  assert.is(optionalRate(undefined, 'r'), undefined);
  assert.is(optionalRate(null, 'r'), undefined);
  for (const rate of [0, 0.5, 40_000, MAX_RATE]) assert.is(optionalRate(rate, 'r'), rate);
  assert.is(MAX_RATE, 1e12);
  assert.match(refusal(() => optionalRate(1e308, 'r')).message, /^invalid r: got 1e\+308, over the cap of 1e12 rows per second/);
  assert.match(refusal(() => optionalRate(MAX_RATE * 1.5, 'r')).message, /over the cap of 1e12/);
  for (const bad of [-1, -0.5, Infinity, NaN, '5']) assert.match(refusal(() => optionalRate(bad, 'r')).message, /expected a finite number >= 0/, String(bad));
});

test('a JSON body that is not an object says what it is, in a sentence', () => {
  const read = (text: string) => refusal(() => parseJsonObject(Buffer.from(text), 1000, 'thing request', '{"a": 1}')).message;
  assert.is(read('[1, 2, 3]'), 'malformed thing request: the body is an array of 3, not an object; send a JSON object like {"a": 1}');
  assert.is(read('"text"'), 'malformed thing request: the body is "text", not an object; send a JSON object like {"a": 1}');
  assert.is(read('null'), 'malformed thing request: the body is null, not an object; send a JSON object like {"a": 1}');
});

test.run();

// Native histograms in the library: options, where observations land (zero bucket, negatives, ±Inf, NaN), the
// schema dropping when a series passes maxBuckets, gauge histograms, and classic buckets kept alongside.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { GaugeHistogram } from '../../lib/metrics/gaugehistogram.js';
import { Histogram } from '../../lib/metrics/histogram.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { nativeKey, nativeUpperBound } from '../../lib/metrics/native-math.js';
import { Registry } from '../../lib/registry.js';
import { collectErrors } from './render.js';
import type { NativeBucketsModel } from '../../lib/exposition/model.js';

/** Bucket index → count, from the model's spans and absolute counts. */
function expand(spans: NativeBucketsModel['positiveSpans'], counts: number[]): Map<number, number> {
  const out = new Map<number, number>();
  let index = 0;
  let at = 0;
  spans.forEach(([offset, length], s) => {
    index = s === 0 ? offset : index + offset;
    for (let k = 0; k < length; k++, index++, at++) if (counts[at] !== 0) out.set(index, counts[at]!);
  });
  assert.is(at, counts.length, 'span lengths add up to the count list');
  return out;
}

test('native: true takes the defaults; bad options are refused naming the value and the rule', () => {
  const h = new Histogram({ name: 'h', help: '', native: true });
  assert.equal(h.native, { schema: 3, zeroThreshold: 2 ** -128, maxBuckets: 160 });
  const bad: Array<[unknown, RegExp]> = [
    [{ schema: 9 }, /native schema 9 must be an integer from -4 to 8/],
    [{ schema: -5 }, /native schema -5/],
    [{ schema: 1.5 }, /native schema 1.5/],
    [{ zeroThreshold: -1 }, /zeroThreshold -1 must be a finite number ≥ 0/],
    [{ zeroThreshold: NaN }, /zeroThreshold NaN/],
    [{ maxBuckets: 0 }, /maxBuckets 0 must be a positive integer/],
    ['yes', /native must be true or/],
  ];
  for (const [native, message] of bad) {
    try {
      new Histogram({ name: 'h', help: '', native: native as true });
      assert.unreachable(`accepted ${JSON.stringify(native)}`);
    } catch (error) {
      assert.instance(error, MetricError);
      assert.match((error as Error).message, message);
    }
  }
});

test('observations land in the bucket nativeKey names, zero-threshold values in the zero bucket, negatives mirrored', () => {
  const h = new Histogram({ name: 'h', help: '', native: { schema: 2, zeroThreshold: 0.001 } });
  const values = [1, 1, 2, 3, 0.001, -0.001, 0, -0, -1, -5, 1e-4, 1000];
  for (const v of values) h.observe(v);
  const model = h.labels().nativeModel()!;
  assert.is(model.schema, 2);
  assert.is(model.zeroThreshold, 0.001);
  assert.is(model.zeroCount, 5); // ±0.001, 0, -0, 1e-4: |v| ≤ threshold
  const expected = new Map<number, number>();
  for (const v of values.filter((v) => v > 0.001)) expected.set(nativeKey(v, 2), (expected.get(nativeKey(v, 2)) ?? 0) + 1);
  assert.equal(expand(model.positiveSpans, model.positiveCounts), expected);
  assert.equal(expand(model.negativeSpans, model.negativeCounts), new Map([[0, 1], [nativeKey(5, 2), 1]]));
  assert.is(h.labels().count, values.length);
});

test('±Inf land one past the largest finite bucket; NaN is refused and changes nothing', () => {
  const h = new Histogram({ name: 'h', help: '', native: true });
  const errors = collectErrors(h);
  h.observe(Infinity);
  h.observe(-Infinity);
  h.observe(NaN);
  const model = h.labels().nativeModel()!;
  const top = nativeKey(Number.MAX_VALUE, 3);
  assert.equal(expand(model.positiveSpans, model.positiveCounts), new Map([[top + 1, 1]]));
  assert.equal(expand(model.negativeSpans, model.negativeCounts), new Map([[top + 1, 1]]));
  assert.is(h.labels().count, 2);
  assert.is(errors.length, 1);
  assert.match(errors[0]!.message, /cannot observe NaN: observations must be numbers other than NaN/);
});

test('passing maxBuckets drops the schema and merges neighbouring buckets, keeping every count', () => {
  const h = new Histogram({ name: 'h', help: '', native: { schema: 8, maxBuckets: 20 } });
  const values: number[] = [];
  for (let i = 0; i < 500; i++) values.push(1.01 ** i);
  for (const v of values) h.observe(v);
  const model = h.labels().nativeModel()!;
  assert.ok(model.schema < 8, `schema ${model.schema}`);
  const buckets = expand(model.positiveSpans, model.positiveCounts);
  assert.ok(buckets.size <= 20, `${buckets.size} buckets`);
  assert.is([...buckets.values()].reduce((a, b) => a + b, 0), 500);
  // At the final schema every value is in the bucket its own index names.
  const recount = new Map<number, number>();
  for (const v of values) recount.set(nativeKey(v, model.schema), (recount.get(nativeKey(v, model.schema)) ?? 0) + 1);
  assert.equal(buckets, recount);
  // One more halving would be needed had it stopped one schema higher.
  const higher = new Set(values.map((v) => nativeKey(v, model.schema + 1)));
  assert.ok(higher.size > 20);
});

test('values spread over 200 powers of two at schema 8 stay within bounded memory by dropping the schema', () => {
  const h = new Histogram({ name: 'h', help: '', native: { schema: 8, maxBuckets: 1000 } });
  h.observe(1e-30);
  h.observe(1e30);
  const model = h.labels().nativeModel()!;
  // 2^-100..2^100 at schema 8 would span 51,200 indexes; a window holds 4,096, so schema 4 (3,200).
  assert.is(model.schema, 4);
  const buckets = expand(model.positiveSpans, model.positiveCounts);
  assert.equal([...buckets.keys()], [1e-30, 1e30].map((v) => nativeKey(v, 4)));
  for (const [k] of buckets) assert.ok([1e-30, 1e30].some((v) => v <= nativeUpperBound(k, 4) && v > nativeUpperBound(k - 1, 4)));
});

test('classic buckets stay alongside; buckets: [] leaves only +Inf, _count and _sum in text', async () => {
  const registry = new Registry();
  const both = registry.histogram({ name: 'both', help: '', buckets: [1, 2], native: true });
  const only = registry.histogram({ name: 'only', help: '', buckets: [], native: true });
  both.observe(1.5);
  only.observe(1.5);
  const text = (await registry.scrape(OPENMETRICS)).toString();
  assert.match(text, 'both_bucket{le="1.0"} 0\nboth_bucket{le="2.0"} 1\nboth_bucket{le="+Inf"} 1\n');
  assert.match(text, 'only_bucket{le="+Inf"} 1\nonly_sum 1.5\nonly_count 1\n');
  assert.is(only.labels().nativeModel()!.positiveCounts.length, 1);
});

test('reset() empties native buckets and restores the configured schema', () => {
  const h = new Histogram({ name: 'h', help: '', native: { schema: 8, maxBuckets: 2 } });
  for (const v of [1, 2, 4, 8, 16]) h.observe(v);
  assert.ok(h.labels().nativeModel()!.schema < 8);
  h.reset();
  const model = h.labels().nativeModel()!;
  assert.equal([model.schema, model.zeroCount, model.positiveCounts, model.negativeCounts], [8, 0, [], []]);
});

test('gauge histograms: adds and removes move native counts, never below zero', () => {
  const g = new GaugeHistogram({ name: 'queue_age_seconds', help: '', native: true });
  const errors = collectErrors(g);
  g.add(3, 2);
  g.add(-2, 1);
  g.add(3, -1);
  g.add(3.1, -1); // a different native bucket (and the same classic one): refused
  g.add(NaN);
  const model = g.labels().nativeModel()!;
  assert.equal(expand(model.positiveSpans, model.positiveCounts), new Map([[nativeKey(3, 3), 1]]));
  assert.equal(expand(model.negativeSpans, model.negativeCounts), new Map([[nativeKey(2, 3), 1]]));
  assert.is(errors.length, 2);
  g.add(3, -1);
  assert.equal(g.labels().nativeModel()!.positiveCounts, []);
});

test('spans: gaps of up to two buckets are filled with zero counts, longer gaps open a new span', () => {
  const h = new Histogram({ name: 'h', help: '', native: { schema: 0 } });
  for (const v of [1, 4, 8, 128]) h.observe(v); // keys 0, 2, 3, 7
  const model = h.labels().nativeModel()!;
  assert.equal(model.positiveSpans, [[0, 4], [3, 1]]);
  assert.equal(model.positiveCounts, [1, 0, 1, 1, 1]);
});

test.run();

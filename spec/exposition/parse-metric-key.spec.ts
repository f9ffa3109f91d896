// Metric identity: equal label sets share a key in any order or escape spelling, different ones never do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetricKeys } from '../../lib/exposition/parse/metric-key.js';
import type { LabelPair } from '../../lib/exposition/model.js';

function rawOf(labels: LabelPair[]): string {
  return labels.map(([name, value]) => `${name}="${value}"`).join(',');
}

test('a plain label set in the family order is its own raw text', () => {
  const keys = new MetricKeys();
  const labels: LabelPair[] = [['method', 'GET'], ['code', '200']];
  assert.is(keys.key(labels, -1, rawOf(labels)), 'method="GET",code="200"');
});

test('the same labels in another order get the key of the family order', () => {
  const keys = new MetricKeys();
  const first: LabelPair[] = [['b', '1'], ['a', '2']];
  const permuted: LabelPair[] = [['a', '2'], ['b', '1']];
  assert.is(keys.key(permuted, -1, rawOf(permuted)), keys.key(first, -1, rawOf(first)));
});

test('a reserved label is left out, wherever it stands', () => {
  const keys = new MetricKeys();
  const plain: LabelPair[] = [['path', '/a']];
  const bucket: LabelPair[] = [['le', '0.5'], ['path', '/a']];
  const last: LabelPair[] = [['path', '/a'], ['le', '+Inf']];
  const reference = keys.key(plain, -1, rawOf(plain));
  assert.is(keys.key(bucket, 0, undefined), reference);
  assert.is(keys.key(last, 1, undefined), reference);
  assert.is(keys.key([['le', '1']], 0, undefined), '');
});

test('values that need escapes render canonically, so two spellings of one value agree', () => {
  const keys = new MetricKeys();
  assert.is(keys.key([['a', 'x"y\n\\']], -1, undefined), 'a="x\\"y\\n\\\\"');
});

test('different label sets never share a key, even with separators inside values', () => {
  const keys = new MetricKeys();
  const sets: LabelPair[][] = [
    [['a', '1'], ['b', '2']],
    [['a', '1",b="2']],
    [['a', '1,b=2']],
    [['a', '1'], ['b', '2'], ['c', '']],
    [['b', '2'], ['c', '1']],
    [['a', '\u0000']],
    [['a', '']],
    [],
  ];
  const seen = new Set(sets.map((labels) => keys.key(labels, -1, undefined)));
  assert.is(seen.size, sets.length);
});

test('wide label sets are matched by name, not position, in any order', () => {
  const keys = new MetricKeys();
  const labels: LabelPair[] = Array.from({ length: 12 }, (_, i) => [`l${i}`, String(i)]);
  const reference = keys.key(labels, -1, rawOf(labels));
  assert.is(keys.key([...labels].reverse(), -1, undefined), reference);
  const renamed: LabelPair[] = labels.map(([name, value], i) => [i === 5 ? 'other' : name, value]);
  assert.is.not(keys.key(renamed.reverse(), -1, undefined), reference);
});

test('reset forgets the family order', () => {
  const keys = new MetricKeys();
  keys.key([['b', '1'], ['a', '2']], -1, undefined);
  keys.reset();
  assert.is(keys.key([['a', '2'], ['b', '1']], -1, undefined), 'a="2",b="1"');
});

test.run();

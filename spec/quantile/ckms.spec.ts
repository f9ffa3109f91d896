import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CkmsStream, DEFAULT_BUFFER_SIZE } from '../../lib/quantile/ckms.js';
import { DEFAULT_TARGETS, type QuantileTarget } from '../../lib/quantile/targets.js';
import { DISTRIBUTIONS, generate, prng, rankError } from './data.js';

const TARGET_SETS: Readonly<Record<string, readonly QuantileTarget[]>> = {
  default: DEFAULT_TARGETS,
  tight: [{ q: 0.5, error: 0.01 }, { q: 0.99, error: 0.001 }, { q: 0.999, error: 0.0001 }],
  '{0.9: 0.05}': [{ q: 0.9, error: 0.05 }],
  '{0.99: 0.005}': [{ q: 0.99, error: 0.005 }],
};

/** Inserts `data` and, at each checkpoint, asserts every target's rank error and returns the tuples held. */
function runStream(data: Float64Array, targets: readonly QuantileTarget[], checkpoints: readonly number[], label: string): number[] {
  const stream = new CkmsStream(targets);
  const sizes: number[] = [];
  let inserted = 0;
  for (const checkpoint of checkpoints) {
    for (; inserted < checkpoint; inserted++) stream.insert(data[inserted]!);
    const sorted = data.slice(0, checkpoint).sort();
    for (const { q, error } of targets) {
      const answer = stream.query(q);
      const miss = rankError(sorted, answer, q * checkpoint);
      assert.ok(miss <= error * checkpoint, `${label} n=${checkpoint} q=${q}: rank off by ${miss} > ${error * checkpoint}`);
    }
    assert.is(stream.count, checkpoint);
    sizes.push(stream.size);
  }
  return sizes;
}

test('every target is answered within error·n for ten distributions and four target sets up to n = 10^5', () => {
  let seed = 100;
  for (const [name, distribution] of Object.entries(DISTRIBUTIONS)) {
    const data = generate(distribution, 100_000, seed++);
    for (const [set, targets] of Object.entries(TARGET_SETS)) {
      const [, size] = runStream(data, targets, [10_000, 100_000], `${name} ${set}`);
      assert.ok(size! <= 400, `${name} ${set}: ${size} tuples at n=10^5`);
    }
  }
});

test('at n = 10^6 answers stay within bound and the tuples held barely grow from 10^5', () => {
  let seed = 200;
  for (const name of ['lognormal', 'sawtooth'] as const) {
    const data = generate(DISTRIBUTIONS[name]!, 1_000_000, seed++);
    for (const [set, targets] of Object.entries(TARGET_SETS)) {
      const [small, large] = runStream(data, targets, [100_000, 1_000_000], `${name} ${set}`);
      // Linear growth would mean 10x; the band keeps it near flat.
      assert.ok(large! <= 1.5 * small! + 20, `${name} ${set}: ${small} tuples at 10^5, ${large} at 10^6`);
      assert.ok(large! <= 400, `${name} ${set}: ${large} tuples at 10^6`);
    }
  }
});

test('up to bufferSize values the answer is exact: the value at rank max(1, ceil(q·n))', () => {
  const random = prng(300);
  const qs = [0, 0.001, 0.1, 0.25, 0.3, 0.5, 0.7, 0.75, 0.9, 0.99, 0.999, 1];
  for (let n = 1; n <= 64; n++) {
    const stream = new CkmsStream(DEFAULT_TARGETS, { bufferSize: 64 });
    const values = Array.from({ length: n }, () => Math.floor(random() * 10) - 3);
    for (const value of values) stream.insert(value);
    const sorted = values.slice().sort((a, b) => a - b);
    for (const q of [...qs, random()]) {
      assert.is(stream.query(q), sorted[Math.max(1, Math.ceil(q * n)) - 1], `n=${n} q=${q}`);
    }
    assert.is(stream.size, 0, 'nothing was compressed');
  }
});

test('with tiny buffers, heavy ties and a query after every few inserts, no target misses by more than max(error·n, 1)', () => {
  const random = prng(302);
  const sets = [...Object.values(TARGET_SETS), [{ q: 0.1, error: 0.02 }, { q: 0.3, error: 0.05 }], [{ q: 0.01, error: 0.005 }]];
  for (let trial = 0; trial < 60; trial++) {
    const targets = sets[trial % sets.length]!;
    const stream = new CkmsStream(targets, { bufferSize: 2 + Math.floor(random() * 30) });
    const values: number[] = [];
    const ties = trial % 2 === 0;
    for (let i = 0; i < 1500; i++) {
      const value = ties ? Math.floor(random() * 20) : random();
      stream.insert(value);
      values.push(value);
      if (i % 11 !== 0) continue;
      const sorted = Float64Array.from(values).sort();
      for (const { q, error } of targets) {
        const miss = rankError(sorted, stream.query(q), q * sorted.length);
        assert.ok(miss <= Math.max(error * sorted.length, 1), `trial ${trial} n=${sorted.length} q=${q}: off by ${miss}`);
      }
    }
  }
});

test('a buffer far larger than the summary merges in one pass and keeps the bound', () => {
  const data = generate(DISTRIBUTIONS['pareto(1.5)']!, 200_000, 303);
  const stream = new CkmsStream(DEFAULT_TARGETS, { bufferSize: 65_536 });
  for (const value of data) stream.insert(value);
  const sorted = data.slice().sort();
  for (const { q, error } of DEFAULT_TARGETS) {
    assert.ok(rankError(sorted, stream.query(q), q * data.length) <= error * data.length, `q=${q}`);
  }
});

test('the default stream is exact through its full buffer and compresses only after it', () => {
  const stream = new CkmsStream();
  const values = generate(DISTRIBUTIONS.exponential!, DEFAULT_BUFFER_SIZE, 301);
  for (const value of values) stream.insert(value);
  const sorted = values.slice().sort();
  for (const q of [0.5, 0.9, 0.99]) assert.is(stream.query(q), sorted[Math.ceil(q * sorted.length) - 1]);
  assert.is(stream.size, 0);
  stream.insert(1);
  stream.query(0.5);
  assert.ok(stream.size > 0 && stream.size < DEFAULT_BUFFER_SIZE);
});

test('NaN is ignored; ±Infinity and -0 are values like any other', () => {
  const stream = new CkmsStream();
  for (const value of [NaN, 3, Infinity, NaN, -Infinity, -0, 2]) stream.insert(value);
  assert.is(stream.count, 5);
  assert.is(stream.query(0), -Infinity);
  assert.is(stream.query(1), Infinity);
  assert.is(stream.query(0.5), 2);
  const zero = new CkmsStream();
  zero.insert(-0);
  assert.ok(Object.is(zero.query(0.5), -0));
});

test('an empty stream answers NaN, and reset() empties a stream for reuse', () => {
  const stream = new CkmsStream(DEFAULT_TARGETS, { bufferSize: 16 });
  assert.ok(Number.isNaN(stream.query(0.5)));
  for (let i = 0; i < 1000; i++) stream.insert(i);
  assert.ok(stream.size > 0);
  stream.reset();
  assert.is(stream.count, 0);
  assert.is(stream.size, 0);
  assert.ok(Number.isNaN(stream.query(0.99)));
  for (const value of [5, 1, 9]) stream.insert(value);
  assert.is(stream.query(0.5), 5);
});

test('a bad q, targets or bufferSize throws a RangeError that names it', () => {
  const stream = new CkmsStream();
  for (const q of [1.5, -0.1, NaN]) {
    assert.throws(() => stream.query(q), (e: unknown) => e instanceof RangeError && (e as Error).message.includes(`q=${q}`));
  }
  for (const bufferSize of [1, 2.5, 0, -4, NaN, 2 ** 21]) {
    assert.throws(() => new CkmsStream(DEFAULT_TARGETS, { bufferSize }),
      (e: unknown) => e instanceof RangeError && (e as Error).message.includes(`invalid bufferSize ${bufferSize}`));
  }
  assert.throws(() => new CkmsStream([{ q: 2, error: 0.1 }]), /q=2/);
  assert.throws(() => stream.merge({} as CkmsStream), (e: unknown) => e instanceof TypeError && /pass another CkmsStream/.test((e as Error).message));
  assert.is(new CkmsStream(DEFAULT_TARGETS, { bufferSize: 2 }).count, 0);
});

test('merging two halves of one workload answers within 2·error·(n_a + n_b), the bound merge() keeps', () => {
  let seed = 400;
  for (const name of ['lognormal', 'bimodal', 'ascending']) {
    const data = generate(DISTRIBUTIONS[name]!, 200_000, seed++);
    for (const [set, targets] of Object.entries(TARGET_SETS)) {
      const a = new CkmsStream(targets);
      const b = new CkmsStream(targets);
      const random = prng(seed++);
      for (const value of data) (random() < 0.4 ? a : b).insert(value);
      a.merge(b);
      assert.is(a.count, data.length);
      const sorted = data.slice().sort();
      for (const { q, error } of targets) {
        const miss = rankError(sorted, a.query(q), q * data.length);
        assert.ok(miss <= 2 * error * data.length, `${name} ${set} q=${q}: off by ${miss}`);
      }
    }
  }
});

test('merge() leaves the other stream as it was, takes its buffered values, and can merge a stream into itself', () => {
  const a = new CkmsStream(DEFAULT_TARGETS, { bufferSize: 32 });
  const b = new CkmsStream(DEFAULT_TARGETS, { bufferSize: 32 });
  for (let i = 0; i < 1000; i++) a.insert(i);
  for (let i = 1000; i < 1010; i++) b.insert(i); // still buffered: exact mode
  const before = [b.count, b.size, b.query(0), b.query(0.5), b.query(1)];
  a.merge(b);
  assert.equal([b.count, b.size, b.query(0), b.query(0.5), b.query(1)], before);
  assert.is(a.count, 1010);
  assert.is(a.query(1), 1009);
  a.merge(a);
  assert.is(a.count, 2020);
  assert.is(a.query(0), 0);
  const sorted = Float64Array.from([...Array(1010).keys(), ...Array(1010).keys()]).sort();
  assert.ok(rankError(sorted, a.query(0.5), 1010) <= 2 * 0.05 * 2020);
  const empty = new CkmsStream();
  empty.merge(new CkmsStream());
  assert.ok(Number.isNaN(empty.query(0.5)));
  empty.merge(b);
  assert.is(empty.query(0), 1000);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileBand } from '../../lib/quantile/band.js';
import type { QuantileTarget } from '../../lib/quantile/targets.js';
import { allocateTuples, copyMerged, mergeRun, mergeSummaries, queryTuples, type Tuples } from '../../lib/quantile/tuples.js';
import { prng } from './data.js';
import { assertNoStraddle, assertSound, Summary } from './summary.js';

const TARGETS: readonly QuantileTarget[] = [
  { q: 0.1, error: 0.02 }, { q: 0.5, error: 0.05 }, { q: 0.9, error: 0.01 }, { q: 0.99, error: 0.005 },
];

function randomRun(random: () => number, length: number, ties: boolean): number[] {
  return Array.from({ length }, () => (ties ? Math.floor(random() * 12) : random() * 1000));
}

test('merging sorted runs keeps every rank interval true, including ties and runs past either end', () => {
  const random = prng(21);
  for (const ties of [true, false]) {
    const summary = new Summary(compileBand(TARGETS));
    for (let step = 0; step < 120; step++) {
      const run = randomRun(random, 1 + Math.floor(random() * 40), ties);
      if (step % 17 === 5) run.push(-1e9 - step); // a new minimum
      if (step % 13 === 7) run.push(1e9 + step); // a new maximum
      summary.add(run);
      assertSound(summary, `ties=${ties} step ${step}`);
      assertNoStraddle(summary, TARGETS, `ties=${ties} step ${step}`);
    }
    assert.ok(summary.size < summary.n / 4, `compressed: ${summary.size} tuples for ${summary.n} values`);
  }
});

test('merging two summaries keeps every rank interval true in the union', () => {
  const random = prng(22);
  for (const ties of [true, false]) {
    const a = new Summary(compileBand(TARGETS));
    const b = new Summary(compileBand(TARGETS));
    for (let step = 0; step < 40; step++) {
      a.add(randomRun(random, 30, ties));
      b.add(randomRun(random, 30, ties).map((v) => v + (step % 2 === 0 ? 0 : 500)));
    }
    a.absorb(b);
    assertSound(a, `ties=${ties} merged`);
    assert.is(a.n, 2400);
    a.add(randomRun(random, 50, ties));
    assertSound(a, `ties=${ties} merged, then a run`);
  }
});

test('an empty side leaves a merge unchanged', () => {
  const a = new Summary(compileBand(TARGETS));
  a.add([5, 1, 3]);
  const before = a.rows();
  a.absorb(new Summary(compileBand(TARGETS)));
  assert.equal(a.rows(), before);
  const empty = new Summary(compileBand(TARGETS));
  empty.absorb(a);
  assert.equal(empty.rows(), before);
});

test('a merge whose rank interval would pass 2^32 - 1 throws instead of wrapping', () => {
  const make = (values: number[], g: number[], delta: number[]): Tuples => {
    const tuples = allocateTuples(values.length);
    values.forEach((v, i) => {
      tuples.values[2 * i] = v;
      tuples.ranks[4 * i + 2] = g[i]!;
      tuples.ranks[4 * i + 3] = delta[i]!;
    });
    return tuples;
  };
  const half = 2 ** 31;
  const a = make([0, 10], [1, half], [0, half]);
  const b = make([5, 15], [1, half], [0, half]);
  assert.throws(() => mergeSummaries(a, 0, 2, half + 1, b, 0, 2, half + 1, compileBand(TARGETS)),
    (error: unknown) => error instanceof RangeError && /2\^32 - 1/.test((error as Error).message));
});

test('queries rise with q: the chosen tuple never moves left as q grows', () => {
  const random = prng(23);
  const summary = new Summary(compileBand(TARGETS));
  for (let step = 0; step < 200; step++) summary.add(randomRun(random, 64, step % 3 === 0));
  let previous = -Infinity;
  for (let q = 0; q <= 1.0000001; q += 0.001) {
    const value = queryTuples(summary.tuples, 0, summary.size, summary.n, Math.min(q, 1));
    assert.ok(value >= previous, `q=${q}: ${value} < ${previous}`);
    previous = value;
  }
  assert.is(queryTuples(summary.tuples, 0, summary.size, summary.n, 0), Math.min(...summary.data));
  assert.is(queryTuples(summary.tuples, 0, summary.size, summary.n, 1), Math.max(...summary.data));
});

test('tuples can start anywhere in a shared store, as the window lays out its buckets', () => {
  const band = compileBand(TARGETS);
  const store = allocateTuples(8);
  const run = Float64Array.from([4, 1, 3]).sort();
  const size = mergeRun(store, 5, 0, 0, run, 0, 3, band);
  copyMerged(store, 5, size);
  assert.equal([store.values[10], store.values[12], store.values[14]], [1, 3, 4]);
  assert.is(queryTuples(store, 5, size, 3, 0.5), 3);
  const grown = mergeRun(store, 5, size, 3, Float64Array.from([2]), 0, 1, band);
  copyMerged(store, 0, grown);
  assert.equal([store.values[0], store.values[2], store.values[4], store.values[6]], [1, 2, 3, 4]);
});

test('mergeRun merges only run[from, to), as a flush does with what absorbRun left', () => {
  const band = compileBand(TARGETS);
  const store = allocateTuples(8);
  const run = Float64Array.from([1, 2, 3, 4, 5]);
  const size = mergeRun(store, 0, 0, 0, run, 1, 4, band);
  copyMerged(store, 0, size);
  assert.equal([size, store.values[0], store.values[2], store.values[4]], [3, 2, 3, 4]);
  assert.is(queryTuples(store, 0, size, 3, 1), 4);
});

test.run();

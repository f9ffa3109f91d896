import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileBand, type Band } from '../../lib/quantile/band.js';
import type { QuantileTarget } from '../../lib/quantile/targets.js';
import {
  allocateTuples, capacityOf, copyMerged, mergeRun, mergeSummaries, queryTuples, type Tuples,
} from '../../lib/quantile/tuples.js';
import { prng } from './data.js';

const TARGETS: readonly QuantileTarget[] = [
  { q: 0.1, error: 0.02 }, { q: 0.5, error: 0.05 }, { q: 0.9, error: 0.01 }, { q: 0.99, error: 0.005 },
];

/** A bare summary for the specs: tuples plus the count they cover, built only through the module's API. */
class Summary {
  tuples: Tuples = allocateTuples(0);
  size = 0;
  n = 0;
  readonly data: number[] = [];

  constructor(readonly band: Band) {}

  add(values: readonly number[]): void {
    const run = Float64Array.from(values).sort();
    this.#store(mergeRun(this.tuples, 0, this.size, this.n, run, run.length, this.band), this.n + run.length);
    this.data.push(...values);
  }

  absorb(other: Summary): void {
    const size = mergeSummaries(this.tuples, 0, this.size, this.n, other.tuples, 0, other.size, other.n, this.band);
    this.#store(size, this.n + other.n);
    this.data.push(...other.data);
  }

  /** [value, rmin, rmax] per tuple. */
  rows(): Array<[number, number, number]> {
    const rows: Array<[number, number, number]> = [];
    let rank = 0;
    for (let i = 0; i < this.size; i++) {
      rank += this.tuples.ranks[4 * i + 2]!;
      rows.push([this.tuples.values[2 * i]!, rank, rank + this.tuples.ranks[4 * i + 3]!]);
    }
    return rows;
  }

  #store(size: number, n: number): void {
    if (size > capacityOf(this.tuples)) this.tuples = allocateTuples(size);
    copyMerged(this.tuples, 0, size);
    this.size = size;
    this.n = n;
  }
}

/** Every tuple's [rmin, rmax] meets the ranks its value really holds; the ends are the exact min and max. */
function assertSound(summary: Summary, label: string): void {
  const sorted = Float64Array.from(summary.data).sort();
  const rows = summary.rows();
  assert.is(rows.at(-1)![1], summary.n, `${label}: the g add up to the count`);
  assert.equal(rows[0], [sorted[0], 1, 1], `${label}: the first tuple is the exact minimum`);
  assert.equal(rows.at(-1), [sorted.at(-1), summary.n, summary.n], `${label}: the last tuple is the exact maximum`);
  for (const [value, rmin, rmax] of rows) {
    const first = sorted.indexOf(value) + 1;
    const last = sorted.lastIndexOf(value) + 1;
    assert.ok(rmin <= last && rmax >= first, `${label}: ${value} claims [${rmin}, ${rmax}], holds [${first}, ${last}]`);
  }
}

/** No gap [rmin(i - 1), rmax(i)] straddles a target's tolerance band [(q - error)·n, (q + error)·n]. */
function assertNoStraddle(summary: Summary, label: string): void {
  const rows = summary.rows();
  for (const { q, error } of TARGETS) {
    if (error * summary.n < 1) continue;
    for (let i = 1; i < rows.length; i++) {
      const start = rows[i - 1]![1];
      const end = rows[i]![2];
      assert.not.ok(start < (q - error) * summary.n && end > (q + error) * summary.n,
        `${label}: gap [${start}, ${end}] straddles q=${q} at n=${summary.n}`);
    }
  }
}

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
      assertNoStraddle(summary, `ties=${ties} step ${step}`);
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
  const size = mergeRun(store, 5, 0, 0, run, 3, band);
  copyMerged(store, 5, size);
  assert.equal([store.values[10], store.values[12], store.values[14]], [1, 3, 4]);
  assert.is(queryTuples(store, 5, size, 3, 0.5), 3);
  const grown = mergeRun(store, 5, size, 3, Float64Array.from([2]), 1, band);
  copyMerged(store, 0, grown);
  assert.equal([store.values[0], store.values[2], store.values[4], store.values[6]], [1, 2, 3, 4]);
});

test.run();

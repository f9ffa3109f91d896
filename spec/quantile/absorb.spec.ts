import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absorbRun } from '../../lib/quantile/absorb.js';
import { allowedWidth, compileBand } from '../../lib/quantile/band.js';
import type { QuantileTarget } from '../../lib/quantile/targets.js';
import { prng } from './data.js';
import { assertNoStraddle, assertSound, Summary } from './summary.js';

const TARGETS: readonly QuantileTarget[] = [
  { q: 0.1, error: 0.02 }, { q: 0.5, error: 0.05 }, { q: 0.9, error: 0.01 }, { q: 0.99, error: 0.005 },
];

function randomRun(random: () => number, length: number, ties: boolean): number[] {
  return Array.from({ length }, () => (ties ? Math.floor(random() * 12) : random() * 1000));
}

/** A compressed summary of `n` random values. */
function built(n: number, seed: number, ties = false): Summary {
  const random = prng(seed);
  const summary = new Summary(compileBand(TARGETS));
  for (let added = 0; added < n; added += 100) summary.add(randomRun(random, 100, ties));
  return summary;
}

test('what absorbRun takes widens the gaps it lands in: same values and deltas, each g grown by its values', () => {
  const random = prng(31);
  const stops = { all: 0, below: 0, above: 0, full: 0 };
  for (let trial = 0; trial < 300; trial++) {
    const summary = built(1000 + 100 * (trial % 20), 3100 + trial, trial % 3 === 0);
    const before = summary.rows();
    const [min, max] = [before[0]![0], before.at(-1)![0]];
    const length = 1 + Math.floor(random() * (trial % 2 === 0 ? 8 : 300));
    const values = randomRun(random, length, trial % 3 === 0);
    if (trial % 7 === 1) values.push(min - 1);
    if (trial % 7 === 2) values.push(max);
    const run = Float64Array.from(values).sort();
    const n = summary.n;
    const taken = absorbRun(summary.tuples, 0, summary.size, n, run, run.length, summary.band);
    const after = summary.rows();
    assert.is(after.length, before.length, `trial ${trial}: no tuple added or removed`);
    let start = 0; // rmin of the tuple before, in the new counts
    for (let i = 0; i < before.length; i++) {
      const below = i === 0 ? 0 : run.subarray(0, taken).filter((v) => v >= before[i - 1]![0] && v < before[i]![0]).length;
      const [value, rmin, rmax] = after[i]!;
      assert.is(value, before[i]![0], `trial ${trial} tuple ${i}: value kept`);
      assert.is(rmax - rmin, before[i]![2] - before[i]![1], `trial ${trial} tuple ${i}: delta kept`);
      assert.is(rmin - start, before[i]![1] - (i === 0 ? 0 : before[i - 1]![1]) + below, `trial ${trial} tuple ${i}: g grew by ${below}`);
      start = rmin;
    }
    // It stops only where a value needs a tuple of its own, or its gap would outgrow the band.
    if (taken === run.length) stops.all++;
    else if (run[taken]! < min) stops.below++;
    else if (run[taken]! >= max) stops.above++;
    else {
      const s = after.findIndex(([value]) => run[taken]! < value);
      const c = run.filter((v) => v >= after[s - 1]![0] && v < after[s]![0]).length;
      const width = after[s]![2] - after[s - 1]![1] + c;
      assert.ok(width > allowedWidth(summary.band, after[s - 1]![1], n + run.length),
        `trial ${trial}: stopped at ${run[taken]} although its gap fits`);
      stops.full++;
    }
  }
  for (const [reason, count] of Object.entries(stops)) assert.ok(count > 0, `no trial stopped for "${reason}": ${JSON.stringify(stops)}`);
});

test('absorbing what fits and merging the rest keeps every rank interval true and every gap within the band', () => {
  const random = prng(32);
  for (const ties of [true, false]) {
    const summary = new Summary(compileBand(TARGETS));
    let whole = 0;
    let partial = 0;
    for (let step = 0; step < 400; step++) {
      const run = randomRun(random, 1 + Math.floor(random() * 60), ties);
      if (step % 37 === 5) run.push(-1e9 - step); // a new minimum
      if (step % 31 === 7) run.push(1e9 + step); // a new maximum
      const taken = summary.flush(run);
      if (taken === run.length) whole++;
      else if (taken > 0) partial++;
      assertSound(summary, `ties=${ties} step ${step}`);
      assertNoStraddle(summary, TARGETS, `ties=${ties} step ${step}`);
    }
    assert.ok(whole > 0 && partial > 0, `ties=${ties}: ${whole} runs absorbed whole, ${partial} in part`);
    assert.ok(summary.size < summary.n / 20, `still compressed: ${summary.size} tuples for ${summary.n} values`);
  }
});

test('absorbRun takes nothing when the summary has fewer than two tuples or the run starts below the minimum', () => {
  const run = Float64Array.from([1, 2, 3]);
  const empty = new Summary(compileBand(TARGETS));
  assert.is(absorbRun(empty.tuples, 0, 0, 0, run, 3, empty.band), 0);
  const single = new Summary(compileBand(TARGETS));
  single.add([2]);
  assert.is(absorbRun(single.tuples, 0, 1, 1, run, 3, single.band), 0);
  assert.equal(single.rows(), [[2, 1, 1]]);
  const summary = built(2000, 33);
  const rows = summary.rows();
  assert.is(absorbRun(summary.tuples, 0, summary.size, summary.n, Float64Array.from([rows[0]![0] - 1, 500]), 2, summary.band), 0);
  assert.equal(summary.rows(), rows, 'nothing changed');
});

test('a value equal to the minimum goes after it, and one equal to the maximum stops the run', () => {
  const summary = built(2000, 34);
  const rows = summary.rows();
  const [min, max] = [rows[0]![0], rows.at(-1)![0]];
  const run = Float64Array.from([min, max]);
  assert.is(absorbRun(summary.tuples, 0, summary.size, summary.n, run, 2, summary.band), 1);
  const after = summary.rows();
  assert.equal(after[0], [min, 1, 1], 'the minimum stays exact');
  assert.is(after[1]![1], rows[1]![1] + 1, 'the copy of the minimum counts in the next tuple');
  assert.equal(after.at(-1), [max, summary.n + 1, summary.n + 1], 'the maximum stays exact, one further up');
});

test.run();

// A bare tuple summary for the quantile specs (not a suite), built only through the modules' APIs, and the two
// checks every merge must pass: rank intervals that hold the truth, and no gap straddling a target's band.
// The summary keeps every value it was given, so the checks compare against the exact sorted data.
import * as assert from 'uvu/assert';
import type { Band } from '../../lib/quantile/band.js';
import type { QuantileTarget } from '../../lib/quantile/targets.js';
import { absorbRun } from '../../lib/quantile/absorb.js';
import { allocateTuples, capacityOf, copyMerged, mergeRun, mergeSummaries, type Tuples } from '../../lib/quantile/tuples.js';

export class Summary {
  tuples: Tuples = allocateTuples(0);
  size = 0;
  n = 0;
  readonly data: number[] = [];

  constructor(readonly band: Band) {}

  /** Merges the values through mergeRun alone. */
  add(values: readonly number[]): void {
    const run = Float64Array.from(values).sort();
    this.#store(mergeRun(this.tuples, 0, this.size, this.n, run, 0, run.length, this.band), this.n + run.length);
    this.data.push(...values);
  }

  /** As a flush does: absorbRun first, mergeRun for whatever it leaves. Returns how many values absorbRun took. */
  flush(values: readonly number[]): number {
    const run = Float64Array.from(values).sort();
    const taken = absorbRun(this.tuples, 0, this.size, this.n, run, run.length, this.band);
    if (taken < run.length) {
      this.#store(mergeRun(this.tuples, 0, this.size, this.n + taken, run, taken, run.length, this.band), this.n + run.length);
    } else {
      this.n += run.length;
    }
    this.data.push(...values);
    return taken;
  }

  /** Merges another summary in through mergeSummaries. */
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
export function assertSound(summary: Summary, label: string): void {
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
export function assertNoStraddle(summary: Summary, targets: readonly QuantileTarget[], label: string): void {
  const rows = summary.rows();
  for (const { q, error } of targets) {
    if (error * summary.n < 1) continue;
    for (let i = 1; i < rows.length; i++) {
      const start = rows[i - 1]![1];
      const end = rows[i]![2];
      assert.not.ok(start < (q - error) * summary.n && end > (q + error) * summary.n,
        `${label}: gap [${start}, ${end}] straddles q=${q} at n=${summary.n}`);
    }
  }
}

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock, type Clock } from '../../lib/clock.js';
import { DEFAULT_TARGETS } from '../../lib/quantile/targets.js';
import { WindowedQuantiles, type WindowedQuantilesOptions } from '../../lib/quantile/window.js';
import { prng, rankError } from './data.js';

const S = 1000; // ms per second

/** A 100 s window in 5 buckets (a boundary every 20 s) on a fake clock at monotonic 0. */
function setup(options: Partial<WindowedQuantilesOptions> = {}): { clock: FakeClock; window: WindowedQuantiles } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  const window = new WindowedQuantiles({ clock, maxAgeSeconds: 100, ageBuckets: 5, ...options });
  return { clock, window };
}

function insertAt(clock: FakeClock, window: WindowedQuantiles, ms: number, ...values: number[]): void {
  clock.setMonotonic(ms);
  for (const value of values) window.insert(value);
}

/** [min, max] of the window at `ms`; [NaN, NaN] when it holds nothing. */
function rangeAt(clock: FakeClock, window: WindowedQuantiles, ms: number): [number, number] {
  clock.setMonotonic(ms);
  return [window.query(0), window.query(1)];
}

// A window whose age buckets share one digest (the peer's) counts the burst once per bucket: five times against
// the ones' two, so it answers 1000 at 85 s, when the window really holds 1000 thousands and 1500 ones.
test('a burst counts once and ages out: median 1000 at 65 s, 1 at 85 s, and no trace at 125 s', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 0, ...Array<number>(1000).fill(1000));
  clock.setMonotonic(65 * S);
  assert.is(window.query(0.5), 1000, 'at 65 s the burst is all there is');
  insertAt(clock, window, 70 * S, ...Array<number>(1500).fill(1));
  clock.setMonotonic(85 * S);
  assert.is(window.query(0.5), 1, 'at 85 s: 1500 ones outnumber 1000 thousands');
  clock.setMonotonic(125 * S);
  assert.is(window.query(0.5), 1);
  assert.is(window.query(0.99), 1, 'no trace of the burst at 125 s');
  assert.is(window.query(1), 1);
});

test('a value is counted until it is maxAge - maxAge/ageBuckets old and never once it is maxAge old', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 1 * S, 1);
  insertAt(clock, window, 20 * S, 2); // exactly on a boundary: goes into the bucket created there
  insertAt(clock, window, 40 * S, 4);
  assert.equal(rangeAt(clock, window, 80 * S), [1, 4], '1 is 79 s old');
  assert.equal(rangeAt(clock, window, 99.999 * S), [1, 4]);
  assert.equal(rangeAt(clock, window, 100 * S), [2, 4], '2 is exactly 80 s old: still counted');
  assert.equal(rangeAt(clock, window, 119.999 * S), [2, 4]);
  assert.equal(rangeAt(clock, window, 120 * S), [4, 4], '2 is exactly 100 s old: gone');
  assert.equal(rangeAt(clock, window, 139.999 * S), [4, 4]);
  assert.equal(rangeAt(clock, window, 140 * S), [NaN, NaN]);
});

test('idle gaps empty exactly the buckets whose boundaries they cross, however long', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 5 * S, 1);
  insertAt(clock, window, 25 * S, 2);
  insertAt(clock, window, 45 * S, 3);
  assert.equal(rangeAt(clock, window, 130 * S), [3, 3], 'one jump across six boundaries');
  assert.equal(rangeAt(clock, window, 150 * S), [NaN, NaN]);

  const other = setup();
  insertAt(other.clock, other.window, 5 * S, 1);
  assert.equal(rangeAt(other.clock, other.window, 95 * S), [1, 1]);
  assert.equal(rangeAt(other.clock, other.window, 1e12), [NaN, NaN], 'a gap longer than the window empties it');
  insertAt(other.clock, other.window, 1e12 + 1, 7, 9);
  assert.equal(rangeAt(other.clock, other.window, 1e12 + 2), [7, 9], 'and it fills again afterwards');
});

test('a clock that stands still or steps back rotates nothing and loses nothing', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 50 * S, 1);
  insertAt(clock, window, 10 * S, 2); // steps back 40 s: filed as of 50 s, the highest reading
  assert.equal(rangeAt(clock, window, 30 * S), [1, 2]);
  insertAt(clock, window, 30 * S, ...Array.from({ length: 10_000 }, (_, i) => 3 + (i % 5)));
  assert.equal(rangeAt(clock, window, 30 * S), [1, 7], 'ten thousand values on a still clock');
  assert.equal(rangeAt(clock, window, 130 * S), [1, 7], 'time resumes from 50 s: 80 s later all still count');
  assert.equal(rangeAt(clock, window, 150 * S), [NaN, NaN], 'and 100 s later none do');
});

test('NaN and infinite clock readings are ignored', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 10 * S, 1);
  for (const reading of [NaN, Infinity, -Infinity]) {
    insertAt(clock, window, reading, 2);
    assert.equal(rangeAt(clock, window, reading), [1, 2]);
  }
  assert.equal(rangeAt(clock, window, 95 * S), [1, 2]);
  assert.equal(rangeAt(clock, window, 110 * S), [NaN, NaN]);
  clock.setMonotonic(NaN);
  window.reset(); // restarts from the last good reading, 110 s
  insertAt(clock, window, 111 * S, 5);
  assert.equal(rangeAt(clock, window, 209.999 * S), [5, 5]);
  assert.equal(rangeAt(clock, window, 210 * S), [NaN, NaN]);
  const broken: Clock = { now: () => NaN, wallMs: () => 0 };
  assert.throws(() => new WindowedQuantiles({ clock: broken }), /clock reading NaN/);
});

test('every insert reads the clock, so values are filed in the bucket of the moment they arrive', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 0, ...Array<number>(8).fill(1));
  insertAt(clock, window, 20 * S, ...Array<number>(8).fill(2)); // a boundary passed: these join the new bucket
  insertAt(clock, window, 20 * S, 3);
  assert.equal(rangeAt(clock, window, 99.999 * S), [1, 3]);
  assert.equal(rangeAt(clock, window, 100 * S), [2, 3], 'the 2s stay until they are maxAge old');
});

test('after a busy stream and an idle gap, values observed after the gap are all in the window', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 0, ...Array.from({ length: 1000 }, (_, i) => 1000 + i));
  insertAt(clock, window, 15 * 60 * S, ...Array.from({ length: 12 }, (_, i) => i + 1)); // no query during the gap
  assert.equal(rangeAt(clock, window, 15 * 60 * S), [1, 12]);
});

test('the window answers each target within error over the values of its oldest bucket', () => {
  const random = prng(500);
  const clock = new FakeClock(0, 0);
  const window = new WindowedQuantiles({ clock, maxAgeSeconds: 10, ageBuckets: 5 });
  const observed: Array<[number, number]> = [];
  for (let ms = 0; ms < 30_000; ms++) {
    clock.setMonotonic(ms);
    const value = ms < 15_000 ? random() : 10 + Math.exp(random() * 3);
    observed.push([ms, value]);
    window.insert(value);
  }
  clock.setMonotonic(30_000);
  // The oldest bucket was emptied at 22 s; up to 15 values observed just after may have been filed before.
  const kept = Float64Array.from(observed.filter(([ms]) => ms >= 22_000).map(([, v]) => v)).sort();
  for (const { q, error } of DEFAULT_TARGETS) {
    const miss = rankError(kept, window.query(q), q * kept.length);
    assert.ok(miss <= error * kept.length + 15, `q=${q}: off by ${miss}`);
  }
  assert.ok(window.query(0) >= 10, 'nothing from before the shift');
});

// At 20 values a ms a bucket passes 10^4 values within a second, so most flushes widen gaps in place (absorbRun).
test('at 20 values a ms, on a drifting distribution, every target stays within error as the window rotates', () => {
  const random = prng(502);
  const clock = new FakeClock(0, 0);
  const window = new WindowedQuantiles({ clock, maxAgeSeconds: 10, ageBuckets: 5 });
  const observed: number[][] = []; // values by the ms they were observed at
  for (const at of [15_700, 23_300, 30_000]) {
    for (let ms = observed.length; ms < at; ms++) {
      clock.setMonotonic(ms);
      const values = Array.from({ length: 20 }, () => Math.exp(random() * 3) * (1 + ms / 10_000));
      for (const value of values) window.insert(value);
      observed.push(values);
    }
    clock.setMonotonic(at);
    // The oldest bucket was emptied four boundaries back; up to 15 values just after it may have been filed before.
    const emptied = (Math.floor(at / 2000) - 4) * 2000;
    const kept = Float64Array.from(observed.slice(emptied).flat()).sort();
    for (const { q, error } of DEFAULT_TARGETS) {
      const miss = rankError(kept, window.query(q), q * kept.length);
      assert.ok(miss <= error * kept.length + 15, `at ${at} ms, q=${q}: off by ${miss} of ${kept.length}`);
    }
  }
});

test('one age bucket makes a tumbling window', () => {
  const clock = new FakeClock(0, 0);
  const window = new WindowedQuantiles({ clock, maxAgeSeconds: 10, ageBuckets: 1, bufferSize: 2 });
  insertAt(clock, window, 1 * S, 5, 6, 7);
  assert.equal(rangeAt(clock, window, 9.999 * S), [5, 7]);
  assert.equal(rangeAt(clock, window, 10 * S), [NaN, NaN]);
});

test('NaN is ignored and ±Infinity kept; many tiny flushes answer like one big one', () => {
  const small = setup({ bufferSize: 2 });
  const large = setup();
  const random = prng(501);
  for (let i = 0; i < 5000; i++) {
    const value = i % 97 === 0 ? NaN : random();
    small.window.insert(value);
    large.window.insert(value);
  }
  small.window.insert(Infinity);
  small.window.insert(-Infinity);
  assert.is(small.window.query(1), Infinity);
  assert.is(small.window.query(0), -Infinity);
  assert.ok(Math.abs(small.window.query(0.5) - large.window.query(0.5)) < 0.11, 'both medians near 0.5');
});

test('reset() empties the window and restarts rotation at the current reading', () => {
  const { clock, window } = setup();
  insertAt(clock, window, 1 * S, 1, 2, 3);
  clock.setMonotonic(50 * S);
  window.reset();
  assert.equal(rangeAt(clock, window, 50 * S), [NaN, NaN]);
  insertAt(clock, window, 51 * S, 4);
  assert.equal(rangeAt(clock, window, 149.999 * S), [4, 4], 'buckets now turn at 70, 90, ... s');
  assert.equal(rangeAt(clock, window, 150 * S), [NaN, NaN]);
});

test('bad options throw errors that name the option and the rule', () => {
  const clock = new FakeClock();
  const bad = (options: unknown, pattern: RegExp): void =>
    assert.throws(() => new WindowedQuantiles(options as WindowedQuantilesOptions), pattern);
  for (const maxAgeSeconds of [0, -1, NaN, Infinity, '600']) {
    bad({ clock, maxAgeSeconds }, /invalid maxAgeSeconds .*: must be a finite number > 0/);
  }
  for (const ageBuckets of [0, 1.5, 1001, '5']) bad({ clock, ageBuckets }, /invalid ageBuckets .*: must be an integer in \[1, 1000\]/);
  bad({ clock, bufferSize: 1 }, /invalid bufferSize 1/);
  bad({ clock, targets: [] }, /at least one/);
  bad({}, /invalid clock/);
  bad({ clock: { now: 5 } }, /invalid clock/);
  bad(null, /pass an object/);
  assert.throws(() => setup().window.query(-1), /q=-1/);
  assert.ok(Number.isNaN(new WindowedQuantiles({ clock }).query(0.5)), 'defaults are valid; an empty window answers NaN');
});

test.run();

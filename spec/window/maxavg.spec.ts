import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Traffic } from './reference.js';
import { FakeClock } from '../../lib/clock.js';
import { MaxAvgWindow } from '../../lib/window/maxavg.js';
import { documentedStart, eventTimes, prng, rangeIn, readTimes } from './reference.js';
import { near } from '../support/near.js';

function setup(windowMs = 3_000, slotMs = 1_000): { clock: FakeClock; w: MaxAvgWindow } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  return { clock, w: new MaxAvgWindow({ clock, windowMs, slotMs }) };
}

test('an empty window reads 0 for max, min and average, not NaN or ±Infinity', () => {
  const { clock, w } = setup();
  assert.is(w.max(), 0);
  assert.is(w.min(), 0);
  assert.is(w.average(), 0);
  w.record(12);
  clock.advance(3_000);
  assert.is(w.max(), 0);
  assert.is(w.min(), 0);
  assert.is(w.average(), 0);
});

test('max and average cover every value recorded in the window', () => {
  const { clock, w } = setup();
  w.record(4);
  clock.advance(1_000);
  w.record(10);
  w.record(1);
  assert.is(w.max(), 10);
  assert.is(w.min(), 1);
  assert.is(w.average(), 5);
});

test('a minimum leaves the window with its slot, exactly at the boundary', () => {
  const { clock, w } = setup(3_000, 1_000);
  w.record(2);
  clock.setMonotonic(1_000);
  w.record(30);
  clock.setMonotonic(2_000);
  w.record(6);
  clock.setMonotonic(2_999);
  assert.is(w.min(), 2);
  clock.setMonotonic(3_000);
  assert.is(w.min(), 6);
  clock.setMonotonic(5_000);
  assert.is(w.min(), 0);
});

test('a maximum leaves the window with its slot, exactly at the boundary', () => {
  const { clock, w } = setup(3_000, 1_000);
  w.record(90);
  clock.setMonotonic(1_000);
  w.record(30);
  clock.setMonotonic(2_000);
  w.record(60);
  clock.setMonotonic(2_999);
  assert.is(w.max(), 90);
  assert.is(w.average(), 60);
  clock.setMonotonic(3_000);
  assert.is(w.max(), 60);
  assert.is(w.average(), 45);
  clock.setMonotonic(4_000);
  assert.is(w.max(), 60);
  clock.setMonotonic(5_000);
  assert.is(w.max(), 0);
});

test('values below zero and zero itself are values like any other', () => {
  const { w } = setup();
  w.record(-3);
  w.record(-1);
  assert.is(w.max(), -1);
  assert.is(w.min(), -3);
  assert.is(w.average(), -2);
  const z = setup().w;
  z.record(0);
  assert.is(z.max(), 0);
  assert.is(z.average(), 0);
});

test('NaN is dropped so one bad value cannot poison a whole window', () => {
  const { w } = setup();
  w.record(NaN);
  assert.is(w.max(), 0);
  assert.is(w.average(), 0);
  w.record(2);
  w.record(NaN);
  w.record(4);
  assert.is(w.max(), 4);
  assert.is(w.min(), 2);
  assert.is(w.average(), 3);
});

test('a gap longer than the window expires every value', () => {
  const { clock, w } = setup(3_000, 1_000);
  for (let t = 0; t < 3_000; t += 100) {
    clock.setMonotonic(t);
    w.record(1_000 + t);
  }
  clock.setMonotonic(1e9);
  assert.is(w.max(), 0);
  w.record(7);
  assert.is(w.max(), 7);
  assert.is(w.average(), 7);
});

test('a clock that steps back records into the current slot', () => {
  const { clock, w } = setup(3_000, 1_000);
  clock.setMonotonic(2_000);
  w.record(5);
  clock.setMonotonic(0);
  w.record(50);
  assert.is(w.max(), 50);
  assert.is(w.average(), 27.5);
  clock.setMonotonic(4_999);
  assert.is(w.max(), 50);
  clock.setMonotonic(5_000);
  assert.is(w.max(), 0);
});

test('reset forgets every value', () => {
  const { clock, w } = setup();
  w.record(9);
  clock.advance(10);
  w.reset();
  assert.is(w.max(), 0);
  w.record(3);
  assert.is(w.max(), 3);
});

test('a million values in one slot are counted and averaged exactly', () => {
  const { w } = setup();
  for (let i = 0; i < 1_000_000; i++) w.record(i % 2 === 0 ? 1 : 3);
  assert.is(w.average(), 2);
  assert.is(w.max(), 3);
});

/**
 * Ages recorded at seeded times: max and average equal those of the values in the documented interval
 * (the current slot and the slots - 1 before it), and the max lies between the max of a window one slot
 * shorter and that of a true sliding window (t - W, t].
 */
function agreesWithReference(kind: Traffic, seed: number, windowMs: number, slotMs: number): void {
  const durationMs = 1_800_000;
  const times = eventTimes(kind, seed, durationMs);
  const rnd = prng(seed + 100);
  const values = times.map((_, i) => rnd() * (i % 97 === 0 ? 600 : 30));
  const clock = new FakeClock(0, 0);
  const w = new MaxAvgWindow({ clock, windowMs, slotMs });
  const maxOf = (lo: number, hi: number): number => (hi > lo ? Math.max(...values.slice(lo, hi)) : 0);
  let next = 0;
  for (const t of readTimes(seed + 1, durationMs, slotMs)) {
    for (; next < times.length && times[next]! <= t; next++) {
      clock.setMonotonic(times[next]!);
      w.record(values[next]!);
    }
    clock.setMonotonic(t);
    const [lo, hi] = rangeIn(times, documentedStart(t, slotMs, windowMs / slotMs), t);
    let sum = 0;
    for (let i = lo; i < hi; i++) sum += values[i]!;
    const max = w.max();
    assert.is(max, maxOf(lo, hi), `${kind} max at ${t}`);
    assert.is(w.min(), hi > lo ? Math.min(...values.slice(lo, hi)) : 0, `${kind} min at ${t}`);
    near(w.average(), hi > lo ? sum / (hi - lo) : 0, `${kind} average at ${t}`);
    const inner = rangeIn(times, t - windowMs + slotMs, t);
    const outer = rangeIn(times, t - windowMs + 1e-9, t);
    assert.ok(maxOf(...inner) <= max && max <= maxOf(...outer), `${kind} max at ${t} outside its sliding bounds`);
  }
}

test('ages from steady, bursty and idle traffic agree with an exact list of recorded values', () => {
  agreesWithReference('steady', 31, 300_000, 5_000);
  agreesWithReference('bursty', 32, 60_000, 5_000);
  agreesWithReference('idle', 33, 60_000, 1_000);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Traffic } from './reference.js';
import { FakeClock } from '../../lib/clock.js';
import { RateWindow } from '../../lib/window/rate.js';
import { countIn, densest, documentedStart, eventTimes, readTimes } from './reference.js';
import { near } from '../support/near.js';

function setup(windowMs = 3_000, slotMs = 1_000): { clock: FakeClock; w: RateWindow } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  return { clock, w: new RateWindow({ clock, windowMs, slotMs }) };
}

test('a fresh window reads 0 events per second, not NaN', () => {
  const { clock, w } = setup();
  assert.is(w.rate(), 0);
  clock.advance(10_000);
  assert.is(w.rate(), 0);
  assert.is(w.count(), 0);
});

test('one event at the first instant reads as one per slot width, not millions per second', () => {
  const { w } = setup(300_000, 5_000);
  w.mark();
  assert.is(w.rate(), 0.2);
});

test('before a full window has passed, the rate divides by the time actually elapsed', () => {
  const { clock, w } = setup(300_000, 5_000);
  for (let i = 0; i < 100; i++) {
    clock.advance(500);
    w.mark();
  }
  assert.is(w.rate(), 2, '100 events over 50 s');
  clock.advance(50_000);
  assert.is(w.rate(), 1, 'and 100 s later');
});

test('steady traffic reads its exact rate once the window is full, at any phase of the current slot', () => {
  const { clock, w } = setup(60_000, 5_000);
  for (let t = 0; t < 200_000; t += 100) {
    w.mark(3);
    clock.advance(100);
    if (t > 60_000) near(w.rate(), 30, `at ${t}`);
  }
});

test('slots roll over exactly at their boundaries, and the oldest expires as a new one opens', () => {
  const { clock, w } = setup(3_000, 1_000);
  w.mark(1);
  clock.setMonotonic(999);
  w.mark(2);
  clock.setMonotonic(1_000);
  w.mark(4);
  clock.setMonotonic(2_999);
  w.mark(8);
  assert.is(w.count(), 15);
  near(w.rate(), 15_000 / 2_999);
  clock.setMonotonic(3_000);
  assert.is(w.count(), 12);
  near(w.rate(), 6, '12 events over the two slots left');
  clock.setMonotonic(4_000);
  assert.is(w.count(), 8);
  clock.setMonotonic(5_000);
  assert.is(w.count(), 0);
  assert.is(w.rate(), 0);
});

test('a gap longer than the window expires everything, and no stale slot comes back later', () => {
  const { clock, w } = setup(5_000, 1_000);
  for (let t = 0; t < 5_000; t += 100) {
    clock.setMonotonic(t);
    w.mark(7);
  }
  assert.is(w.count(), 350);
  clock.setMonotonic(5_000 + 5_000 + 2_500);
  assert.is(w.count(), 0);
  assert.is(w.rate(), 0);
  w.mark(1);
  // Walk across every slot index again: old epochs must never be read as live.
  for (let t = 12_500; t < 17_000; t += 250) {
    clock.setMonotonic(t);
    assert.is(w.count(), 1, `at ${t}`);
  }
  clock.setMonotonic(17_000);
  assert.is(w.count(), 0);
});

test('a gap of many windows with no reads at all still reads nothing stale', () => {
  const { clock, w } = setup(300_000, 5_000);
  w.mark(1e6);
  clock.advance(86_400_000 * 30);
  assert.is(w.count(), 0);
  w.mark();
  assert.is(w.count(), 1);
  near(w.rate(), 1 / 295, 'on a boundary, the window covers the 59 slots before the new one');
});

test('a clock that stands still counts every mark and reads a finite, repeatable rate', () => {
  const { clock, w } = setup(3_000, 1_000);
  clock.setMonotonic(1_500);
  for (let i = 0; i < 1_000; i++) w.mark();
  assert.is(w.count(), 1_000);
  const first = w.rate();
  assert.ok(Number.isFinite(first) && first > 0);
  assert.is(w.rate(), first);
  near(first, 1_000 / 1.5);
});

test('a clock that steps back records into the current slot: no count lost, no negative rate', () => {
  const { clock, w } = setup(3_000, 1_000);
  clock.setMonotonic(2_500);
  w.mark(1);
  clock.setMonotonic(100);
  w.mark(2);
  assert.is(w.count(), 3);
  assert.ok(w.rate() > 0);
  near(w.rate(), 3_000 / 2_500, 'the span keeps the latest time seen');
  clock.setMonotonic(-1e9);
  w.mark(4);
  assert.is(w.count(), 7);
  assert.ok(w.rate() > 0);
  // Time returns: the backward marks live in the slot [2000, 3000) and expire with it.
  clock.setMonotonic(4_999);
  assert.is(w.count(), 7);
  clock.setMonotonic(5_000);
  assert.is(w.count(), 0);
});

test('reset forgets every event and measures elapsed time from the reset', () => {
  const { clock, w } = setup(300_000, 5_000);
  w.mark(500);
  clock.advance(400_000);
  w.mark(10);
  w.reset();
  assert.is(w.count(), 0);
  clock.advance(10_000);
  w.mark(20);
  assert.is(w.rate(), 2, '20 events over the 10 s since reset');
});

test('counts stay exact past 2^32 and with 10^9 events in one slot', () => {
  const { clock, w } = setup(300_000, 5_000);
  for (let i = 0; i < 5; i++) w.mark(1e9);
  assert.is(w.count(), 5e9);
  let expected = 5_000_000_000n;
  for (let s = 0; s < 59; s++) {
    clock.advance(5_000);
    const n = 2 ** 32 + 1_000_003 * s;
    w.mark(n);
    expected += BigInt(n);
  }
  assert.ok(expected > 2n ** 32n * 59n);
  assert.is(BigInt(w.count()), expected);
  near(w.rate(), Number(expected) / 295, 'the window is 295 s old');
});

test('ten million single marks are counted exactly', () => {
  const { w } = setup();
  for (let i = 0; i < 10_000_000; i++) w.mark();
  assert.is(w.count(), 10_000_000);
});

test('windows side by side stay independent, on one clock or on their own', () => {
  const shared = new FakeClock(0, 0);
  const windows = Array.from({ length: 50 }, () => new RateWindow({ clock: shared, windowMs: 10_000, slotMs: 1_000 }));
  const expected = new Array<number>(50).fill(0);
  for (let t = 0; t < 10_000; t += 10) {
    shared.setMonotonic(t);
    for (let i = 0; i < windows.length; i++) {
      if (t % (10 * (i + 1)) === 0) {
        windows[i]!.mark(i + 1);
        expected[i]! += i + 1;
      }
    }
  }
  windows.forEach((w, i) => assert.is(w.count(), expected[i], `window ${i}`));
  windows[7]!.reset();
  assert.is(windows[7]!.count(), 0);
  assert.is(windows[8]!.count(), expected[8]);
  const a = setup();
  const b = setup();
  a.w.mark(5);
  b.clock.advance(10_000);
  assert.is(a.w.count(), 5);
  assert.is(b.w.count(), 0);
});

/**
 * Against an exact list of event times: the count is exactly the events in the documented interval (the current
 * slot and the slots - 1 before it); before a full window the rate is events / max(elapsed, slot) exactly; after
 * it, the rate differs from a true sliding window (t - W, t] by at most max(rate·slot/W, densest slot/W).
 */
function agreesWithReference(kind: Traffic, seed: number, windowMs: number, slotMs: number): void {
  const durationMs = 3_600_000;
  const times = eventTimes(kind, seed, durationMs);
  const reads = readTimes(seed + 1, durationMs, slotMs);
  const densestSlot = densest(times, slotMs);
  const clock = new FakeClock(0, 0);
  const w = new RateWindow({ clock, windowMs, slotMs });
  let next = 0;
  let checked = 0;
  for (const t of reads) {
    for (; next < times.length && times[next]! <= t; next++) {
      clock.setMonotonic(times[next]!);
      w.mark();
    }
    clock.setMonotonic(t);
    const start = documentedStart(t, slotMs, windowMs / slotMs);
    assert.is(w.count(), countIn(times, start, t), `${kind} count at ${t}`);
    const rate = w.rate();
    if (t < windowMs) {
      near(rate, (countIn(times, 0, t) * 1000) / Math.max(t, slotMs), `${kind} young rate at ${t}`);
    } else {
      const exact = (countIn(times, t - windowMs + 1e-9, t) * 1000) / windowMs;
      const bound = Math.max((rate * slotMs) / windowMs, (densestSlot * 1000) / windowMs) + 1e-9;
      assert.ok(Math.abs(rate - exact) <= bound, `${kind} at ${t}: ${rate} vs exact ${exact}, bound ${bound}`);
    }
    checked++;
  }
  assert.ok(checked > 300 && times.length > 20, `${kind}: ${checked} reads, ${times.length} events`);
}

test('steady traffic agrees with an exact sliding reference within one slot', () => {
  agreesWithReference('steady', 1, 300_000, 5_000);
  agreesWithReference('steady', 2, 60_000, 1_000);
});

test('bursty traffic agrees with an exact sliding reference within one slot', () => {
  agreesWithReference('bursty', 3, 300_000, 5_000);
  agreesWithReference('bursty', 4, 300_000, 30_000);
  agreesWithReference('bursty', 5, 20_000, 2_000);
});

test('idle traffic, with gaps longer than the window, agrees with an exact sliding reference', () => {
  agreesWithReference('idle', 6, 300_000, 5_000);
  agreesWithReference('idle', 7, 60_000, 10_000);
});

test.run();

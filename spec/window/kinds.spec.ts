// One case table for what every sliding window must do, run against each kind (rate, ratio, max/average,
// busy-time utilization): read 0 when empty, expire what a long gap leaves behind, keep a record made while
// the clock steps back, forget on reset, and stay independent of windows beside it. What only one kind
// does lives in that kind's own spec.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Clock } from '../../lib/clock.js';
import { FakeClock } from '../../lib/clock.js';
import { MaxAvgWindow } from '../../lib/window/maxavg.js';
import { RateWindow } from '../../lib/window/rate.js';
import { RatioWindow } from '../../lib/window/ratio.js';
import { UtilizationWindow } from '../../lib/window/utilization.js';

/** A window seen through one record and one reading; `read()` is 0 when nothing is in the window. */
interface Probe {
  record(): void;
  read(): number;
  reset(): void;
}

const WINDOW = { windowMs: 10_000, slotMs: 1_000 };

const KINDS: Array<[kind: string, make: (clock: Clock) => Probe]> = [
  ['rate', (clock) => {
    const w = new RateWindow({ clock, ...WINDOW });
    return { record: () => w.mark(3), read: () => w.rate(), reset: () => w.reset() };
  }],
  ['ratio', (clock) => {
    const w = new RatioWindow({ clock, ...WINDOW });
    const errors = w.numerator();
    return { record: () => (w.markTotal(4), errors.mark(1)), read: () => errors.percent(), reset: () => w.reset() };
  }],
  ['max', (clock) => {
    const w = new MaxAvgWindow({ clock, ...WINDOW });
    return { record: () => w.record(7), read: () => w.max(), reset: () => w.reset() };
  }],
  ['average', (clock) => {
    const w = new MaxAvgWindow({ clock, ...WINDOW });
    return { record: () => w.record(7), read: () => w.average(), reset: () => w.reset() };
  }],
  ['utilization', (clock) => {
    const w = new UtilizationWindow({ clock, ...WINDOW });
    return { record: () => w.reportBusy(250), read: () => w.percent(), reset: () => w.reset() };
  }],
];

const CASES: Array<[what: string, run: (make: (clock: Clock) => Probe) => void]> = [
  ['a fresh window reads 0, not NaN', (make) => {
    const clock = new FakeClock(1_700_000_000_000, 0);
    const w = make(clock);
    assert.is(w.read(), 0);
    clock.advance(100_000);
    assert.is(w.read(), 0);
  }],
  ['a gap longer than the window expires everything, and nothing stale comes back later', (make) => {
    const clock = new FakeClock(1_700_000_000_000, 0);
    const w = make(clock);
    w.record();
    clock.advance(500);
    assert.ok(w.read() > 0);
    clock.advance(WINDOW.windowMs + WINDOW.slotMs);
    assert.is(w.read(), 0);
    clock.advance(3 * WINDOW.slotMs);
    assert.is(w.read(), 0);
  }],
  ['a record made while the clock steps back lands in the current slot and counts', (make) => {
    const clock = new FakeClock(1_700_000_000_000, 5_000);
    const w = make(clock);
    clock.advance(-3_000);
    w.record();
    clock.advance(3_500);
    const value = w.read();
    assert.ok(value > 0 && Number.isFinite(value), `read ${value}`);
  }],
  ['reset forgets every record', (make) => {
    const clock = new FakeClock(1_700_000_000_000, 0);
    const w = make(clock);
    w.record();
    clock.advance(500);
    w.reset();
    assert.is(w.read(), 0);
  }],
  ['windows side by side on one clock stay independent', (make) => {
    const clock = new FakeClock(0, 0);
    const windows = Array.from({ length: 10 }, () => make(clock));
    windows.forEach((w, i) => i % 2 === 0 && w.record());
    clock.advance(500);
    windows.forEach((w, i) => assert.is(w.read() > 0, i % 2 === 0, `window ${i}`));
    windows[0]!.reset();
    assert.ok(windows[2]!.read() > 0, 'a reset reaches only its own window');
  }],
];

for (const [kind, make] of KINDS) {
  for (const [what, run] of CASES) test(`${kind}: ${what}`, () => run(make));
}

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { EluSample, EluSource } from '../../lib/window/utilization.js';
import { FakeClock } from '../../lib/clock.js';
import { EventLoopUtilizationWindow, UtilizationWindow, nodeEventLoop } from '../../lib/window/utilization.js';
import { prng } from './reference.js';
import { near } from '../support/near.js';

/** A cumulative event-loop counter the spec moves by hand. */
class FakeLoop {
  active = 0;
  idle = 0;
  readonly source: EluSource = (): EluSample => ({ active: this.active, idle: this.idle });
  run(activeMs: number, idleMs: number): void {
    this.active += activeMs;
    this.idle += idleMs;
  }
}

function busySetup(windowMs = 10_000, slotMs = 1_000): { clock: FakeClock; u: UtilizationWindow } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  return { clock, u: new UtilizationWindow({ clock, windowMs, slotMs }) };
}

test('busy time over a full window reads as its share of the covered time', () => {
  const { clock, u } = busySetup();
  for (let i = 0; i < 100; i++) {
    u.reportBusy(25);
    clock.advance(100);
  }
  near(u.percent(), 25);
  for (let i = 0; i < 100; i++) {
    u.reportBusy(75);
    clock.advance(100);
  }
  near(u.percent(), 75, 'the earlier, lighter load has left the window');
});

test('a young window divides by the time elapsed, floored at one slot', () => {
  const { clock, u } = busySetup(10_000, 1_000);
  u.reportBusy(100);
  near(u.percent(), 10, '100 ms over the one-slot floor');
  clock.advance(4_000);
  u.reportBusy(900);
  near(u.percent(), 25, '1000 ms over 4 s');
});

test('utilization is 0 at idle and after a gap longer than the window', () => {
  const { clock, u } = busySetup();
  assert.is(u.percent(), 0);
  clock.advance(500);
  u.reportBusy(400);
  assert.ok(u.percent() > 0);
  clock.advance(1e9);
  assert.is(u.percent(), 0);
});

test('utilization is clamped to [0, 100], and a NaN report reads as 0', () => {
  const { clock, u } = busySetup();
  clock.advance(1_000);
  u.reportBusy(5_000);
  assert.is(u.percent(), 100);
  const neg = busySetup().u;
  neg.reportBusy(-10);
  assert.is(neg.percent(), 0);
  const nan = busySetup().u;
  nan.reportBusy(NaN);
  assert.is(nan.percent(), 0);
});

test('a clock that steps back keeps busy reports in the current slot', () => {
  const { clock, u } = busySetup(10_000, 1_000);
  clock.setMonotonic(5_000);
  u.reportBusy(1_000);
  clock.setMonotonic(1_000);
  u.reportBusy(1_000);
  near(u.percent(), 40, '2000 ms over the 5 s seen so far');
});

test('reset forgets busy time and measures from the reset', () => {
  const { clock, u } = busySetup();
  clock.advance(2_000);
  u.reportBusy(2_000);
  u.reset();
  assert.is(u.percent(), 0);
  clock.advance(2_000);
  u.reportBusy(500);
  near(u.percent(), 25);
});

function eluSetup(windowMs = 10_000, slotMs = 1_000): { clock: FakeClock; loop: FakeLoop; u: EventLoopUtilizationWindow } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  const loop = new FakeLoop();
  loop.run(123_456, 654_321);
  return { clock, loop, u: new EventLoopUtilizationWindow({ clock, windowMs, slotMs, source: loop.source }) };
}

test('event-loop utilization reads active over active plus idle since construction, not since the process started', () => {
  const { clock, loop, u } = eluSetup();
  assert.is(u.percent(), 0, 'no loop time has passed yet');
  clock.advance(1_000);
  loop.run(300, 700);
  near(u.percent(), 30);
  clock.advance(1_000);
  loop.run(900, 100);
  near(u.percent(), 60);
});

test('event-loop deltas leave the window with the slot they were read in', () => {
  const { clock, loop, u } = eluSetup(3_000, 1_000);
  loop.run(1_000, 0);
  near(u.percent(), 100);
  clock.setMonotonic(1_000);
  loop.run(0, 1_000);
  near(u.percent(), 50);
  clock.setMonotonic(3_000);
  loop.run(0, 1_000);
  near(u.percent(), 0, 'the fully busy delta was read in slot [0, 1000), which has expired');
  clock.advance(1e9);
  assert.is(u.percent(), 0);
});

test('a source that goes backwards counts as no time rather than negative time', () => {
  const { clock, loop, u } = eluSetup();
  clock.advance(1_000);
  loop.run(500, 500);
  near(u.percent(), 50);
  loop.active = 0;
  loop.idle = 0;
  clock.advance(1_000);
  near(u.percent(), 50);
  loop.run(250, 750);
  clock.advance(1_000);
  near(u.percent(), 37.5, 'counting resumes from the lower reading');
});

test('event-loop utilization stays in [0, 100] for any seeded sequence of samples', () => {
  const rnd = prng(41);
  const { clock, loop, u } = eluSetup(60_000, 5_000);
  for (let i = 0; i < 2_000; i++) {
    clock.advance(Math.floor(rnd() * 20_000));
    loop.run(rnd() * 10_000, rnd() < 0.1 ? 0 : rnd() * 10_000);
    const p = u.percent();
    assert.ok(p >= 0 && p <= 100, `${p}`);
  }
});

test('reset takes a new baseline from the source', () => {
  const { clock, loop, u } = eluSetup();
  clock.advance(1_000);
  loop.run(1_000, 0);
  near(u.percent(), 100);
  loop.run(5_000, 0);
  u.reset();
  clock.advance(1_000);
  loop.run(100, 900);
  near(u.percent(), 10, 'the busy time before reset is not counted');
});

test('the default source is the real event loop, and its readings are percentages', () => {
  const clock = new FakeClock(0, 0);
  const u = new EventLoopUtilizationWindow({ clock });
  const sample = nodeEventLoop();
  assert.type(sample.active, 'number');
  assert.type(sample.idle, 'number');
  for (let i = 0; i < 3; i++) {
    const p = u.percent();
    assert.ok(p >= 0 && p <= 100, `${p}`);
  }
});

test('a source that is not a function is rejected at construction', () => {
  assert.throws(
    () => new EventLoopUtilizationWindow({ source: 5 as unknown as EluSource }),
    (error: Error) => error.message.includes('source=5') && error.message.includes('nodeEventLoop'),
  );
});

test.run();

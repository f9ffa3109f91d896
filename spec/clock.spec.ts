import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock, systemClock } from '../lib/clock.js';

test('a fake clock moves its monotonic and wall readings together', () => {
  const clock = new FakeClock(1_000_000, 5);
  clock.advance(250);
  assert.is(clock.now(), 255);
  assert.is(clock.wallMs(), 1_000_250);
});

test('a fake clock can step its monotonic reading back without touching wall time', () => {
  const clock = new FakeClock(1_000_000, 100);
  clock.setMonotonic(40);
  assert.is(clock.now(), 40);
  assert.is(clock.wallMs(), 1_000_000);
});

test('the system clock is monotonic between two reads', () => {
  const a = systemClock.now();
  const b = systemClock.now();
  assert.ok(b >= a);
  assert.ok(Math.abs(systemClock.wallMs() - Date.now()) < 1000);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { CoarseClock, DEFAULT_COARSE_RESOLUTION_MS } from '../../lib/window/coarse-clock.js';
import { RateWindow } from '../../lib/window/rate.js';

// The timer itself is not exercised here (specs never wait); refresh() is what it calls.

test('a stopped coarse clock reads its source directly', () => {
  const source = new FakeClock(5_000, 100);
  const clock = new CoarseClock({ source });
  source.advance(250);
  assert.is(clock.now(), 350);
  assert.is(clock.wallMs(), 5_250);
  assert.is(clock.resolutionMs, DEFAULT_COARSE_RESOLUTION_MS);
});

test('a started coarse clock holds its reading until refreshed', () => {
  const source = new FakeClock(0, 100);
  const clock = new CoarseClock({ source, resolutionMs: 50 });
  source.advance(10);
  try {
    assert.is(clock.start(), clock);
    assert.is(clock.now(), 110, 'start takes a fresh reading');
    source.advance(40);
    assert.is(clock.now(), 110);
    assert.is(clock.wallMs(), 50, 'wall time is never cached');
    clock.refresh();
    assert.is(clock.now(), 150);
    clock.start();
    assert.is(clock.now(), 150, 'a second start is a no-op');
  } finally {
    clock.stop();
  }
  source.advance(1);
  assert.is(clock.now(), 151, 'stopped again, it reads through');
  clock.stop();
});

test('a started coarse clock never goes backwards, even when its source does', () => {
  const source = new FakeClock(0, 1_000);
  const clock = new CoarseClock({ source }).start();
  try {
    source.setMonotonic(400);
    clock.refresh();
    assert.is(clock.now(), 1_000);
    source.setMonotonic(1_200);
    clock.refresh();
    assert.is(clock.now(), 1_200);
  } finally {
    clock.stop();
  }
});

test('a window on a coarse clock slots events by the cached reading', () => {
  const source = new FakeClock(0, 0);
  const clock = new CoarseClock({ source }).start();
  try {
    const w = new RateWindow({ clock, windowMs: 3_000, slotMs: 1_000 });
    w.mark();
    source.setMonotonic(3_500);
    w.mark();
    assert.is(w.count(), 2, 'until refreshed, both marks are at t = 0');
    clock.refresh();
    assert.is(w.count(), 0, 'after the refresh, t = 3500 and slot [0, 1000) has expired');
  } finally {
    clock.stop();
  }
});

test('a resolution that is not a positive whole number of ms is rejected', () => {
  for (const resolutionMs of [0, -1, 0.5, NaN, Infinity]) {
    assert.throws(() => new CoarseClock({ resolutionMs }), (error: Error) => error.message.includes(`resolutionMs=${resolutionMs}`));
  }
});

test.run();

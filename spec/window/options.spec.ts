import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Clock } from '../../lib/clock.js';
import type { WindowOptions } from '../../lib/window/options.js';
import { FakeClock, systemClock } from '../../lib/clock.js';
import { DEFAULT_SLOT_MS, DEFAULT_WINDOW_MS, MAX_SLOTS, MIN_SLOTS, resolveWindow } from '../../lib/window/options.js';
import { RateWindow } from '../../lib/window/rate.js';
import { RatioWindow } from '../../lib/window/ratio.js';
import { MaxAvgWindow } from '../../lib/window/maxavg.js';
import { EventLoopUtilizationWindow, UtilizationWindow } from '../../lib/window/utilization.js';

const clock = new FakeClock();

function ok(options: WindowOptions, slotMs: number, slots: number): void {
  const geometry = resolveWindow({ clock, ...options });
  assert.is(geometry.slotMs, slotMs, JSON.stringify(options));
  assert.is(geometry.slots, slots, JSON.stringify(options));
}

function bad(options: WindowOptions, ...fragments: string[]): void {
  try {
    resolveWindow(options);
  } catch (error) {
    assert.instance(error, Error);
    for (const fragment of fragments) assert.ok((error as Error).message.includes(fragment), `${(error as Error).message} lacks ${fragment}`);
    return;
  }
  assert.unreachable(`accepted ${JSON.stringify(options)}`);
}

test('the default window is five minutes of five-second slots on the system clock', () => {
  assert.is(DEFAULT_WINDOW_MS, 300_000);
  assert.is(DEFAULT_SLOT_MS, 5_000);
  const geometry = resolveWindow();
  assert.is(geometry.slots, 60);
  assert.is(geometry.slotMs, 5_000);
  assert.is(geometry.clock, systemClock);
});

test('a window that is a whole multiple of its slot, within the slot-count limits, is accepted', () => {
  ok({}, 5_000, 60);
  ok({ slotMs: 10_000 }, 10_000, 30);
  ok({ windowMs: 60_000 }, 5_000, 12);
  ok({ windowMs: 2_000, slotMs: 1_000 }, 1_000, MIN_SLOTS);
  ok({ windowMs: 3_600_000, slotMs: 1_000 }, 1_000, MAX_SLOTS);
  ok({ windowMs: 10, slotMs: 1 }, 1, 10);
});

test('a slot width that is not a positive whole number of ms is rejected with the value and the fix', () => {
  bad({ slotMs: 0 }, 'slotMs=0', 'positive whole number', 'slotMs: 5000');
  bad({ slotMs: -5_000 }, 'slotMs=-5000');
  bad({ slotMs: 2.5 }, 'slotMs=2.5');
  bad({ slotMs: NaN }, 'slotMs=NaN');
  bad({ slotMs: Infinity }, 'slotMs=Infinity');
});

test('a window length that is not a positive whole number of ms is rejected', () => {
  bad({ windowMs: 0 }, 'windowMs=0', 'positive whole number');
  bad({ windowMs: -300_000 }, 'windowMs=-300000');
  bad({ windowMs: 1e21 }, 'windowMs=1e+21');
  bad({ windowMs: NaN }, 'windowMs=NaN');
});

test('a window that is not a whole multiple of its slot is rejected with a length that would fit', () => {
  bad({ windowMs: 7_000, slotMs: 5_000 }, 'windowMs=7000 slotMs=5000', 'whole multiple', 'windowMs=5000');
  bad({ windowMs: 300_000, slotMs: 7_000 }, 'windowMs=294000');
  bad({ windowMs: 3_000, slotMs: 5_000 }, 'windowMs=5000');
});

test('too few or too many slots are rejected with the slot widths that would work', () => {
  bad({ windowMs: 5_000, slotMs: 5_000 }, 'gives 1 slots', `${MIN_SLOTS} to ${MAX_SLOTS}`, 'between 2 and 2500');
  bad({ windowMs: 300_000, slotMs: 1 }, 'gives 300000 slots', 'between 84 and 150000');
  bad({ windowMs: 3_601, slotMs: 1 }, 'gives 3601 slots');
});

test('a clock without now() is rejected', () => {
  bad({ clock: {} as Clock }, 'clock=', 'now()');
  bad({ clock: { now: 5 } as unknown as Clock }, 'clock=[object Object]', 'monotonic ms');
});

test('every window validates its options at construction', () => {
  const makers: ((o: WindowOptions) => unknown)[] = [
    (o) => new RateWindow(o),
    (o) => new RatioWindow(o),
    (o) => new MaxAvgWindow(o),
    (o) => new UtilizationWindow(o),
    (o) => new EventLoopUtilizationWindow({ ...o, source: () => ({ active: 0, idle: 0 }) }),
  ];
  for (const make of makers) {
    assert.throws(() => make({ clock, windowMs: 7_000, slotMs: 5_000 }), /whole multiple/);
    assert.throws(() => make({ clock, slotMs: 0 }), /slotMs=0/);
  }
});

test('windows report the geometry they were built with', () => {
  const w = new RateWindow({ clock, windowMs: 60_000, slotMs: 2_000 });
  assert.is(w.windowMs, 60_000);
  assert.is(w.slotMs, 2_000);
  const d = new RateWindow({ clock });
  assert.is(d.windowMs, DEFAULT_WINDOW_MS);
  assert.is(d.slotMs, DEFAULT_SLOT_MS);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { RatioWindow } from '../../lib/window/ratio.js';
import { countIn, documentedStart, prng, readTimes } from './reference.js';
import { near } from '../support/near.js';

function setup(windowMs = 3_000, slotMs = 1_000): { clock: FakeClock; r: RatioWindow } {
  const clock = new FakeClock(1_700_000_000_000, 0);
  return { clock, r: new RatioWindow({ clock, windowMs, slotMs }) };
}

test('a percentage with no denominator reads 0, not NaN', () => {
  const { clock, r } = setup();
  const s500 = r.numerator();
  assert.is(s500.percent(), 0);
  s500.mark();
  assert.is(s500.percent(), 0, 'a numerator alone still has nothing to divide by');
  clock.advance(100_000);
  assert.is(s500.percent(), 0);
  assert.is(r.total(), 0);
});

test('each numerator reads its share of the one shared denominator', () => {
  const { r } = setup();
  const s500 = r.numerator();
  const s404 = r.numerator();
  const s503 = r.numerator();
  r.markTotal(1_000);
  s500.mark(50);
  for (let i = 0; i < 20; i++) s404.mark();
  assert.is(r.total(), 1_000);
  assert.is(s500.count(), 50);
  assert.is(s500.percent(), 5);
  assert.is(s404.percent(), 2);
  assert.is(s503.percent(), 0);
});

test('a numerator above its denominator is reported as is, not clamped', () => {
  const { r } = setup();
  const n = r.numerator();
  r.markTotal(2);
  n.mark(3);
  assert.is(n.percent(), 150);
});

test('numerator and denominator expire together at the same slot boundary', () => {
  const { clock, r } = setup(3_000, 1_000);
  const n = r.numerator();
  r.markTotal(10);
  n.mark(5);
  clock.setMonotonic(1_500);
  r.markTotal(10);
  n.mark(1);
  clock.setMonotonic(2_999);
  assert.is(n.percent(), 30);
  clock.setMonotonic(3_000);
  assert.is(n.percent(), 10, 'the first slot left both sides at once');
  clock.setMonotonic(4_000);
  assert.is(n.percent(), 0);
});

test('a numerator bound after the window started uses the same slot grid', () => {
  const { clock, r } = setup(3_000, 1_000);
  clock.setMonotonic(500);
  r.markTotal(4);
  clock.setMonotonic(2_700);
  const late = r.numerator();
  clock.setMonotonic(2_800);
  r.markTotal(4);
  late.mark(2);
  assert.is(late.percent(), 25);
  clock.setMonotonic(3_000);
  assert.is(late.percent(), 50, 'the denominator slot [0, 1000) expired on the grid both share');
  clock.setMonotonic(5_000);
  assert.is(late.percent(), 0);
  assert.is(late.count(), 0);
});

test('a gap longer than the window expires both sides', () => {
  const { clock, r } = setup(3_000, 1_000);
  const n = r.numerator();
  r.markTotal(100);
  n.mark(100);
  clock.advance(1e9);
  assert.is(n.percent(), 0);
  r.markTotal(4);
  n.mark(1);
  assert.is(n.percent(), 25);
});

test('a clock that steps back keeps every mark on both sides', () => {
  const { clock, r } = setup(3_000, 1_000);
  const n = r.numerator();
  clock.setMonotonic(2_000);
  r.markTotal(2);
  clock.setMonotonic(0);
  r.markTotal(2);
  n.mark(1);
  assert.is(r.total(), 4);
  assert.is(n.percent(), 25);
});

test('reset forgets the denominator and every numerator', () => {
  const { clock, r } = setup();
  const a = r.numerator();
  const b = r.numerator();
  r.markTotal(10);
  a.mark(1);
  b.mark(2);
  clock.advance(1_234);
  r.reset();
  assert.is(r.total(), 0);
  assert.is(a.count(), 0);
  assert.is(b.count(), 0);
  r.markTotal(8);
  b.mark(2);
  assert.is(b.percent(), 25);
  assert.is(a.percent(), 0);
});

test('counts past 2^32 keep exact percentages', () => {
  const { r } = setup();
  const n = r.numerator();
  r.markTotal(2 ** 33);
  n.mark(2 ** 31);
  r.markTotal(1e9);
  assert.is(r.total(), 2 ** 33 + 1e9);
  near(n.percent(), (100 * 2 ** 31) / (2 ** 33 + 1e9));
});

test('error percentages by status agree with an exact list of request times', () => {
  const windowMs = 60_000;
  const slotMs = 5_000;
  const rnd = prng(21);
  const clock = new FakeClock(0, 0);
  const r = new RatioWindow({ clock, windowMs, slotMs });
  const statuses = [500, 503, 404];
  const numerators = statuses.map(() => r.numerator());
  const all: number[] = [];
  const byStatus: number[][] = statuses.map(() => []);
  const reads = readTimes(22, 1_800_000, slotMs);
  let t = 0;
  for (const read of reads) {
    // Bursts of errors come and go, so percentages move across the window.
    const errorRate = rnd() < 0.3 ? 0.4 : 0.02;
    for (t += Math.floor(rnd() * 40); t <= read; t += 1 + Math.floor(rnd() * 40)) {
      clock.setMonotonic(t);
      r.markTotal();
      all.push(t);
      if (rnd() < errorRate) {
        const i = Math.floor(rnd() * statuses.length);
        numerators[i]!.mark();
        byStatus[i]!.push(t);
      }
    }
    clock.setMonotonic(read);
    const start = documentedStart(read, slotMs, windowMs / slotMs);
    const total = countIn(all, start, read);
    assert.is(r.total(), total, `total at ${read}`);
    numerators.forEach((n, i) => {
      const errors = countIn(byStatus[i]!, start, read);
      near(n.percent(), total === 0 ? 0 : (100 * errors) / total, `status ${statuses[i]} at ${read}`);
    });
  }
  assert.ok(all.length > 10_000);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlotRing } from '../../lib/window/ring.js';
import { prng } from './reference.js';

/** Adds n to column 0 of the slot recording time t. */
function add(ring: SlotRing, t: number, n = 1): void {
  const b = ring.at(t) + 1;
  ring.data[b] = ring.data[b]! + n;
}

function sumAt(ring: SlotRing, t: number): number {
  ring.advance(t);
  return ring.sum(0);
}

test('a time on a slot boundary belongs to the slot it opens', () => {
  const ring = new SlotRing(1_000, 3, [0], 0);
  const first = ring.at(0);
  assert.is(ring.at(999), first);
  assert.is.not(ring.at(1_000), first);
  const second = ring.at(1_000);
  assert.is(ring.at(1_999.999), second);
  assert.is.not(ring.at(2_000), second);
});

test('the window holds the current slot and the slots - 1 before it, no more', () => {
  const ring = new SlotRing(1_000, 3, [0], 0);
  add(ring, 0, 1);
  add(ring, 999, 2);
  add(ring, 1_000, 4);
  add(ring, 2_500, 8);
  assert.is(sumAt(ring, 2_999), 15);
  assert.is(sumAt(ring, 3_000), 12, 'slot [0, 1000) expires exactly when slot [3000, 4000) opens');
  assert.is(sumAt(ring, 3_999), 12);
  assert.is(sumAt(ring, 4_000), 8);
  assert.is(sumAt(ring, 5_000), 0);
});

test('a gap longer than the window expires every slot, including ones never overwritten', () => {
  const ring = new SlotRing(1_000, 4, [0], 0);
  for (let t = 0; t < 4_000; t += 250) add(ring, t, 1);
  assert.is(sumAt(ring, 3_999), 16);
  // Lands on the slot index that epoch 1 used; the other three keep old epochs and must not count.
  add(ring, 9_000, 5);
  assert.is(sumAt(ring, 9_000), 5);
  for (let t = 9_000; t < 13_000; t += 1_000) assert.is(sumAt(ring, t), 5, `at ${t}`);
  assert.is(sumAt(ring, 13_000), 0);
});

test('a gap of exactly slots - 1 slot widths keeps the oldest slot', () => {
  const ring = new SlotRing(1_000, 4, [0], 0);
  add(ring, 500, 3);
  add(ring, 3_000, 1);
  assert.is(sumAt(ring, 3_999), 4);
  assert.is(sumAt(ring, 4_000), 1);
});

test('a time before the current slot records into the current slot', () => {
  const ring = new SlotRing(1_000, 3, [0], 0);
  add(ring, 2_500, 1);
  add(ring, 100, 2);
  add(ring, -50_000, 4);
  assert.is(sumAt(ring, 2_600), 7);
  assert.is(sumAt(ring, 0), 7, 'reading at an earlier time does not move the window back');
  assert.is(sumAt(ring, 4_999), 7);
  assert.is(sumAt(ring, 5_000), 0);
});

test('columns start at their initial value whenever a slot is reused', () => {
  const ring = new SlotRing(10, 2, [0, -Infinity], 0);
  let b = ring.at(0) + 1;
  ring.data[b] = 3;
  ring.data[b + 1] = 42;
  b = ring.at(20) + 1;
  assert.is(ring.data[b], 0);
  assert.is(ring.data[b + 1], -Infinity);
  ring.advance(20);
  assert.is(ring.max(1), -Infinity);
});

test('max reads only live slots', () => {
  const ring = new SlotRing(100, 3, [-Infinity], 0);
  const put = (t: number, v: number): void => {
    const b = ring.at(t) + 1;
    ring.data[b] = Math.max(ring.data[b]!, v);
  };
  put(0, 9);
  put(150, 4);
  put(250, 6);
  ring.advance(299);
  assert.is(ring.max(0), 9);
  ring.advance(300);
  assert.is(ring.max(0), 6);
});

test('the covered span grows from origin, is floored at one slot, and stays within (slots - 1, slots] slots once full', () => {
  const ring = new SlotRing(1_000, 4, [0], 10_000);
  ring.advance(10_000);
  assert.is(ring.spanMs(), 1_000, 'floored at one slot at the first instant');
  ring.advance(10_400);
  assert.is(ring.spanMs(), 1_000);
  ring.advance(12_500);
  assert.is(ring.spanMs(), 2_500, 'elapsed time while young');
  ring.advance(13_999);
  assert.is(ring.spanMs(), 3_999);
  ring.advance(14_000);
  assert.is(ring.spanMs(), 3_000, 'the oldest slot left as a new one opened');
  ring.advance(14_999);
  assert.is(ring.spanMs(), 3_999);
  ring.advance(1_000);
  assert.is(ring.spanMs(), 3_999, 'an earlier read time does not shrink the span');
});

test('reset empties every slot and restarts the grid at the new origin', () => {
  const ring = new SlotRing(1_000, 3, [0], 0);
  add(ring, 0, 1);
  add(ring, 1_700, 2);
  ring.reset(1_500);
  assert.is(sumAt(ring, 1_700), 0);
  add(ring, 2_499, 1);
  add(ring, 2_500, 1);
  ring.advance(2_500);
  assert.is(ring.spanMs(), 1_000);
  assert.is(sumAt(ring, 4_499), 2);
  assert.is(sumAt(ring, 4_500), 1, 'slots are aligned to the new origin');
  assert.is(ring.origin, 1_500);
});

test('boundaries on a fractional origin never clear a slot that is still current or lose a count', () => {
  const rnd = prng(11);
  for (let round = 0; round < 200; round++) {
    // Full 53-bit fractions, like performance.now() readings, so that origin + k·slot rounds.
    const origin = (rnd() + rnd() / 2 ** 32) * 100;
    const slotMs = 1 + Math.floor(rnd() * 7);
    const ring = new SlotRing(slotMs, 100, [0], origin);
    let recorded = 0;
    for (let k = 1; k < 50; k++) {
      // Just before, exactly on and just after computed boundaries, where float rounding bites.
      const edge = origin + k * slotMs;
      for (const t of [edge - 1e-7, edge, edge + 1e-7, edge]) {
        const b = ring.at(t);
        const before = ring.data[b + 1]!;
        ring.data[b + 1] = before + 1;
        recorded++;
        assert.is(ring.at(t), b, `origin ${origin} slot ${slotMs} t ${t}: the same time moved the slot`);
        assert.is(ring.data[b + 1], before + 1, `origin ${origin} slot ${slotMs} t ${t}: the slot was cleared`);
      }
    }
    assert.is(sumAt(ring, origin + 50 * slotMs), recorded, `origin ${origin} slot ${slotMs}`);
  }
});

test('a time just below a computed boundary stays in the slot before it, even where division rounds up', () => {
  // Triples found by search: t is the largest double below origin + k·slot, yet (t - origin) / slot floors to k.
  const cases: [number, number, number][] = [
    [43.59174615283345, 6, 50],
    [43.84131659648596, 2, 34],
    [30.01461171597701, 6, 34],
  ];
  for (const [origin, slotMs, k] of cases) {
    const boundary = origin + k * slotMs;
    const t = below(boundary);
    assert.is(Math.floor((t - origin) / slotMs), k, 'the premise: division rounds up');
    const ring = new SlotRing(slotMs, 100, [0], origin);
    const b = ring.at(t);
    assert.is.not(ring.at(boundary), b, `origin ${origin}: t was put in the slot the boundary opens`);
  }
});

/** The largest double below a positive x. */
function below(x: number): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = bits[0]! - 1n;
  return new Float64Array(bits.buffer)[0]!;
}

test.run();

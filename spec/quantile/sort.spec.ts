import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { heapsort, sortRun } from '../../lib/quantile/sort.js';
import { prng } from './data.js';

type Shape = (random: () => number, i: number, n: number) => number;

// Inputs that break naive quicksorts: presorted, reversed, all equal, few distinct values, organ pipes.
const SHAPES: Readonly<Record<string, Shape>> = {
  random: (random) => random() * 1000 - 500,
  'few distinct': (random) => Math.floor(random() * 4),
  'all equal': () => 7,
  ascending: (_random, i) => i,
  descending: (_random, i, n) => n - i,
  'organ pipe': (_random, i, n) => Math.min(i, n - i),
  sawtooth: (_random, i) => i % 17,
  'ascending, then noise': (random, i, n) => (i < n - 5 ? i : random() * n),
  'infinities and zeros': (random) => [Infinity, -Infinity, 0, -0, 1, -1][Math.floor(random() * 6)]!,
};
const LENGTHS = [0, 1, 2, 3, 8, 9, 10, 31, 256, 1000, 4097];

function input(shape: Shape, n: number, seed: number): Float64Array {
  const random = prng(seed);
  return Float64Array.from({ length: n }, (_, i) => shape(random, i, n));
}

/** Element-wise ===, so -0 and 0 match (sortRun leaves their order unspecified); names the first mismatch. */
function assertSorted(actual: Float64Array, original: Float64Array, label: string): void {
  const expected = original.slice().sort();
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.unreachable(`${label}: index ${i} holds ${actual[i]}, the built-in sort has ${expected[i]}`);
  }
}

test('sortRun orders every shape and length like the built-in sort', () => {
  let seed = 1;
  for (const [name, shape] of Object.entries(SHAPES)) {
    for (const n of LENGTHS) {
      const original = input(shape, n, seed++);
      const values = original.slice();
      sortRun(values, n);
      assertSorted(values, original, `${name} n=${n}`);
    }
  }
});

test('sortRun sorts only the prefix it is given and leaves the rest of the array alone', () => {
  const original = input(SHAPES.random!, 300, 99);
  const values = original.slice();
  sortRun(values, 256);
  assertSorted(values.subarray(0, 256), original.subarray(0, 256), 'prefix');
  assert.equal(Array.from(values.subarray(256)), Array.from(original.subarray(256)), 'past the prefix');
});

test('past its depth limit sortRun falls back to heapsort, and still sorts', () => {
  let seed = 200;
  for (const depthLimit of [0, 1, 2]) {
    for (const [name, shape] of Object.entries(SHAPES)) {
      const original = input(shape, 1000, seed++);
      const values = original.slice();
      sortRun(values, values.length, depthLimit);
      assertSorted(values, original, `${name} depthLimit=${depthLimit}`);
    }
  }
});

test('heapsort sorts exactly the range it is given', () => {
  let seed = 300;
  for (const [name, shape] of Object.entries(SHAPES)) {
    for (const n of LENGTHS) {
      const original = input(shape, n + 6, seed++);
      const values = original.slice();
      heapsort(values, 3, n + 3);
      assertSorted(values.subarray(3, n + 3), original.subarray(3, n + 3), `${name} n=${n}`);
      assert.equal([...values.subarray(0, 3), ...values.subarray(n + 3)], [...original.subarray(0, 3), ...original.subarray(n + 3)], `${name} n=${n}: outside the range`);
    }
  }
});

test.run();

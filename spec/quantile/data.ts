// Seeded test data and a rank oracle for the quantile specs (not a suite: the runner loads *.spec.js only).
// Everything is deterministic: a 32-bit xorshift PRNG seeded per test, so a failure replays exactly.
// Ranks are 1-based; a value held by several ranks counts as correct at any of them.

/** xorshift32 (Marsaglia 2003); returns uniforms in (0, 1), never 0 (logs stay finite). */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
}

export type Distribution = (random: () => number, i: number, n: number) => number;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
}

/** The distributions the accuracy specs run, by name. */
export const DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {
  uniform: (random) => random(),
  normal: (random) => 100 + 15 * gaussian(random),
  lognormal: (random) => Math.exp(gaussian(random)),
  'pareto(1.5)': (random) => Math.pow(random(), -1 / 1.5),
  exponential: (random) => -Math.log(random()),
  bimodal: (random) => (random() < 0.3 ? 10 : 50) + gaussian(random),
  'all equal': () => 7,
  ascending: (_random, i) => i,
  descending: (_random, i, n) => n - i,
  sawtooth: (_random, i) => i % 1000,
};

export function generate(distribution: Distribution, n: number, seed: number): Float64Array {
  const random = prng(seed);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = distribution(random, i, n);
  return values;
}

/** Distance from rank `target` to the nearest 1-based rank holding `value` in `sorted`; Infinity if absent. */
export function rankError(sorted: Float64Array, value: number, target: number): number {
  const first = lowerBound(sorted, value) + 1;
  const last = upperBound(sorted, value);
  if (first > last) return Infinity;
  return target < first ? first - target : target > last ? target - last : 0;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

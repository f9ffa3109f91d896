import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allowedWidth, compileBand, MAX_WIDTH } from '../../lib/quantile/band.js';
import type { QuantileTarget } from '../../lib/quantile/targets.js';
import { prng } from './data.js';

const SINGLE_TARGETS: readonly QuantileTarget[] = [
  { q: 0.5, error: 0.05 }, { q: 0.9, error: 0.01 }, { q: 0.99, error: 0.001 },
  { q: 0.9, error: 0.05 }, { q: 0.99, error: 0.005 }, { q: 0.1, error: 0.02 }, { q: 0.3, error: 0.1 },
];

/**
 * Is there a future (x inserts below the gap, y above, x, y >= 0 integers) in which the gap [a, a + w] of n
 * straddles the tolerance band of (q, error): starts below (q - error)·n' and ends above (q + error)·n'?
 * Straddling needs w > 2·error·n' >= 2·error·(n + x), which bounds x. For each x, the smallest y that puts the
 * start below the band is the best chance for the end to be above it.
 */
function someFutureStraddles(target: QuantileTarget, a: number, w: number, n: number): boolean {
  const lo = target.q - target.error;
  const hi = target.q + target.error;
  const xMax = Math.ceil(w / (2 * target.error));
  for (let x = 0; x <= xMax; x++) {
    const start = a + x;
    let y = Math.max(0, Math.floor(start / lo - (n + x)) - 1);
    while (!(start < lo * (n + x + y))) y++;
    if (start + w > hi * (n + x + y)) return true;
  }
  return false;
}

test('a gap as wide as the band allows never straddles its target in any future', () => {
  const random = prng(11);
  for (const target of SINGLE_TARGETS) {
    const band = compileBand([target]);
    for (const n of [200, 1000, 5000]) {
      for (let trial = 0; trial < 12; trial++) {
        const a = Math.floor(random() * n);
        const w = Math.min(n - a, Math.floor(allowedWidth(band, a, n)));
        assert.not.ok(someFutureStraddles(target, a, w, n), `q=${target.q} error=${target.error} a=${a} w=${w} n=${n}`);
      }
    }
  }
});

test('the band is nearly tight: a gap 5 % wider can straddle, so it does not waste tuples', () => {
  const random = prng(12);
  for (const target of SINGLE_TARGETS) {
    const band = compileBand([target]);
    const n = 2000;
    for (let trial = 0; trial < 12; trial++) {
      const a = Math.floor(random() * n);
      const w = Math.floor(allowedWidth(band, a, n) * 1.05) + 2;
      if (a + w > n) continue; // wider than what is left: no gap can be that wide
      assert.ok(someFutureStraddles(target, a, w, n), `q=${target.q} error=${target.error} a=${a} w=${w}`);
    }
  }
});

test('for 2·error >= 1 - q the band stays below the paper\'s width, which let one gap swallow the range', () => {
  for (const target of [{ q: 0.9, error: 0.05 }, { q: 0.99, error: 0.005 }]) {
    const band = compileBand([target]);
    const n = 1_000_000;
    const paper = (2 * target.error * n) / (1 - target.q); // Cormode et al., at rank 0
    assert.ok(paper >= n * (1 - 1e-9), 'the paper\'s width reaches n here');
    // A gap from rank 0 must end by (q + error)·n, or the first tuple would answer the target.
    assert.ok(allowedWidth(band, 0, n) <= (target.q + target.error) * n);
    assert.not.ok(someFutureStraddles(target, 0, Math.floor(allowedWidth(band, 0, n / 1000)), n / 1000));
  }
});

test('with several targets the band is the narrowest of theirs', () => {
  const random = prng(13);
  const bands = SINGLE_TARGETS.slice(0, 5).map((t) => compileBand([t]));
  const all = compileBand(SINGLE_TARGETS.slice(0, 5));
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(random() * 1e7);
    const a = Math.floor(random() * n);
    assert.is(allowedWidth(all, a, n), Math.min(...bands.map((band) => allowedWidth(band, a, n))));
  }
});

test('targets the exact minimum or maximum answer constrain nothing, and every width stays under 2^32', () => {
  const free = compileBand([{ q: 0, error: 0.01 }, { q: 0.02, error: 0.05 }, { q: 1, error: 0.001 }, { q: 0.995, error: 0.01 }]);
  for (const [a, n] of [[0, 10], [5, 10], [10, 10], [0, 1e15], [1e15, 1e15]] as const) {
    assert.is(allowedWidth(free, a, n), MAX_WIDTH);
  }
  assert.is(MAX_WIDTH, 2 ** 32 - 1);
  assert.is(allowedWidth(compileBand([{ q: 0.5, error: 0.05 }]), 0, 1e12), MAX_WIDTH);
});

test('the band never narrows as values arrive, so a gap that fits once fits for good', () => {
  const random = prng(14);
  const band = compileBand(SINGLE_TARGETS);
  for (let trial = 0; trial < 2000; trial++) {
    const n = 1 + Math.floor(random() * 1e6);
    const a = Math.floor(random() * n);
    const now = allowedWidth(band, a, n);
    assert.ok(allowedWidth(band, a + 1, n + 1) >= now, 'a value arrives below');
    assert.ok(allowedWidth(band, a, n + 1) >= now, 'a value arrives above');
  }
});

test.run();

// One float comparison for every spec: |actual - expected| within `tolerance` × max(1, |expected|), so the
// tolerance is relative for large values and absolute below 1.
import * as assert from 'uvu/assert';

/** Default tolerance: float rounding only. Pass a larger one (0.2 for 20%) for measured values. */
export const FLOAT_TOLERANCE = 1e-9;

export function near(actual: number, expected: number, what = '', tolerance = FLOAT_TOLERANCE): void {
  const bound = tolerance * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= bound, `${what}${what === '' ? '' : ': '}${actual} is not within ${tolerance} (relative) of ${expected}`);
}

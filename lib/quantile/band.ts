// The CKMS invariant: how wide a summary gap may be, given where it starts, for every target at once.
// writeAllowedWidth is the compressor's inner test: O(targets) flops, branch-free per target, no allocation.
// Always holds: a gap that fits today still fits after any later inserts, so no query can miss a target.
import type { QuantileTarget } from './targets.js';

/**
 * A summary is a sorted list of tuples (v, g, delta): rmin(i) = g_0 + ... + g_i and rmax(i) = rmin(i) + delta_i
 * bound the rank of v_i. Tuple i spans the "gap" [a, a + w] with a = rmin(i - 1), w = g_i + delta_i.
 * A query for rank t = q·n with tolerance E = ε·n can fail only if some gap straddles the whole tolerance band:
 * a < t - E and a + w > t + E. (Otherwise take the first tuple whose rmax exceeds t + E: its predecessor
 * has rmax <= t + E, and its gap starts at rmin(pred) >= t - E.)
 *
 * Gaps are fixed once merged, but later inserts move them: x inserts below and y above turn (a, n) into
 * (a + x, n + x + y). The widest gap that can never straddle, over every such future, is (an LP over x, y >= 0,
 * with lo = q - ε):
 *   a <  lo·n:  2ε(n - a) / (1 - lo)       (the worst future adds values below until a reaches lo·n')
 *   a >= lo·n:  2ε·a / lo                  (the worst future adds values above until lo·n' passes a)
 * Both branches meet at 2ε·n when a = lo·n, and neither shrinks as (a, n) moves by (1, 1) or (0, 1).
 * The paper (Cormode et al., ICDE 2005, Definition 5) divides by 1 - q and q instead: for 2ε >= 1 - q, e.g.
 * {0.9: 0.05} or {0.99: 0.005}, its bound at a = 0 reaches n, one gap may swallow everything below the
 * maximum, and the query collapses to the minimum — the failure seen in older clients.
 * Targets with q - ε <= 0 or q + ε >= 1 constrain nothing: the exact minimum or maximum always answers them.
 * Every width is also capped at MAX_WIDTH, so g and delta fit in 32 bits; past ~2^32 values this adds about
 * one tuple per 2^32 values, nothing else.
 */
export type Band = Float64Array;

/** The widest any gap may be: 2^32 - 1, so a tuple's g and delta fit a Uint32Array. */
export const MAX_WIDTH = 0xffff_ffff;
// A padding target's constant: it allows at least NO_LIMIT * n / 2 >= MAX_WIDTH for any n >= 1, so never binds.
const NO_LIMIT = 2 ** 33;

/** Precomputes [2ε / (1 - lo), 2ε / lo] per constraining target, padded with no-op targets to groups of three. */
export function compileBand(targets: readonly QuantileTarget[]): Band {
  const constants: number[] = [];
  for (const { q, error } of targets) {
    const lo = q - error;
    if (lo <= 0 || q + error >= 1) continue;
    constants.push((2 * error) / (1 - lo), (2 * error) / lo);
  }
  while (constants.length % 6 !== 0) constants.push(NO_LIMIT, NO_LIMIT);
  return Float64Array.from(constants);
}

/** The widest gap (g + delta) allowed to start at rank `a` of `n`: the minimum over targets, capped at MAX_WIDTH. */
export function allowedWidth(band: Band, a: number, n: number): number {
  probe[0] = a;
  probe[1] = n;
  writeAllowedWidth(band, probe);
  return probe[2]!;
}

/**
 * allowedWidth for hot paths: reads a = io[0] and n = io[1], writes the width to io[2]. No double crosses the
 * call, so it allocates nothing even where the compiler does not inline it (a boxed double would).
 * Each target's two branches are max(2ε(n - a) / (1 - lo), 2ε·a / lo): the branch that applies is the larger
 * one, so there is nothing to branch on. Three targets per step, unrolled: ~5 ns for the default targets.
 */
export function writeAllowedWidth(band: Band, io: Float64Array): void {
  const a = io[0]!;
  const b = io[1]! - a;
  let width = 4294967295; // MAX_WIDTH as a literal: reading the exported binding here boxed a number per call
  for (let j = 0; j < band.length; j += 6) {
    let x = band[j]! * b;
    const x2 = band[j + 1]! * a;
    if (x2 > x) x = x2;
    let y = band[j + 2]! * b;
    const y2 = band[j + 3]! * a;
    if (y2 > y) y = y2;
    let z = band[j + 4]! * b;
    const z2 = band[j + 5]! * a;
    if (z2 > z) z = z2;
    if (x < width) width = x;
    if (y < width) width = y;
    if (z < width) width = z;
  }
  io[2] = width;
}

const probe = new Float64Array(3);

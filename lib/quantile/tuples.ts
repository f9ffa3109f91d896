// Summary tuples (value, g, delta) in 16-byte slots, and the one-pass merge-and-compress over them.
// mergeRun: O(size + run) per flush, allocation-free once the shared scratch has grown; query: O(size).
// Always holds: each tuple's [rmin, rmax] holds its value's true rank; the first and last are the exact min and max.
import { MAX_WIDTH, writeAllowedWidth, type Band } from './band.js';

/**
 * Tuple storage: one ArrayBuffer seen twice. Tuple i holds its value at values[2i] and, at ranks[4i + 2] and
 * ranks[4i + 3], g (rmin(i) - rmin(i - 1)) and delta (rmax(i) - rmin(i)). The band caps g + delta at 2^32 - 1,
 * so both fit; counts (sums of g) live in float64 outside the tuples.
 */
export interface Tuples {
  readonly values: Float64Array;
  readonly ranks: Uint32Array;
}

export function allocateTuples(capacity: number): Tuples {
  const buffer = new ArrayBuffer(capacity * 16);
  return { values: new Float64Array(buffer), ranks: new Uint32Array(buffer) };
}

/** Tuples that fit in `tuples`. */
export function capacityOf(tuples: Tuples): number {
  return tuples.values.length >> 1;
}

// One scratch output for every summary in the process: merges are synchronous, so no two overlap, and a
// summary then holds only what it keeps. It grows to the largest (summary + run) ever merged and stays.
// A scratch tuple is 4 float64: value, g, delta, and the band's allowed width at the start of its gap,
// which is fixed for the whole pass (n is), so the band is evaluated about once per surviving tuple.
// Doubles stay in typed arrays and never cross a call: a boxed double per call would allocate on the hot path.
const SCRATCH = 4;
const scratch = {
  out: new Float64Array(SCRATCH * 1024),
  count: 0, // settled tuples; out[count] may hold the candidate being settled
  band: new Float64Array(0) as Band,
  // [0] a gap's start, [1] n after this merge, [2] its allowed width (writeAllowedWidth's in and out);
  // [3] rmin of the last settled tuple.
  state: new Float64Array(4),
};

/**
 * Merges the sorted values run[from, to) into `size` tuples over `n` values, starting at tuple `first` of `src`,
 * and compresses into the scratch; returns the tuple count (store it with copyMerged).
 * A value between tuples p and s inherits the gap: g = 1, delta = g_s + delta_s - 1 (Greenwald-Khanna insert);
 * below the minimum or above the maximum it is exact. Ties go after existing tuples of the same value.
 * O(size + run): a value costs one comparison to find its gap; the band is consulted per tuple, not per value.
 */
export function mergeRun(
  src: Tuples, first: number, size: number, n: number, run: Float64Array, from: number, to: number, band: Band,
): number {
  begin(size + (to - from), band, n + (to - from));
  const dst = scratch.out;
  const { values, ranks } = src;
  let k = from;
  for (let i = 0, at = first; i < size; i++, at++) {
    const bound = values[2 * at]!;
    let end = k;
    while (end < to && run[end]! < bound) end++;
    if (end > k) fillGap(run, k, end, ranks[4 * at + 2]! + ranks[4 * at + 3]! - 1);
    k = end;
    const out = scratch.count * SCRATCH;
    dst[out] = bound;
    dst[out + 1] = ranks[4 * at + 2]!;
    dst[out + 2] = ranks[4 * at + 3]!;
    settle();
  }
  if (k < to) fillGap(run, k, to, 0); // above the maximum: exact
  return scratch.count;
}

/**
 * Merges two summaries (a's tuples from `aFirst`, b's from `bFirst`) into the scratch and compresses; returns
 * the tuple count. A tuple keeps its own g and widens by the other summary's gap around its value
 * (delta += g_s + delta_s - 1, or the other's count minus rmin(p) past its end): the union rank of v lies in
 * [rmin_a(v) + rmin_b(p), rmax_a(v) + rmax_b(s) - 1], where p and s are b's tuples on either side of v.
 * Ties put a first. Throws RangeError, before anything is stored, if a widened delta passes 2^32 - 1.
 */
export function mergeSummaries(
  a: Tuples, aFirst: number, aSize: number, aN: number,
  b: Tuples, bFirst: number, bSize: number, bN: number, band: Band,
): number {
  begin(aSize + bSize, band, aN + bN);
  let i = aFirst;
  let j = bFirst;
  const aEnd = aFirst + aSize;
  const bEnd = bFirst + bSize;
  let rankA = 0; // rmin of the last tuple taken from a
  let rankB = 0;
  while (i < aEnd || j < bEnd) {
    if (j >= bEnd || (i < aEnd && a.values[2 * i]! <= b.values[2 * j]!)) {
      const g = a.ranks[4 * i + 2]!;
      const widen = j < bEnd ? b.ranks[4 * j + 2]! + b.ranks[4 * j + 3]! - 1 : bN - rankB;
      append(a.values[2 * i]!, g, checkedDelta(a.ranks[4 * i + 3]! + widen));
      rankA += g;
      i++;
    } else {
      const g = b.ranks[4 * j + 2]!;
      const widen = i < aEnd ? a.ranks[4 * i + 2]! + a.ranks[4 * i + 3]! - 1 : aN - rankA;
      append(b.values[2 * j]!, g, checkedDelta(b.ranks[4 * j + 3]! + widen));
      rankB += g;
      j++;
    }
  }
  return scratch.count;
}

/** Stores the last merge's `count` tuples from tuple `first` of `dest`; the caller has made room. O(count). */
export function copyMerged(dest: Tuples, first: number, count: number): void {
  const { values, ranks } = dest;
  const out = scratch.out;
  for (let i = 0, from = 0, to = first; i < count; i++, from += SCRATCH, to++) {
    values[2 * to] = out[from]!;
    ranks[4 * to + 2] = out[from + 1]!;
    ranks[4 * to + 3] = out[from + 2]!;
  }
}

/**
 * The value whose rank interval strays least from q·n: minimises max(q·n - rmin, rmax - q·n), ties to the later
 * tuple. When every gap honours the band (see band.ts) this is within ε·n of q·n for each target. O(size).
 */
export function queryTuples(src: Tuples, first: number, size: number, n: number, q: number): number {
  const { values, ranks } = src;
  const t = q * n;
  let rank = 0;
  let best = Infinity;
  let value = NaN;
  for (let at = first, end = first + size; at < end; at++) {
    rank += ranks[4 * at + 2]!;
    const below = t - rank;
    const above = rank + ranks[4 * at + 3]! - t;
    const worst = below > above ? below : above;
    if (worst <= best) {
      best = worst;
      value = values[2 * at]!;
    } else if (-below > best) {
      break; // rmin only grows from here, so no later tuple can do better
    }
  }
  return value;
}

function begin(capacity: number, band: Band, n: number): void {
  if (scratch.out.length < capacity * SCRATCH) {
    scratch.out = new Float64Array(Math.max(capacity, (scratch.out.length / SCRATCH) * 2) * SCRATCH);
  }
  scratch.count = 0;
  scratch.band = band;
  scratch.state[1] = n;
  scratch.state[3] = 0;
}

function checkedDelta(delta: number): number {
  if (delta > MAX_WIDTH) {
    throw new RangeError(`cannot merge: a combined rank interval would span ${delta} values, over the 2^32 - 1 a tuple holds; merge smaller streams`);
  }
  return delta;
}

// For cold paths: writes the candidate and settles it.
function append(value: number, g: number, delta: number): void {
  const to = scratch.count * SCRATCH;
  scratch.out[to] = value;
  scratch.out[to + 1] = g;
  scratch.out[to + 2] = delta;
  settle();
}

// Files run[from, to), which all fall in one gap, as tuples of the given delta. The first value settles as a new
// tuple T; while T's widened gap still fits (g + 1 + delta <= allowed), further values only widen T by one and
// become its value, so the values that fit are taken at once. One that does not fit settles anew: the test
// that refused it is the one settle() would repeat against T, so it does not fold back. The minimum (tuple 0)
// stays exact, so a T there takes nothing more.
function fillGap(run: Float64Array, from: number, to: number, delta: number): void {
  const out = scratch.out;
  let k = from;
  while (k < to) {
    const at = scratch.count * SCRATCH;
    out[at] = run[k++]!;
    out[at + 1] = 1;
    out[at + 2] = delta;
    settle();
    if (scratch.count < 2) continue;
    const last = (scratch.count - 1) * SCRATCH;
    // Values t = 1, 2, ... fit while g + t + delta <= allowed; all three are integers but allowed, so floor it.
    const room = Math.floor(out[last + 3]!) - delta - out[last + 1]!;
    const take = room < to - k ? room : to - k;
    if (take > 0) {
      k += take;
      out[last] = run[k - 1]!;
      out[last + 1] = out[last + 1]! + take;
      scratch.state[3] = scratch.state[3]! + take;
    }
  }
}

// Settles the candidate tuple T at out[count], first folding earlier tuples into it while the widened gap
// still fits the band. Folding L into T keeps T's value and delta and adds L's g, so the gap starts where L's
// did (and so does the allowed width). The first tuple is never folded, which keeps the minimum exact; T is
// never dropped, which keeps the maximum. O(1) amortised: each tuple is folded at most once.
function settle(): void {
  const out = scratch.out;
  const state = scratch.state;
  let m = scratch.count;
  const at = m * SCRATCH;
  const delta = out[at + 2]!;
  let g = out[at + 1]!;
  let rank = state[3]!; // where T's gap starts
  let allowed = -1;
  while (m > 1) {
    const last = (m - 1) * SCRATCH;
    const gLast = out[last + 1]!;
    if (gLast + g + delta > out[last + 3]!) break;
    g += gLast;
    rank -= gLast;
    allowed = out[last + 3]!;
    m--;
  }
  const to = m * SCRATCH;
  if (to !== at) {
    out[to] = out[at]!;
    out[to + 2] = delta;
  }
  out[to + 1] = g;
  if (allowed < 0) {
    state[0] = rank;
    writeAllowedWidth(scratch.band, state);
    allowed = state[2]!;
  }
  out[to + 3] = allowed;
  scratch.count = m + 1;
  state[3] = rank + g;
}

// The in-place fast path of a flush: a sorted run whose values fit into existing tuples' gaps widens them.
// absorbRun: O(size + run) comparisons, a band evaluation per gap that takes values, no copy, no allocation (~2 ns
// a value for a 40-tuple summary). Always holds: every rank interval stays true, the minimum and maximum stay
// exact, and every gap fits the band at the count after the whole run.
import { writeAllowedWidth, type Band } from './band.js';
import type { Tuples } from './tuples.js';

// [0] a gap's start, [1] the count after the whole run, [2] the allowed width (writeAllowedWidth's in and out).
// Checking at the final count is enough even when mergeRun takes the rest: queries only see that count.
const io = new Float64Array(3);

/**
 * Folds the leading values of a sorted run into `size` tuples over `n` values (from tuple `first` of `src`),
 * in place, for as long as that needs no new tuple; returns how many it took. The rest, run[taken, runLength),
 * goes through mergeRun over n + taken values.
 * Values in the gap below tuple s, i.e. in [v_prev, v_s), count in s's g: the rank bookkeeping stays exact and the
 * gap widens by their number, so they are taken when g_s + c + delta_s is within the band where the gap now
 * starts. A value below the minimum or at or above the maximum needs a tuple of its own, so it stops the run.
 * Gaps that take nothing keep their width, and the band never narrows as values arrive (band.ts), so they
 * still fit. What this skips is compression: neighbours that would now fold together stay apart until the
 * next mergeRun, so the tuple count never grows here, only there.
 */
export function absorbRun(
  src: Tuples, first: number, size: number, n: number, run: Float64Array, runLength: number, band: Band,
): number {
  if (size < 2 || !(run[0]! >= src.values[2 * first]!)) return 0;
  const { values, ranks } = src;
  io[1] = n + runLength;
  let k = 0;
  let rank = 0; // rmin of the tuple before `at`, counting the values it took
  // Tuple `first` is the minimum and takes nothing: values equal to it go after it, into tuple first + 1's gap.
  // Values left after the last tuple (the maximum) are at or above it, and stop the run.
  for (let at = first + 1, end = first + size; at < end && k < runLength; at++) {
    rank += ranks[4 * (at - 1) + 2]!;
    const bound = values[2 * at]!;
    const from = k;
    // Long gaps are crossed eight values at a time: the run is sorted, so one comparison covers all eight.
    while (k + 8 <= runLength && run[k + 7]! < bound) k += 8;
    if (k + 7 <= runLength) {
      k += +(run[k]! < bound) + +(run[k + 1]! < bound) + +(run[k + 2]! < bound) + +(run[k + 3]! < bound)
        + +(run[k + 4]! < bound) + +(run[k + 5]! < bound) + +(run[k + 6]! < bound);
    } else {
      while (k < runLength && run[k]! < bound) k++;
    }
    if (k === from) continue;
    const g = ranks[4 * at + 2]! + (k - from);
    io[0] = rank;
    writeAllowedWidth(band, io);
    if (g + ranks[4 * at + 3]! > io[2]!) return from;
    ranks[4 * at + 2] = g;
  }
  return k;
}

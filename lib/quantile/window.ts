// Quantiles over a sliding time window: ageBuckets CKMS summaries, rotated on the injected monotonic clock.
// insert: O(1), allocation-free; one shared buffer is sorted once per flush and merged into every bucket
// (~30-45 ns an insert amortised for 5 buckets: ~15-20 sorting, ~10-15 merging, plus one clock read: pass a
// CoarseClock, as the summary metric does, since performance.now() alone costs ~35 ns).
// Always holds: a value is never counted once it is maxAge old, nor in a bucket created after it was observed.
import type { Clock } from '../clock.js';
import { absorbRun } from './absorb.js';
import { compileBand, type Band } from './band.js';
import { checkQuantile, validateBufferSize } from './ckms.js';
import { sortRun } from './sort.js';
import { DEFAULT_TARGETS, validateTargets, type QuantileTarget } from './targets.js';
import type { SummaryTuples } from './combine.js';
import { allocateTuples, copyMerged, mergeRun, queryTuples, type Tuples } from './tuples.js';

/** Default window length, as in the Prometheus clients: ten minutes. */
export const DEFAULT_MAX_AGE_SECONDS = 600;
/** Default number of rotating summaries the window is split into. */
export const DEFAULT_AGE_BUCKETS = 5;
const MAX_AGE_BUCKETS = 1000;

export interface WindowedQuantilesOptions {
  /** Quantiles to keep; default DEFAULT_TARGETS. */
  targets?: readonly QuantileTarget[];
  /** Window length in seconds, > 0; default 600. */
  maxAgeSeconds?: number;
  /** Summaries the window rotates through, an integer in [1, 1000]; default 5. */
  ageBuckets?: number;
  /** Monotonic milliseconds from clock.now() drive rotation. */
  clock: Clock;
  /** Values buffered between merges (8 bytes each), an integer in [2, 2^20]; default 256. */
  bufferSize?: number;
}

/**
 * Rotation: with span = maxAge / ageBuckets and origin = the clock at construction or reset(), a bucket is
 * emptied at every boundary origin + k·span and then takes every new value; queries read the oldest bucket.
 * So a value observed at age <= maxAge - span is always counted and one of age >= maxAge never is.
 * A clock reading that stands still, steps back or is not finite moves nothing; time resumes when the clock
 * passes its highest reading. An idle gap of any length empties exactly the buckets whose boundaries it crossed.
 *
 * The clock is read at every insert, so buffered values are always filed before the next boundary empties a
 * bucket, and a value observed after an idle gap is never mistaken for one from before it. (Reading it only
 * every few inserts would lose up to that many fresh values after a gap.)
 */
export class WindowedQuantiles {
  readonly #clock: Clock;
  readonly #band: Band;
  readonly #bucketCount: number;
  readonly #span: number; // ms
  readonly #buffer: Float64Array;
  #buffered = 0;
  #tuples: Tuples = allocateTuples(0); // bucket b's tuples start at tuple b * #capacity
  #capacity = 0;
  readonly #meta: Float64Array; // per bucket b: [2b] tuples held, [2b + 1] values merged
  #origin: number;
  #epoch = 0; // boundaries passed since origin; bucket epoch % count is the newest, (epoch + 1) % count the oldest
  #lastRead: number;

  constructor(options: WindowedQuantilesOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`invalid WindowedQuantiles options ${String(options)}: pass an object with at least { clock }`);
    }
    const { clock, maxAgeSeconds = DEFAULT_MAX_AGE_SECONDS, ageBuckets = DEFAULT_AGE_BUCKETS } = options;
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
      throw new TypeError('invalid clock: options.clock must have now() returning monotonic milliseconds, e.g. systemClock');
    }
    if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds > 0) || maxAgeSeconds === Infinity) {
      throw new RangeError(`invalid maxAgeSeconds ${String(maxAgeSeconds)}: must be a finite number > 0, e.g. 600`);
    }
    if (!Number.isInteger(ageBuckets) || ageBuckets < 1 || ageBuckets > MAX_AGE_BUCKETS) {
      throw new RangeError(`invalid ageBuckets ${String(ageBuckets)}: must be an integer in [1, ${MAX_AGE_BUCKETS}], e.g. 5`);
    }
    this.#clock = clock;
    this.#band = compileBand(validateTargets(options.targets ?? DEFAULT_TARGETS));
    this.#buffer = new Float64Array(validateBufferSize(options.bufferSize));
    this.#bucketCount = ageBuckets;
    this.#span = (maxAgeSeconds * 1000) / ageBuckets;
    this.#meta = new Float64Array(2 * ageBuckets);
    this.#origin = this.#lastRead = this.#firstReading();
  }

  /** Adds one value to every bucket. NaN is ignored; ±Infinity is kept. O(1) amortised, allocation-free. */
  insert(value: number): void {
    if (value !== value) return;
    this.#advance(this.#clock.now());
    this.#buffer[this.#buffered++] = value;
    if (this.#buffered === this.#buffer.length) this.#flush();
  }

  /** The q-quantile (q in [0, 1]) of the values in the window, within each target's error; NaN when it holds none. */
  query(q: number): number {
    checkQuantile(q);
    const now = this.#clock.now();
    this.#flush();
    this.#advance(now);
    const head = (this.#epoch + 1) % this.#bucketCount;
    const size = this.#meta[2 * head]!;
    if (size === 0) return NaN;
    return queryTuples(this.#tuples, head * this.#capacity, size, this.#meta[2 * head + 1]!, q);
  }

  /**
   * A copy of the summary that query() reads now (the oldest bucket), to be combined with other
   * processes' summaries (see combine.ts). O(tuples); allocates the copy, so it is for scrape time.
   */
  exportSummary(): SummaryTuples {
    const now = this.#clock.now();
    this.#flush();
    this.#advance(now);
    const head = (this.#epoch + 1) % this.#bucketCount;
    const size = this.#meta[2 * head]!;
    const first = head * this.#capacity;
    const values = new Float64Array(size);
    const g = new Float64Array(size);
    const delta = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      values[i] = this.#tuples.values[2 * (first + i)]!;
      g[i] = this.#tuples.ranks[4 * (first + i) + 2]!;
      delta[i] = this.#tuples.ranks[4 * (first + i) + 3]!;
    }
    return { values, g, delta, n: size === 0 ? 0 : this.#meta[2 * head + 1]! };
  }

  /** Empties the window and restarts its rotation at the current clock reading; keeps allocated arrays. */
  reset(): void {
    this.#buffered = 0;
    this.#meta.fill(0);
    this.#epoch = 0;
    this.#origin = this.#lastRead = this.#firstReading(this.#lastRead);
  }

  #firstReading(fallback?: number): number {
    const now = this.#clock.now();
    if (Number.isFinite(now)) return now;
    if (fallback !== undefined) return fallback;
    throw new RangeError(`invalid clock reading ${String(now)}: clock.now() must return finite monotonic milliseconds`);
  }

  // Moves time forward to `now`; buffered values are filed before any boundary they may precede.
  #advance(now: number): void {
    if (!(now > this.#lastRead) || now === Infinity) return;
    this.#lastRead = now;
    const epoch = Math.floor((now - this.#origin) / this.#span);
    if (epoch <= this.#epoch) return;
    this.#flush();
    const count = this.#bucketCount;
    const emptied = Math.min(epoch - this.#epoch, count);
    for (let k = 1; k <= emptied; k++) {
      const bucket = (this.#epoch + k) % count;
      this.#meta[2 * bucket] = 0;
      this.#meta[2 * bucket + 1] = 0;
    }
    this.#epoch = epoch;
  }

  // Sorts the buffer once and merges it into every bucket. O(buffer log buffer + buckets · (tuples + buffer)); a
  // bucket whose gaps take the run as it is costs one comparison per value, one band evaluation per gap that
  // widens, and no copy (measured on latencies: ~90 % of flushes past 10^4 values a bucket, ~99.9 % past 10^5).
  #flush(): void {
    const length = this.#buffered;
    if (length === 0) return;
    const run = this.#buffer;
    sortRun(run, length);
    const meta = this.#meta;
    for (let bucket = 0; bucket < this.#bucketCount; bucket++) {
      const count = meta[2 * bucket + 1]!;
      meta[2 * bucket + 1] = count + length;
      // Most runs fit the gaps they land in; the rest, and the compression they make room for, go to mergeRun.
      const first = bucket * this.#capacity;
      const taken = absorbRun(this.#tuples, first, meta[2 * bucket]!, count, run, length, this.#band);
      if (taken === length) continue;
      const size = mergeRun(this.#tuples, first, meta[2 * bucket]!, count + taken, run, taken, length, this.#band);
      if (size > this.#capacity) this.#grow(size);
      copyMerged(this.#tuples, bucket * this.#capacity, size); // #grow may have moved the bucket
      meta[2 * bucket] = size;
    }
    this.#buffered = 0;
  }

  // Rare: re-lays every bucket out at a larger per-bucket capacity, with 1/8 slack as sizes wander.
  #grow(needed: number): void {
    const capacity = needed + (needed >> 3) + 2;
    const tuples = allocateTuples(this.#bucketCount * capacity);
    for (let bucket = 0; bucket < this.#bucketCount; bucket++) {
      // Whole 16-byte tuples, as four 32-bit words each: copies bits, never reinterprets them as numbers.
      const from = 4 * bucket * this.#capacity;
      tuples.ranks.set(this.#tuples.ranks.subarray(from, from + 4 * this.#meta[2 * bucket]!), 4 * bucket * capacity);
    }
    this.#tuples = tuples;
    this.#capacity = capacity;
  }
}

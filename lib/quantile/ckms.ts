// CKMS targeted-quantile stream (Cormode, Korn, Muthukrishnan, Srivastava, ICDE 2005) with a sound band.
// insert: O(1) into a typed-array buffer, no allocation; a full buffer is sorted, then widens the gaps it lands in,
// or merges in one pass where a gap is full (~28 ns an insert amortised, most of it the sort).
// Always holds: each target's answer ranks within max(error·n, 1) of q·n; exact while count <= bufferSize.
import { absorbRun } from './absorb.js';
import { compileBand, type Band } from './band.js';
import { sortRun } from './sort.js';
import { DEFAULT_TARGETS, validateTargets, type QuantileTarget } from './targets.js';
import { allocateTuples, capacityOf, copyMerged, mergeRun, mergeSummaries, queryTuples, type Tuples } from './tuples.js';

/** Values buffered before a sort-and-merge; 8 bytes each. */
export const DEFAULT_BUFFER_SIZE = 256;
const MAX_BUFFER_SIZE = 1 << 20;
const INITIAL_TUPLES = 32;

export interface CkmsOptions {
  /** Values held unsorted between merges, an integer in [2, 2^20]; default 256. Answers are exact up to this count. */
  bufferSize?: number;
}

/**
 * A streaming quantile summary over every value inserted since construction or reset().
 * Memory stays bounded as the count grows (tuples grow roughly with log n, not n). Not safe to share across
 * worker threads; within one thread every call is synchronous.
 */
export class CkmsStream {
  readonly #band: Band;
  readonly #buffer: Float64Array;
  #buffered = 0;
  #tuples: Tuples = allocateTuples(INITIAL_TUPLES);
  #size = 0;
  #merged = 0; // values folded into the tuples

  constructor(targets: readonly QuantileTarget[] = DEFAULT_TARGETS, options: CkmsOptions = {}) {
    this.#band = compileBand(validateTargets(targets));
    this.#buffer = new Float64Array(validateBufferSize(options.bufferSize));
  }

  /** Adds one value. NaN is ignored (it has no rank); ±Infinity is kept. O(1) amortised, allocation-free. */
  insert(value: number): void {
    if (value !== value) return;
    if (this.#buffered === this.#buffer.length) this.#flush();
    this.#buffer[this.#buffered++] = value;
  }

  /**
   * The q-quantile, q in [0, 1]; NaN when empty. While count <= bufferSize the answer is exact: the value at
   * rank max(1, ceil(q·count)) of the sorted values. After that, for each target (q, error), some rank holding
   * the answer is within max(error·count, 1) of q·count; other q get the closest tuple, with no such promise.
   * O(tuples), after merging the buffer.
   */
  query(q: number): number {
    checkQuantile(q);
    const count = this.count;
    if (count === 0) return NaN;
    if (this.#size === 0) {
      sortRun(this.#buffer, this.#buffered);
      return this.#buffer[Math.min(count, Math.max(1, Math.ceil(q * count))) - 1]!;
    }
    this.#flush();
    return queryTuples(this.#tuples, 0, this.#size, this.#merged, q);
  }

  /** Values inserted (NaN excluded) since construction or reset(). */
  get count(): number {
    return this.#merged + this.#buffered;
  }

  /** Tuples held in the compressed summary (0 while every value still sits in the buffer). */
  get size(): number {
    return this.#size;
  }

  /** Forgets every value; keeps the allocated arrays, so a reused stream does not allocate again. */
  reset(): void {
    this.#buffered = 0;
    this.#size = 0;
    this.#merged = 0;
  }

  /**
   * Adds everything `other` holds; `other` is left unchanged (merging a stream into itself doubles it).
   * Bound kept: the bookkeeping is exact, so every merged rank interval still holds its value's rank in the
   * union; where the inputs' gaps around a value were w_this and w_other wide, the merged gap is
   * w_this + w_other - 1. An answer is off by at most the merged gap around q·N, i.e. the sum of both inputs'
   * allowed gaps where q·N falls in each. For shards of one workload, whose q-quantiles coincide, that is
   * 2ε·N·q/(q - ε), about 2ε·N (measured: under ε·N); inputs with unlike distributions can be off by more,
   * as each is only precise near its own targets. Later inserts compress against this stream's targets.
   */
  merge(other: CkmsStream): void {
    if (!(other instanceof CkmsStream)) {
      throw new TypeError(`invalid merge source ${String(other)}: pass another CkmsStream`);
    }
    this.#flush();
    if (other.#size > 0) {
      const size = mergeSummaries(
        this.#tuples, 0, this.#size, this.#merged,
        other.#tuples, 0, other.#size, other.#merged, this.#band,
      );
      this.#store(size, this.#merged + other.#merged);
    }
    const length = other.#buffered;
    if (length > 0) {
      // Sort a copy: other's buffer is other's state. merge() is rare, so this allocation is not on a hot path.
      const run = other.#buffer.slice(0, length);
      sortRun(run, length);
      this.#store(mergeRun(this.#tuples, 0, this.#size, this.#merged, run, 0, length, this.#band), this.#merged + length);
    }
  }

  #flush(): void {
    const length = this.#buffered;
    if (length === 0) return;
    const run = this.#buffer;
    sortRun(run, length);
    // Most runs fit the gaps they land in; the rest, and the compression they make room for, go to mergeRun.
    const taken = absorbRun(this.#tuples, 0, this.#size, this.#merged, run, length, this.#band);
    if (taken === length) this.#merged += length;
    else this.#store(mergeRun(this.#tuples, 0, this.#size, this.#merged + taken, run, taken, length, this.#band), this.#merged + length);
    this.#buffered = 0;
  }

  #store(size: number, merged: number): void {
    if (size > capacityOf(this.#tuples)) this.#tuples = allocateTuples(size + (size >> 2));
    copyMerged(this.#tuples, 0, size);
    this.#size = size;
    this.#merged = merged;
  }
}

/** Throws unless bufferSize is undefined or an integer in [2, 2^20]; returns it or the default. */
export function validateBufferSize(bufferSize: number | undefined): number {
  if (bufferSize === undefined) return DEFAULT_BUFFER_SIZE;
  if (!Number.isInteger(bufferSize) || bufferSize < 2 || bufferSize > MAX_BUFFER_SIZE) {
    throw new RangeError(`invalid bufferSize ${String(bufferSize)}: must be an integer in [2, ${MAX_BUFFER_SIZE}], e.g. 256`);
  }
  return bufferSize;
}

/** Throws unless q is a number in [0, 1]. */
export function checkQuantile(q: number): void {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new RangeError(`invalid quantile q=${String(q)}: q must be a number in [0, 1], e.g. 0.99`);
  }
}

// The sparse exponential buckets of one native-histogram series: positive and negative counts in dense windows of
// bucket indexes, plus the zero bucket. add(): one nativeKey() and one array add, no allocation (a window grows,
// by allocation, only when an index falls outside it). Holds: at most `maxBuckets` populated buckets, kept by
// dropping the schema one step at a time (neighbouring pairs merge), as client_golang does; a window never spans
// more than MAX_WINDOW indexes, the same way, so a series holds at most 2 × 32 KiB of counts.
import type { NativeBucketsModel } from '../exposition/model.js';
import { MetricError, quote } from './errors.js';
import type { Layout } from './native-math.js';
import { MAX_SCHEMA, MIN_SCHEMA, halvedKey, layoutOf, nativeKeyIn } from './native-math.js';

/** `native: true` or these; every field optional. */
export interface NativeHistogramOptions {
  /** -4..8: each power of two splits into 2^schema buckets. Default 3 (buckets ~9 % wide). */
  schema?: number;
  /** Observations with |v| ≤ this land in the zero bucket. Default 2^-128, a bound in every schema. */
  zeroThreshold?: number;
  /** More populated buckets than this halve the series' resolution. Default 160. */
  maxBuckets?: number;
}

export const DEFAULT_NATIVE_SCHEMA = 3;
export const DEFAULT_NATIVE_ZERO_THRESHOLD = 2 ** -128;
export const DEFAULT_NATIVE_MAX_BUCKETS = 160;
/** Bucket indexes one window may span: 4096 × 8 bytes. Schema -4 spans every float64 in 135. */
const MAX_WINDOW = 4096;

export interface NativeConfig {
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly maxBuckets: number;
}

/** Validates the `native` option of a histogram or gauge histogram; undefined when it is off. */
export function nativeConfig(family: string, option: unknown): NativeConfig | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return { schema: DEFAULT_NATIVE_SCHEMA, zeroThreshold: DEFAULT_NATIVE_ZERO_THRESHOLD, maxBuckets: DEFAULT_NATIVE_MAX_BUCKETS };
  if (typeof option !== 'object' || option === null) {
    throw new MetricError('invalid-option', `${family}: native must be true or { schema, zeroThreshold, maxBuckets }, got ${quote(option)}`, family);
  }
  const { schema = DEFAULT_NATIVE_SCHEMA, zeroThreshold = DEFAULT_NATIVE_ZERO_THRESHOLD, maxBuckets = DEFAULT_NATIVE_MAX_BUCKETS } = option as NativeHistogramOptions;
  if (!Number.isInteger(schema) || schema < MIN_SCHEMA || schema > MAX_SCHEMA) {
    throw new MetricError('invalid-option', `${family}: native schema ${quote(schema)} must be an integer from ${MIN_SCHEMA} to ${MAX_SCHEMA} (Prometheus' standard exponential schemas)`, family);
  }
  if (typeof zeroThreshold !== 'number' || !(zeroThreshold >= 0) || zeroThreshold === Infinity) {
    throw new MetricError('invalid-option', `${family}: native zeroThreshold ${quote(zeroThreshold)} must be a finite number ≥ 0`, family);
  }
  if (!Number.isInteger(maxBuckets) || maxBuckets < 1) {
    throw new MetricError('invalid-option', `${family}: native maxBuckets ${quote(maxBuckets)} must be a positive integer`, family);
  }
  return { schema, zeroThreshold, maxBuckets };
}

/** Counts per bucket index in [base, base + counts.length). */
class Window {
  counts = new Float64Array(0);
  base = 0;

  at(key: number): number {
    const i = key - this.base;
    return i >= 0 && i < this.counts.length ? this.counts[i]! : 0;
  }
}

export class NativeBuckets {
  schema: number;
  zeroCount = 0;
  /** Buckets holding a count other than zero, both sides. */
  populated = 0;
  readonly positive = new Window();
  readonly negative = new Window();
  readonly #threshold: number;
  #layout: Layout;

  constructor(readonly config: NativeConfig) {
    this.schema = config.schema;
    this.#threshold = config.zeroThreshold;
    this.#layout = layoutOf(config.schema);
  }

  /** Adds `count` observations of `value` (not NaN; ±Inf go to the outermost buckets). */
  add(value: number, count: number): void {
    const threshold = this.#threshold;
    let side: Window;
    let key: number;
    if (value > threshold) {
      side = this.positive;
      key = nativeKeyIn(value, this.schema, this.#layout);
    } else if (value < -threshold) {
      side = this.negative;
      key = nativeKeyIn(-value, this.schema, this.#layout);
    } else {
      this.zeroCount += count;
      return;
    }
    // The common case inline: the bucket is inside the window and already populated.
    const i = key - side.base;
    const counts = side.counts;
    if (i >= 0 && i < counts.length) {
      const before = counts[i]!;
      if (before !== 0 && before + count !== 0) {
        counts[i] = before + count;
        return;
      }
    }
    this.#addTo(side, key, count);
  }

  /** The count now held where `value` would go: a gauge histogram refuses to take it below zero. */
  countAt(value: number): number {
    const threshold = this.config.zeroThreshold;
    if (value > threshold) return this.positive.at(nativeKeyIn(value, this.schema, this.#layout));
    if (value < -threshold) return this.negative.at(nativeKeyIn(-value, this.schema, this.#layout));
    return this.zeroCount;
  }

  reset(): void {
    this.schema = this.config.schema;
    this.#layout = layoutOf(this.schema);
    this.zeroCount = 0;
    this.populated = 0;
    for (const side of [this.positive, this.negative]) {
      side.counts = new Float64Array(0);
      side.base = 0;
    }
  }

  /** The shared model's shape: spans over populated buckets (gaps of ≤ 2 filled with zeros), absolute counts. */
  snapshot(): NativeBucketsModel {
    const positive = spansOf(this.positive);
    const negative = spansOf(this.negative);
    return {
      schema: this.schema,
      zeroThreshold: this.config.zeroThreshold,
      zeroCount: this.zeroCount,
      positiveSpans: positive.spans,
      positiveCounts: positive.counts,
      negativeSpans: negative.spans,
      negativeCounts: negative.counts,
    };
  }

  #addTo(side: Window, key: number, count: number): void {
    let i = key - side.base;
    if (i < 0 || i >= side.counts.length) {
      if (!this.#fit(side, key)) return this.#addTo(side, halvedKey(key), count); // #fit dropped the schema instead
      i = key - side.base;
    }
    const before = side.counts[i]!;
    const after = before + count;
    side.counts[i] = after;
    if (before === 0) {
      if (after !== 0 && ++this.populated > this.config.maxBuckets) this.#halveUntilWithin();
    } else if (after === 0) this.populated--;
  }

  /** Grows `side` to hold `key`; false (nothing changed) when that would pass MAX_WINDOW at this schema. */
  #fit(side: Window, key: number): boolean {
    const used = usedRange(side);
    const low = used === undefined ? key : Math.min(used[0], key);
    const high = used === undefined ? key : Math.max(used[1], key);
    const needed = high - low + 1;
    if (needed > MAX_WINDOW) {
      if (this.schema === MIN_SCHEMA) throw new Error(`native histogram window of ${needed} buckets at schema ${MIN_SCHEMA}`); // unreachable: 135 suffice
      this.#halve();
      return false;
    }
    const length = Math.min(MAX_WINDOW, Math.max(16, needed * 2));
    const base = low - ((length - needed) >> 1);
    const counts = new Float64Array(length);
    if (used !== undefined) counts.set(side.counts.subarray(used[0] - side.base, used[1] - side.base + 1), used[0] - base);
    side.counts = counts;
    side.base = base;
    return true;
  }

  #halveUntilWithin(): void {
    while (this.populated > this.config.maxBuckets && this.schema > MIN_SCHEMA) this.#halve();
  }

  /** schema - 1: bucket k's count moves to bucket ceil(k/2), which covers it and its neighbour. */
  #halve(): void {
    this.schema--;
    this.#layout = layoutOf(this.schema);
    this.populated = 0;
    for (const side of [this.positive, this.negative]) {
      const old = side.counts;
      const base = halvedKey(side.base);
      const counts = new Float64Array(Math.max(16, (old.length >> 1) + 2));
      for (let i = 0; i < old.length; i++) if (old[i] !== 0) counts[halvedKey(side.base + i) - base]! += old[i]!;
      for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) this.populated++;
      side.counts = counts;
      side.base = base;
    }
  }
}

function usedRange(side: Window): [number, number] | undefined {
  const counts = side.counts;
  let first = 0;
  while (first < counts.length && counts[first] === 0) first++;
  if (first === counts.length) return undefined;
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  return [side.base + first, side.base + last];
}

function spansOf(side: Window): { spans: Array<readonly [number, number]>; counts: number[] } {
  const spans: Array<[number, number]> = [];
  const counts: number[] = [];
  const window = side.counts;
  let next = 0; // the index after the last bucket written
  for (let i = 0; i < window.length; i++) {
    if (window[i] === 0) continue;
    const key = side.base + i;
    const last = spans[spans.length - 1];
    const gap = key - next;
    if (last === undefined || gap > 2) spans.push([last === undefined ? key : gap, 1]);
    else {
      for (let g = 0; g < gap; g++) counts.push(0);
      last[1] += gap + 1;
    }
    counts.push(window[i]!);
    next = key + 1;
  }
  return { spans, counts };
}

// Bucket thresholds shared by histogram and gauge histogram: validated once, with their `le="…"`
// fragments rendered once in the canonical form, so writing a bucket line formats only its count.
import { formatCanonical } from '../exposition/numbers.js';
import { MetricError, quote } from './errors.js';

/** The Prometheus client defaults: latencies from 5 ms to 10 s. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Buckets {
  /** Finite upper bounds, strictly increasing; the +Inf bucket is implicit and last. */
  bounds: Float64Array;
  /** `le="0.005"` … `le="+Inf"`: one per bound plus the +Inf bucket. */
  fragments: Buffer[];
  /** A negative bound changes the rules: `_sum` and `_count` are not written in OpenMetrics. */
  hasNegative: boolean;
}

export function buildBuckets(family: string, given: readonly number[] = DEFAULT_BUCKETS): Buckets {
  if (!Array.isArray(given)) {
    throw new MetricError('invalid-option', `${family}: buckets must be an array of numbers, got ${quote(given)}`, family);
  }
  const bounds = given[given.length - 1] === Infinity ? given.slice(0, -1) : given;
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new MetricError('invalid-option', `${family}: bucket bound ${quote(bound)} must be a finite number (+Inf is added for you)`, family);
    }
    if (i > 0 && bound <= bounds[i - 1]!) {
      throw new MetricError('invalid-option', `${family}: bucket bounds must increase strictly, but ${quote(bound)} follows ${quote(bounds[i - 1])}`, family);
    }
  }
  const fragments = [...bounds, Infinity].map((bound) => Buffer.from(`le="${formatCanonical(bound)}"`));
  return { bounds: Float64Array.from(bounds), fragments, hasNegative: bounds.length > 0 && bounds[0]! < 0 };
}

/** The bucket index for `value`: the first bound ≥ value, or the +Inf bucket. Linear for few bounds. */
export function bucketIndex(bounds: Float64Array, value: number): number {
  const n = bounds.length;
  if (n <= 16) {
    let i = 0;
    while (i < n && value > bounds[i]!) i++;
    return i;
  }
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value > bounds[mid]!) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** `count` bounds from `start`, `width` apart. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!(width > 0) || !Number.isInteger(count) || count < 1) {
    throw new MetricError('invalid-option', `linearBuckets(${start}, ${width}, ${count}): width must be > 0 and count a positive integer`);
  }
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** `count` bounds from `start`, each `factor` times the last. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!(start > 0) || !(factor > 1) || !Number.isInteger(count) || count < 1) {
    throw new MetricError('invalid-option', `exponentialBuckets(${start}, ${factor}, ${count}): start must be > 0, factor > 1, count a positive integer`);
  }
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

// Native histogram buckets across processes: every worker's sparse buckets are brought to the coarsest schema
// among them (neighbouring pairs merge, as a child does past maxBuckets) and the widest zero bucket, then added.
// Cost: O(buckets) per series and worker, at scrape time. Holds: the merged counts are exact sums, at the
// resolution of the coarsest worker; nothing observed is lost or counted twice.
import type { NativeBucketsModel } from '../../exposition/model.js';
import { halvedKey, nativeUpperBound } from '../native-math.js';

type Spans = NativeBucketsModel['positiveSpans'];

/** The workers' buckets of one series as one; undefined when none of them has native buckets. */
export function mergeNative(parts: readonly NativeBucketsModel[]): NativeBucketsModel | undefined {
  if (parts.length === 0) return undefined;
  let schema = Infinity;
  let zeroThreshold = 0;
  for (const part of parts) {
    schema = Math.min(schema, part.schema);
    zeroThreshold = Math.max(zeroThreshold, part.zeroThreshold);
  }
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  let zeroCount = 0;
  for (const part of parts) {
    zeroCount += part.zeroCount;
    zeroCount += addBuckets(part.positiveSpans, part.positiveCounts, part.schema - schema, schema, zeroThreshold, positive);
    zeroCount += addBuckets(part.negativeSpans, part.negativeCounts, part.schema - schema, schema, zeroThreshold, negative);
  }
  const [positiveSpans, positiveCounts] = spansOf(positive);
  const [negativeSpans, negativeCounts] = spansOf(negative);
  return { schema, zeroThreshold, zeroCount, positiveSpans, positiveCounts, negativeSpans, negativeCounts };
}

/**
 * Adds one worker's buckets, each moved `coarser` schemas down, into `into`; returns what falls inside the
 * widened zero bucket (a bucket whose whole range lies within the merged threshold, as Prometheus widens it).
 */
function addBuckets(spans: Spans, counts: readonly number[], coarser: number, schema: number, zeroThreshold: number, into: Map<number, number>): number {
  let zero = 0;
  let index = 0;
  let at = 0;
  for (let s = 0; s < spans.length; s++) {
    const [offset, length] = spans[s]!;
    index = s === 0 ? offset : index + offset;
    for (let i = 0; i < length; i++, index++) {
      const count = counts[at++] ?? 0;
      let key = index;
      for (let d = 0; d < coarser; d++) key = halvedKey(key);
      if (nativeUpperBound(key, schema) <= zeroThreshold) zero += count;
      else into.set(key, (into.get(key) ?? 0) + count);
    }
  }
  return zero;
}

/**
 * Sorted bucket indexes as spans and their counts, in the model's encoding. Gaps of up to two buckets are
 * filled with zeros rather than opening a span, as client_golang and a child's own snapshot encode them.
 */
function spansOf(buckets: Map<number, number>): [Spans, number[]] {
  const keys = [...buckets.keys()].sort((a, b) => a - b);
  const spans: Array<[number, number]> = [];
  const counts: number[] = [];
  let next = 0;
  for (const key of keys) {
    const last = spans.at(-1);
    const gap = key - next;
    if (last === undefined || gap > 2) {
      spans.push([last === undefined ? key : gap, 1]);
    } else {
      for (let g = 0; g < gap; g++) counts.push(0);
      last[1] += gap + 1;
    }
    counts.push(buckets.get(key)!);
    next = key + 1;
  }
  return [spans, counts];
}

// Histogram and gauge-histogram state and merge: bucket counts and sums add across processes, native buckets
// too (native.ts); a classic histogram's `_created` is the earliest. Export O(series × buckets), merge O(series × buckets × workers).
// Holds: merged buckets are exact sums. A worker whose bounds differ from the first worker's (a deploy
// that changed them mid-roll) cannot be added bucket by bucket, so its series are left out of the family.
import type { FamilyModel, NativeBucketsModel, SampleModel } from '../../exposition/model.js';
import type { GaugeHistogram } from '../gaugehistogram.js';
import type { Histogram } from '../histogram.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { formatCanonical } from '../../exposition/numbers.js';
import { model, sample } from './counter.js';
import { mergeNative } from './native.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

export function exportHistogramState(family: Histogram | GaugeHistogram): FamilyState {
  const entries = family.seriesEntries();
  const width = family.buckets.bounds.length + 1;
  const counts = new Float64Array(entries.length * width);
  const sum = new Float64Array(entries.length);
  const created = new Float64Array(entries.length);
  entries.forEach(([, child], i) => {
    counts.set(child.counts, i * width);
    sum[i] = child.sum;
    created[i] = 'created' in child ? child.created : 0;
  });
  const state = baseState(family, family.type, family.type, entries.map(([values]) => [...values]));
  state.bounds = [...family.buckets.bounds];
  state.columns = { counts: encodeColumn(counts), sum: encodeColumn(sum) };
  if (family.type === 'histogram') state.columns.created = encodeColumn(created);
  if (family.native !== undefined) state.native = entries.map(([, child]) => child.nativeModel() ?? null);
  return state;
}

export function mergeHistogram(all: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = all[0]!;
  const bounds = first.bounds ?? [];
  const states = all.filter((state) => sameBounds(state.bounds ?? [], bounds));
  const width = bounds.length + 1;
  const { series, slots } = unionSeries(states);
  const counts = new Float64Array(series.length * width);
  const sum = new Float64Array(series.length);
  const created = new Float64Array(series.length).fill(Infinity);
  const native: NativeBucketsModel[][] = Array.from({ length: series.length }, () => []);
  states.forEach((state, s) => {
    const n = state.series.length;
    const part = decodeColumn(state.columns.counts, n * width);
    const partSum = decodeColumn(state.columns.sum, n);
    const born = decodeColumn(state.columns.created, n);
    const slot = slots[s]!;
    for (let i = 0; i < n; i++) {
      const at = slot[i]!;
      for (let b = 0; b < width; b++) counts[at * width + b]! += part[i * width + b]!;
      sum[at]! += partSum[i]!;
      if (born[i]! < created[at]!) created[at] = born[i]!;
      const buckets = state.native?.[i];
      if (buckets !== undefined && buckets !== null) native[at]!.push(buckets);
    }
  });
  const gauge = first.kind === 'gaugehistogram';
  const les = [...bounds, Infinity].map((bound) => ['le', formatCanonical(bound)] as const);
  // OpenMetrics: with a negative bucket threshold a histogram has no _sum (and so no _count).
  const totals = gauge || !(bounds.length > 0 && bounds[0]! < 0);
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  const bucketName = `${first.name}_bucket`;
  for (let i = 0; i < series.length; i++) {
    const labels = labelPairs(first.labelNames, series[i]!);
    let cumulative = 0;
    for (let b = 0; b < width; b++) {
      cumulative += counts[i * width + b]!;
      samples.push(sample(bucketName, [...labels, les[b]!], cumulative, stamp)); // the pairs are shared, not copied
    }
    // Native buckets ride on the series' count sample, as the model defines them.
    const buckets = mergeNative(native[i]!);
    if (gauge) {
      const count = sample(`${first.name}_gcount`, labels, cumulative, stamp);
      if (buckets !== undefined) count.native = buckets;
      samples.push(count, sample(`${first.name}_gsum`, labels, sum[i]!, stamp));
      continue;
    }
    if (totals) {
      const count = sample(`${first.name}_count`, labels, cumulative, stamp);
      if (buckets !== undefined) count.native = buckets;
      samples.push(count, sample(`${first.name}_sum`, labels, sum[i]!, stamp));
    }
    samples.push(sample(`${first.name}_created`, labels, created[i]!, stamp));
  }
  return model(first, samples);
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}

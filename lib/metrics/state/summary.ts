// Summary state and merge: each worker sends its window's CKMS tuples, and the primary merges them into one
// summary per series (never averaging quantiles); `_sum` and `_count` add, `_created` is the earliest.
// Export O(series × tuples), merge O(series × tuples × workers). Error bound: see quantile/combine.ts.
import type { FamilyModel, SampleModel } from '../../exposition/model.js';
import type { Summary } from '../summary.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { formatCanonical } from '../../exposition/numbers.js';
import { CombinedQuantiles } from '../../quantile/combine.js';
import { model, sample } from './counter.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

export function exportSummaryState(family: Summary): FamilyState {
  const entries = family.seriesEntries();
  const n = entries.length;
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  const created = new Float64Array(n);
  const sizes = new Float64Array(n);
  const windowCounts = new Float64Array(n);
  const parts = entries.map(([, child], i) => {
    sum[i] = child.sum;
    count[i] = child.count;
    created[i] = child.created;
    const part = child.window.exportSummary();
    sizes[i] = part.values.length;
    windowCounts[i] = part.n;
    return part;
  });
  const total = parts.reduce((t, part) => t + part.values.length, 0);
  const values = new Float64Array(total);
  const g = new Float64Array(total);
  const delta = new Float64Array(total);
  let at = 0;
  for (const part of parts) {
    values.set(part.values, at);
    g.set(part.g, at);
    delta.set(part.delta, at);
    at += part.values.length;
  }
  const state = baseState(family, 'summary', 'summary', entries.map(([values]) => [...values]));
  state.targets = family.targets.map(({ q, error }) => ({ q, error }));
  state.columns = {
    sum: encodeColumn(sum), count: encodeColumn(count), created: encodeColumn(created),
    sizes: encodeColumn(sizes), n: encodeColumn(windowCounts),
    values: encodeColumn(values), g: encodeColumn(g), delta: encodeColumn(delta),
  };
  return state;
}

export function mergeSummary(states: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = states[0]!;
  const targets = first.targets ?? [];
  const { series, slots } = unionSeries(states);
  const sum = new Float64Array(series.length);
  const count = new Float64Array(series.length);
  const created = new Float64Array(series.length).fill(Infinity);
  const combined = series.map(() => new CombinedQuantiles(targets));
  states.forEach((state, s) => {
    const n = state.series.length;
    const partSum = decodeColumn(state.columns.sum, n);
    const partCount = decodeColumn(state.columns.count, n);
    const born = decodeColumn(state.columns.created, n);
    const sizes = decodeColumn(state.columns.sizes, n);
    const windowCounts = decodeColumn(state.columns.n, n);
    const total = sizes.reduce((t, size) => t + size, 0);
    const values = decodeColumn(state.columns.values, total);
    const g = decodeColumn(state.columns.g, total);
    const delta = decodeColumn(state.columns.delta, total);
    const slot = slots[s]!;
    let from = 0;
    for (let i = 0; i < n; i++) {
      const at = slot[i]!;
      sum[at]! += partSum[i]!;
      count[at]! += partCount[i]!;
      if (born[i]! < created[at]!) created[at] = born[i]!;
      const to = from + sizes[i]!;
      combined[at]!.add({ values: values.subarray(from, to), g: g.subarray(from, to), delta: delta.subarray(from, to), n: windowCounts[i]! });
      from = to;
    }
  });
  const quantiles = targets.map(({ q }) => ['quantile', formatCanonical(q)] as const);
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  for (let i = 0; i < series.length; i++) {
    const labels = labelPairs(first.labelNames, series[i]!);
    targets.forEach(({ q }, t) => samples.push(sample(first.name, [...labels, quantiles[t]!], combined[i]!.query(q), stamp)));
    samples.push(
      sample(`${first.name}_sum`, labels, sum[i]!, stamp),
      sample(`${first.name}_count`, labels, count[i]!, stamp),
      sample(`${first.name}_created`, labels, created[i]!, stamp),
    );
  }
  return model(first, samples);
}

// Counter state and merge: totals add across processes; a series' `_created` is the earliest of its parts.
// Export O(series), merge O(series × workers). Holds: the merged total of a series is the exact sum of its parts.
import type { FamilyModel, SampleModel } from '../../exposition/model.js';
import type { Counter } from '../counter.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

export function exportCounterState(family: Counter): FamilyState {
  const entries = family.seriesEntries();
  const value = new Float64Array(entries.length);
  const created = new Float64Array(entries.length);
  entries.forEach(([, child], i) => {
    value[i] = child.value;
    created[i] = child.created;
  });
  const state = baseState(family, 'counter', 'counter', entries.map(([values]) => [...values]));
  state.columns = { value: encodeColumn(value), created: encodeColumn(created) };
  return state;
}

export function mergeCounter(states: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = states[0]!;
  const { series, slots } = unionSeries(states);
  const total = new Float64Array(series.length);
  const created = new Float64Array(series.length).fill(Infinity);
  states.forEach((state, s) => {
    const n = state.series.length;
    const value = decodeColumn(state.columns.value, n);
    const born = decodeColumn(state.columns.created, n);
    const slot = slots[s]!;
    for (let i = 0; i < n; i++) {
      total[slot[i]!]! += value[i]!;
      if (born[i]! < created[slot[i]!]!) created[slot[i]!] = born[i]!;
    }
  });
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  for (let i = 0; i < series.length; i++) {
    const labels = labelPairs(first.labelNames, series[i]!);
    samples.push(sample(`${first.name}_total`, labels, total[i]!, stamp), sample(`${first.name}_created`, labels, created[i]!, stamp));
  }
  return model(first, samples);
}

/** A sample, with a timestamp only when there is one. */
export function sample(name: string, labels: SampleModel['labels'], value: number, timestamp: number | undefined): SampleModel {
  return timestamp === undefined ? { name, labels, value } : { name, labels, value, timestamp };
}

/** The merged family's metadata from the first state, with its samples. */
export function model(first: FamilyState, samples: SampleModel[]): FamilyModel {
  const family: FamilyModel = { name: first.name, type: first.type, help: first.help, samples };
  if (first.unit !== undefined) family.unit = first.unit;
  return family;
}

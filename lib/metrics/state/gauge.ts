// Gauge state and merge: per family, the workers' values are summed (default), or their max, min, average,
// the first worker's, or the family is omitted. Export O(series), merge O(series × workers).
// Holds: a series present in only some workers is combined over those workers alone (average included).
import type { FamilyModel, SampleModel } from '../../exposition/model.js';
import type { Gauge } from '../gauge.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { model, sample } from './counter.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

export function exportGaugeState(family: Gauge): FamilyState {
  const entries = family.seriesEntries();
  const value = new Float64Array(entries.length);
  entries.forEach(([, child], i) => (value[i] = child.value));
  const state = baseState(family, 'gauge', family.type, entries.map(([values]) => [...values]));
  state.columns = { value: encodeColumn(value) };
  return state;
}

export function mergeGauge(states: readonly FamilyState[], options: MergeOptions): FamilyModel | undefined {
  const rule = options.aggregate ?? 'sum';
  if (rule === 'omit') return undefined;
  const first = states[0]!;
  const { series, slots } = unionSeries(states);
  const merged = new Float64Array(series.length).fill(NaN);
  const seen = new Float64Array(series.length);
  states.forEach((state, s) => {
    const n = state.series.length;
    const value = decodeColumn(state.columns.value, n);
    const slot = slots[s]!;
    for (let i = 0; i < n; i++) {
      const at = slot[i]!;
      const v = value[i]!;
      merged[at] = seen[at] === 0 ? v : combine(rule, merged[at]!, v);
      seen[at]!++;
    }
  });
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  for (let i = 0; i < series.length; i++) {
    const value = rule === 'average' ? merged[i]! / seen[i]! : merged[i]!;
    samples.push(sample(first.name, labelPairs(first.labelNames, series[i]!), value, stamp));
  }
  return model(first, samples);
}

// 'average' accumulates a sum here and divides by the count at the end; 'first' keeps what came first.
function combine(rule: string, held: number, next: number): number {
  switch (rule) {
    case 'max': return next > held || held !== held ? next : held;
    case 'min': return next < held || held !== held ? next : held;
    case 'first': return held;
    default: return held + next;
  }
}

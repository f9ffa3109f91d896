// Info and state-set state and merge: an info series exists in the merge if any worker has it; a state set
// takes the first worker's states (an enum-like set has one state on, so adding or OR-ing could break it).
// Export and merge O(series × workers).
import type { FamilyModel, SampleModel } from '../../exposition/model.js';
import type { Info } from '../info.js';
import type { StateSet } from '../stateset.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { model, sample } from './counter.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

export function exportInfoState(family: Info): FamilyState {
  return baseState(family, 'info', 'info', family.seriesEntries().map(([values]) => [...values]));
}

export function exportStateSetState(family: StateSet): FamilyState {
  const entries = family.seriesEntries();
  const width = family.states.length;
  const on = new Float64Array(entries.length * width);
  entries.forEach(([, child], i) => on.set(child.on, i * width));
  const state = baseState(family, 'stateset', 'stateset', entries.map(([values]) => [...values]));
  state.states = [...family.states];
  state.columns = { on: encodeColumn(on) };
  return state;
}

export function mergeInfo(states: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = states[0]!;
  const { series } = unionSeries(states);
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  return model(first, series.map((values) => sample(`${first.name}_info`, labelPairs(first.labelNames, values), 1, stamp)));
}

export function mergeStateSet(all: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = all[0]!;
  const names = first.states ?? [];
  const states = all.filter((state) => (state.states ?? []).join('\n') === names.join('\n'));
  const width = names.length;
  const { series, slots } = unionSeries(states);
  const on = new Float64Array(series.length * width).fill(NaN);
  states.forEach((state, s) => {
    const n = state.series.length;
    const part = decodeColumn(state.columns.on, n * width);
    for (let i = 0; i < n; i++) {
      const at = slots[s]![i]!;
      if (on[at * width] !== on[at * width]) on.set(part.subarray(i * width, (i + 1) * width), at * width);
    }
  });
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  for (let i = 0; i < series.length; i++) {
    names.forEach((name, k) => samples.push(sample(first.name, labelPairs(first.labelNames, series[i]!, [first.name, name]), on[i * width + k]!, stamp)));
  }
  return model(first, samples);
}

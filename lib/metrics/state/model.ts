// State and merge for families a scrape-time collector returns as models (no metric object behind them):
// samples are matched by name and labels and combined as their type means: counter, histogram and gauge
// histogram samples add (`_created` takes the earliest), gauges follow the family's gauge rule, and what
// cannot be combined from samples alone (summary quantiles, info, state sets) takes the first process's value.
// O(samples × processes). The caller checks the merged family with the strict parser before writing it.
import type { FamilyModel, LabelPair, SampleModel } from '../../exposition/model.js';
import type { FamilyState, MergeOptions } from './shape.js';
import { model, sample } from './counter.js';
import { decodeColumn, encodeColumn, unionSeries } from './shape.js';

export function exportModelState(family: FamilyModel): FamilyState {
  const series = family.samples.map((s) => [s.name, ...s.labels.flat()]);
  const value = Float64Array.from(family.samples, (s) => s.value);
  const state: FamilyState = {
    kind: 'samples', type: family.type, name: family.name, help: family.help ?? '', labelNames: [], series,
    columns: { value: encodeColumn(value) }, dropped: 0, rejected: 0,
  };
  if (family.unit !== undefined) state.unit = family.unit;
  return state;
}

export function mergeModel(states: readonly FamilyState[], options: MergeOptions): FamilyModel | undefined {
  const first = states[0]!;
  const rule = first.type === 'gauge' || first.type === 'unknown' ? options.aggregate ?? 'sum' : 'sum';
  if (rule === 'omit') return undefined;
  const { series, slots } = unionSeries(states);
  const merged = new Float64Array(series.length);
  const seen = new Float64Array(series.length);
  states.forEach((state, s) => {
    const value = decodeColumn(state.columns.value, state.series.length);
    for (let i = 0; i < state.series.length; i++) {
      const at = slots[s]![i]!;
      const name = state.series[i]![0]!;
      merged[at] = seen[at] === 0 ? value[i]! : combine(first.type, rule, name.slice(first.name.length), merged[at]!, value[i]!);
      seen[at]!++;
    }
  });
  const samples: SampleModel[] = series.map(([name = '', ...flat], i) => {
    const labels: LabelPair[] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) labels.push([flat[k]!, flat[k + 1]!]);
    return sample(name, labels, rule === 'average' ? merged[i]! / seen[i]! : merged[i]!, undefined);
  });
  return model(first, samples);
}

function combine(type: string, rule: string, suffix: string, held: number, next: number): number {
  if (suffix === '_created') return next < held ? next : held;
  switch (type) {
    case 'counter': case 'histogram': case 'gaugehistogram': return held + next;
    case 'summary': return suffix === '_sum' || suffix === '_count' ? held + next : held;
    case 'gauge': case 'unknown':
      if (rule === 'max') return next > held ? next : held;
      if (rule === 'min') return next < held ? next : held;
      return rule === 'first' ? held : held + next;
    default: return held;
  }
}

// Windowed gauges' state and merge. Each worker reads its windows at the scrape instant, so the slots it sums
// cover the same wall-clock span in every worker (to within the IPC round trip); the primary then combines
// the parts as each gauge means: rates add, a ratio is recomputed from summed numerators and totals, max is
// the max, average and utilization are weighted by their counts and covered time. Export O(series × slots).
import type { FamilyModel, SampleModel } from '../../exposition/model.js';
import type { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from '../windowed-gauges.js';
import type { FamilyState, MergeOptions, StateKind } from './shape.js';
import { UtilizationWindow } from '../../window/utilization.js';
import { model, sample } from './counter.js';
import { baseState, decodeColumn, encodeColumn, labelPairs, unionSeries } from './shape.js';

type Windowed = RateGauge | RatioGauge | MaxGauge | AverageGauge | UtilizationGauge;

/** Per series two parts `a` and `b`: rate (events, covered ms), ratio (numerator events, -), max (count, max),
 *  average (count, sum), utilization (busy ms, covered ms); a ratio also sends its family total. */
export function exportWindowedState(family: Windowed, kind: Extract<StateKind, 'rate' | 'ratio' | 'max' | 'average' | 'utilization'>): FamilyState {
  const entries = family.seriesEntries() as Array<readonly [readonly string[], { window?: unknown; numerator?: unknown }]>;
  const a = new Float64Array(entries.length);
  const b = new Float64Array(entries.length);
  entries.forEach(([, child], i) => {
    const [x, y] = parts(kind, child as never);
    a[i] = x;
    b[i] = y;
  });
  const state = baseState(family, kind, 'gauge', entries.map(([values]) => [...values]));
  state.columns = { a: encodeColumn(a), b: encodeColumn(b) };
  if (kind === 'ratio') state.columns.total = encodeColumn(Float64Array.of((family as RatioGauge).total()));
  return state;
}

export function mergeWindowed(states: readonly FamilyState[], options: MergeOptions): FamilyModel {
  const first = states[0]!;
  const kind = first.kind;
  const { series, slots } = unionSeries(states);
  const a = new Float64Array(series.length);
  const b = new Float64Array(series.length).fill(kind === 'max' ? -Infinity : 0);
  let total = 0;
  states.forEach((state, s) => {
    const n = state.series.length;
    const partA = decodeColumn(state.columns.a, n);
    const partB = decodeColumn(state.columns.b, n);
    if (kind === 'ratio') total += decodeColumn(state.columns.total, 1)[0]!;
    const slot = slots[s]!;
    for (let i = 0; i < n; i++) {
      const at = slot[i]!;
      if (kind === 'rate') a[at]! += partB[i]! > 0 ? (partA[i]! * 1000) / partB[i]! : 0; // each worker's own rate
      else a[at]! += partA[i]!;
      if (kind === 'max') b[at] = partA[i]! > 0 && partB[i]! > b[at]! ? partB[i]! : b[at]!;
      else b[at]! += partB[i]!;
    }
  });
  const stamp = first.timestamps ? options.wallSeconds : undefined;
  const samples: SampleModel[] = [];
  for (let i = 0; i < series.length; i++) {
    samples.push(sample(first.name, labelPairs(first.labelNames, series[i]!), value(kind, a[i]!, b[i]!, total), stamp));
  }
  return model(first, samples);
}

function parts(kind: string, child: { window: never; numerator: never }): [number, number] {
  const window = child.window as { count(): number; coveredMs(): number; max(): number; sum(): number } & object;
  switch (kind) {
    case 'rate': return [window.count(), window.coveredMs()];
    case 'ratio': return [(child.numerator as { count(): number }).count(), 0];
    case 'max': return [window.count(), window.max()];
    case 'average': return [window.count(), window.sum()];
    default: {
      if (window instanceof UtilizationWindow) return [window.busyMs(), window.coveredMs()];
      return (window as unknown as { times(): [number, number] }).times();
    }
  }
}

function value(kind: string, a: number, b: number, total: number): number {
  switch (kind) {
    case 'rate': return a;
    case 'ratio': return total === 0 ? 0 : (a * 100) / total;
    case 'max': return a > 0 ? b : 0;
    case 'average': return a > 0 ? b / a : 0;
    default: {
      const percent = b > 0 ? (a * 100) / b : 0;
      return percent > 100 ? 100 : percent > 0 ? percent : 0;
    }
  }
}

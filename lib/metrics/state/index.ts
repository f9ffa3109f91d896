// One entry point each way: a family's state for the wire, and the merge rule for a kind of state.
// The rules live beside each other in this folder, one file per metric type; nothing here formats text.
import type { FamilyModel } from '../../exposition/model.js';
import type { Family, Child } from '../family.js';
import type { FamilyState, MergeOptions, StateKind } from './shape.js';
import { Counter } from '../counter.js';
import { Gauge } from '../gauge.js';
import { GaugeHistogram } from '../gaugehistogram.js';
import { Histogram } from '../histogram.js';
import { Info } from '../info.js';
import { StateSet } from '../stateset.js';
import { Summary } from '../summary.js';
import { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from '../windowed-gauges.js';
import { exportCounterState, mergeCounter } from './counter.js';
import { exportGaugeState, mergeGauge } from './gauge.js';
import { exportHistogramState, mergeHistogram } from './histogram.js';
import { exportInfoState, exportStateSetState, mergeInfo, mergeStateSet } from './info.js';
import { exportModelState, mergeModel } from './model.js';
import { exportSummaryState, mergeSummary } from './summary.js';
import { exportWindowedState, mergeWindowed } from './windowed.js';

/** The family's state, or undefined for a family of a type this module does not know (it is not sent). */
export function exportFamilyState(family: Family<Child>): FamilyState | undefined {
  if (family instanceof Counter) return exportCounterState(family);
  if (family instanceof Gauge) return exportGaugeState(family);
  if (family instanceof Histogram || family instanceof GaugeHistogram) return exportHistogramState(family);
  if (family instanceof Summary) return exportSummaryState(family);
  if (family instanceof RateGauge) return exportWindowedState(family, 'rate');
  if (family instanceof RatioGauge) return exportWindowedState(family, 'ratio');
  if (family instanceof MaxGauge) return exportWindowedState(family, 'max');
  if (family instanceof AverageGauge) return exportWindowedState(family, 'average');
  if (family instanceof UtilizationGauge) return exportWindowedState(family, 'utilization');
  if (family instanceof Info) return exportInfoState(family);
  if (family instanceof StateSet) return exportStateSetState(family);
  return undefined;
}

const MERGES: Record<StateKind, (states: readonly FamilyState[], options: MergeOptions) => FamilyModel | undefined> = {
  counter: mergeCounter,
  gauge: mergeGauge,
  histogram: mergeHistogram,
  gaugehistogram: mergeHistogram,
  summary: mergeSummary,
  rate: mergeWindowed,
  ratio: mergeWindowed,
  max: mergeWindowed,
  average: mergeWindowed,
  utilization: mergeWindowed,
  info: mergeInfo,
  stateset: mergeStateSet,
  samples: mergeModel,
};

/**
 * Merges the states of one family from several processes, by the first state's kind; states of another
 * kind (a worker that defines the name differently) are left out. Undefined when the rule omits the family.
 */
export function mergeFamilyStates(states: readonly FamilyState[], options: MergeOptions): FamilyModel | undefined {
  const first = states[0];
  if (first === undefined || !Object.hasOwn(MERGES, first.kind)) return undefined;
  const alike = states.filter((state) => state.kind === first.kind && state.type === first.type && state.labelNames.join('\n') === first.labelNames.join('\n'));
  return MERGES[first.kind](alike, options);
}

export { exportModelState };
export type { FamilyState, GaugeAggregate, MergeOptions, StateKind } from './shape.js';
export { GAUGE_AGGREGATES } from './shape.js';

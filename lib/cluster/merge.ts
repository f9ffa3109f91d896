// Merges the families of several processes (each a list of FamilyState) into one exposition's families:
// grouped by name in first-seen order, each merged by its type's rule. O(series × processes).
// Holds: a family that fails to merge, or whose sample names another family already writes, is left out and
// counted, so one bad family never fails the scrape.
import type { FamilyModel, MetricType } from '../exposition/model.js';
import type { FamilyState, GaugeAggregate } from '../metrics/state/index.js';
import { OPENMETRICS } from '../exposition/formats.js';
import { writeModel } from '../exposition/model-writer.js';
import { parse } from '../exposition/parse/parser.js';
import { mergeFamilyStates } from '../metrics/state/index.js';

const SAMPLE_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_sum', '_count', '_created'],
  info: ['_info'],
  stateset: [''],
};

export interface MergeStatesOptions {
  aggregate?: ReadonlyMap<string, GaugeAggregate>;
  wallSeconds: number;
}

export function mergeStates(parts: readonly (readonly FamilyState[])[], options: MergeStatesOptions): { families: FamilyModel[]; errors: number } {
  const groups = new Map<string, FamilyState[]>();
  for (const part of parts) {
    for (const state of part) {
      const group = groups.get(state.name);
      if (group === undefined) groups.set(state.name, [state]);
      else group.push(state);
    }
  }
  const families: FamilyModel[] = [];
  const dropped: FamilyModel['samples'] = [];
  const rejected: FamilyModel['samples'] = [];
  const taken = new Set<string>();
  let errors = 0;
  for (const [name, states] of groups) {
    try {
      const aggregate = options.aggregate?.get(name);
      const merged = mergeFamilyStates(states, aggregate === undefined ? { wallSeconds: options.wallSeconds } : { aggregate, wallSeconds: options.wallSeconds });
      if (merged === undefined) continue;
      // Workers of different versions can define `x` and `x_total` apart; one exposition cannot hold both.
      const names = [merged.name, ...SAMPLE_SUFFIXES[merged.type].map((suffix) => merged.name + suffix)];
      if (names.some((n) => taken.has(n)) || (states[0]!.kind === 'samples' && !writable(merged))) {
        errors++;
        continue;
      }
      for (const n of names) taken.add(n);
      families.push(merged);
    } catch {
      errors++;
    }
    const drops = states.reduce((sum, state) => sum + (state.dropped > 0 ? state.dropped : 0), 0);
    const refusals = states.reduce((sum, state) => sum + (state.rejected > 0 ? state.rejected : 0), 0);
    if (drops > 0) dropped.push({ name: 'omen_series_dropped_total', labels: [['family', name]], value: drops });
    if (refusals > 0) rejected.push({ name: 'omen_records_rejected_total', labels: [['family', name]], value: refusals });
  }
  if (dropped.length > 0) {
    families.push({ name: 'omen_series_dropped', type: 'counter', help: 'labels() calls for a new series refused because the family had reached maxChildren, summed over the workers.', samples: dropped });
  }
  if (rejected.length > 0) {
    families.push({ name: 'omen_records_rejected', type: 'counter', help: 'Records refused for invalid input, summed over the workers.', samples: rejected });
  }
  return { families, errors };
}

/** A family merged from bare samples (collectors) is written only if the strict parser accepts it alone. */
function writable(family: FamilyModel): boolean {
  try {
    parse(writeModel([family], OPENMETRICS), { format: 'openmetrics' });
    return true;
  } catch {
    return false;
  }
}

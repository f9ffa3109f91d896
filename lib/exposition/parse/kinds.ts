// Which sample names a family of each type owns, in each format, and the label each type reserves.
// Cost: matching a sample to its family is a startsWith plus at most four suffix compares.
// Invariant: a sample kind is one bit, so a MetricPoint's singleton samples fit one bitmask.
import type { MetricType } from '../model.js';

/** The sample kinds of [S "Metric types"]; each is one bit. */
export const VALUE = 1;
export const TOTAL = 2;
export const CREATED = 4;
export const INFO = 8;
export const SUM = 16;
export const COUNT = 32;
export const GSUM = 64;
export const GCOUNT = 128;
export const BUCKET = 256;
/** Kinds that may carry an exemplar ([S "Exemplars"]: counters' `_total` and histogram buckets). */
export const EXEMPLAR_KINDS = TOTAL | BUCKET;

export type SuffixTable = ReadonlyArray<readonly [suffix: string, kind: number]>;

/** OpenMetrics 1.0: sample name = family name + one of these suffixes. */
const OPENMETRICS_SUFFIXES: Readonly<Record<MetricType, SuffixTable>> = {
  counter: [['_total', TOTAL], ['_created', CREATED]],
  gauge: [['', VALUE]],
  unknown: [['', VALUE]],
  stateset: [['', VALUE]],
  info: [['_info', INFO]],
  summary: [['', VALUE], ['_sum', SUM], ['_count', COUNT], ['_created', CREATED]],
  histogram: [['_bucket', BUCKET], ['_sum', SUM], ['_count', COUNT], ['_created', CREATED]],
  gaugehistogram: [['_bucket', BUCKET], ['_gsum', GSUM], ['_gcount', GCOUNT]],
};

/**
 * Prometheus text 0.0.4, relative to the name on the TYPE line. A counter's TYPE line names the sample
 * itself (`# TYPE x_total counter` over `x_total 3`), so its only sample has the empty suffix.
 */
const PROMETHEUS_SUFFIXES: Readonly<Record<MetricType, SuffixTable>> = {
  counter: [['', TOTAL]],
  gauge: [['', VALUE]],
  unknown: [['', VALUE]],
  stateset: [['', VALUE]],
  info: [['', INFO]],
  summary: [['', VALUE], ['_sum', SUM], ['_count', COUNT]],
  histogram: [['_bucket', BUCKET], ['_sum', SUM], ['_count', COUNT]],
  gaugehistogram: [['_bucket', BUCKET], ['_sum', SUM], ['_count', COUNT]],
};

export function suffixTable(type: MetricType, openMetrics: boolean): SuffixTable {
  return (openMetrics ? OPENMETRICS_SUFFIXES : PROMETHEUS_SUFFIXES)[type];
}

/** The kind of `sample` within a family whose samples are `base` + suffix, or 0 when it is not one of them. */
export function sampleKind(sample: string, base: string, table: SuffixTable): number {
  if (!sample.startsWith(base)) return 0;
  const extra = sample.length - base.length;
  for (let i = 0; i < table.length; i++) {
    const [suffix, kind] = table[i] as readonly [string, number];
    if (suffix.length === extra && (extra === 0 || sample.endsWith(suffix))) return kind;
  }
  return 0;
}

/**
 * The label a type gives meaning to: histogram buckets' `le`, summary quantiles' `quantile`, and a
 * stateset's label named after the family. It is required on `kind` samples and forbidden on the others.
 */
export function reservedLabel(type: MetricType, familyName: string): { name: string; kind: number } | undefined {
  if (type === 'histogram' || type === 'gaugehistogram') return { name: 'le', kind: BUCKET };
  if (type === 'summary') return { name: 'quantile', kind: VALUE };
  if (type === 'stateset') return { name: familyName, kind: VALUE };
  return undefined;
}

/** Human names of the samples a family owns, for error messages. */
export function ownedNames(base: string, table: SuffixTable): string {
  return table.map(([suffix]) => base + suffix).join(', ');
}

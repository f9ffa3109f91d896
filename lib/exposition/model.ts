// The exposition data model: what the parser produces and what the model writer consumes.
// It mirrors OpenMetrics 1.0: a family is metadata plus samples; timestamps are Unix seconds.
// Label pairs are ordered arrays (not objects) so that a round trip keeps the bytes' order.

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

export const METRIC_TYPES: readonly MetricType[] = [
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
];

export type LabelPair = readonly [name: string, value: string];

export interface ExemplarModel {
  labels: LabelPair[];
  value: number;
  /** Unix seconds, possibly fractional. */
  timestamp?: number;
}

/**
 * The sparse exponential buckets of one native histogram series (Prometheus' native histograms). Spans are
 * `[offset, length]` pairs as the protobuf and OpenMetrics 2.0 encodings write them (the first offset is the
 * first bucket's index, each later one the gap after the previous span); counts are absolute, one per bucket
 * in span order, so writers delta-encode them where a format wants deltas.
 */
export interface NativeBucketsModel {
  /** -4..8: bucket i covers (2^(2^-schema))^(i-1) .. (2^(2^-schema))^i. */
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positiveSpans: Array<readonly [offset: number, length: number]>;
  positiveCounts: number[];
  negativeSpans: Array<readonly [offset: number, length: number]>;
  negativeCounts: number[];
}

export interface SampleModel {
  /** The full sample name, suffix included (`http_requests_total`, `rpc_seconds_bucket`). */
  name: string;
  labels: LabelPair[];
  value: number;
  /** Unix seconds, possibly fractional; Prometheus text writes it as integer milliseconds. */
  timestamp?: number;
  exemplar?: ExemplarModel;
  /**
   * Every exemplar of the sample when it has more than one (OpenMetrics 2.0 allows several per sample);
   * `exemplar` is then the first of them. Formats with one exemplar per sample write `exemplar` only.
   */
  exemplars?: ExemplarModel[];
  /** A series' native buckets ride on its `_count` sample (`_gcount` for a gauge histogram). */
  native?: NativeBucketsModel;
}

export interface FamilyModel {
  /** The family name: no `_total`, `_bucket`, `_info` or other sample suffix. */
  name: string;
  type: MetricType;
  /** Absent when no `# HELP` line; `''` for an empty one. */
  help?: string;
  /** Absent when no `# UNIT` line; `''` for an empty one. */
  unit?: string;
  samples: SampleModel[];
}

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

export interface SampleModel {
  /** The full sample name, suffix included (`http_requests_total`, `rpc_seconds_bucket`). */
  name: string;
  labels: LabelPair[];
  value: number;
  /** Unix seconds, possibly fractional; Prometheus text writes it as integer milliseconds. */
  timestamp?: number;
  exemplar?: ExemplarModel;
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

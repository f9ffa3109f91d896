// The catalog as PromQL: for every catalog metric name (0.7, 0.9 and 1.1), the expression that computes it
// across instances from the raw series (raw-names.ts), over a window. Built once per window; no hot path.
// Always: rates are summed rates, percentages ratios of summed rates, quantiles histogram_quantile over
// summed buckets, utilization max/avg/min of per-instance values; each groups by the catalog's own labels.
import type { Catalog, MetricDefinition } from '../catalog/catalog.js';
import { DEFAULT_TARGETS } from '../quantile/targets.js';
import { RAW } from '../catalog/raw-names.js';
import { promDuration } from './duration.js';

/** One expression whose result series become samples of `sample` (a catalog name, or name_sum / name_count). */
export interface SeriesQuery {
  readonly metric: MetricDefinition;
  /** The sample name written, e.g. `feature_service_latency_sum`. */
  readonly sample: string;
  /** Labels every result series gets on top of its own (a summary's `quantile`). */
  readonly extraLabels: readonly (readonly [string, string])[];
  readonly expr: string;
}

/** How one catalog name is computed: `by` is the catalog's label list, `w` the range, e.g. `5m`. */
type Builder = (by: string, w: string) => string;
type SummaryBuilder = { histogram: string };

const sumRate = (raw: string): Builder => (by, w) => `sum by (${by}) (rate(${raw}_total[${w}]))`;
const meanOfReports = (raw: string): Builder => (by, w) => `sum by (${by}) (rate(${raw}_sum[${w}])) / sum by (${by}) (rate(${raw}_count[${w}]))`;
const utilization = (aggregate: 'max' | 'avg' | 'min'): Builder => (by, w) => `${aggregate} by (${by}) (clamp_max(100 * rate(${RAW.busy}_total[${w}]), 100))`;
const errorPercent = (raw: string, label: string, errors: string): Builder => (by, w) =>
  `100 * sum by (${by}) (${relabel(`rate(${raw}_total{${errors}}[${w}])`, label)}) / on() group_left() sum(rate(${raw}_total[${w}]))`;

/** Gauges, keyed by catalog metric name. */
export const GAUGE_QUERIES: Readonly<Record<string, Builder>> = Object.freeze({
  feature_service_requests_total_rate: sumRate(RAW.calls),
  feature_service_requests_rate: sumRate(RAW.calls),
  feature_service_requests_total_rate_per_server_group: sumRate(RAW.calls),
  feature_service_requests_rate_per_server_group: sumRate(RAW.calls),
  feature_server_errors_rate: errorPercent(RAW.responses, 'status', 'status=~"4..|5.."'),
  feature_server_errors_rate_grpc: errorPercent(RAW.grpcResponses, 'grpc_code', 'grpc_code!="0"'),
  feature_server_utilization: utilization('max'),
  feature_server_average_utilization: utilization('avg'),
  feature_server_minimum_utilization: utilization('min'),
  spark_stream_max_processed_event_age: (by, w) => `max by (${by}) (max_over_time(${RAW.sparkOldestAge}[${w}]))`,
  spark_stream_min_processed_event_age: (by, w) => `min by (${by}) (min_over_time(${RAW.sparkNewestAge}[${w}]))`,
  spark_stream_average_processed_event_age: meanOfReports(RAW.sparkAverageAge),
  spark_stream_input_rate: meanOfReports(RAW.sparkInputRate),
  spark_stream_processing_rate: meanOfReports(RAW.sparkProcessingRate),
  spark_stream_served_feature_age: (by) => `time() - max by (${by}) (${RAW.sparkNewestEventTime})`,
  spark_stream_online_store_write_rate: sumRate(RAW.sparkOnlineRows),
  stream_ingestapi_request_rate: sumRate(RAW.ingestRequests),
  stream_ingestapi_request_processing_error_rate: (by, w) =>
    `sum by (${by}) (label_replace(rate(${RAW.ingestRequests}_total{status=~"4..|5.."}[${w}]), "error_code", "\${1}xx", "status", "([45]).."))`,
  stream_ingestapi_online_store_write_rate: sumRate(RAW.ingestOnlineRows),
  stream_ingestapi_offline_store_write_rate: sumRate(RAW.ingestOfflineRows),
});

/** Summaries, keyed by catalog metric name: the raw histogram they are computed from. */
export const SUMMARY_QUERIES: Readonly<Record<string, SummaryBuilder>> = Object.freeze({
  feature_service_total_latency: { histogram: RAW.latency },
  feature_service_latency: { histogram: RAW.latency },
  stream_ingestapi_request_processing_latency: { histogram: RAW.ingestLatency },
});

/** The quantiles a fleet summary reports: the same as a single-process catalog summary. */
export const FLEET_QUANTILES: readonly number[] = DEFAULT_TARGETS.map((target) => target.q);

export class FleetQueryError extends Error {
  override name = 'FleetQueryError';
}

/** Every catalog metric's queries over `windowMs`, in catalog order; throws naming a metric it cannot compute. */
export function catalogQueries(catalog: Catalog, windowMs: number): SeriesQuery[] {
  return catalog.metrics.flatMap((metric) => metricQueries(metric, windowMs));
}

/** The queries of one catalog metric: one for a gauge; quantiles, _sum and _count for a summary. */
export function metricQueries(metric: MetricDefinition, windowMs: number): SeriesQuery[] {
  const w = promDuration(windowMs);
  const gauge = Object.hasOwn(GAUGE_QUERIES, metric.name) ? GAUGE_QUERIES[metric.name] : undefined;
  const summary = Object.hasOwn(SUMMARY_QUERIES, metric.name) ? SUMMARY_QUERIES[metric.name] : undefined;
  if (metric.type === 'gauge' && gauge !== undefined) {
    return [{ metric, sample: metric.name, extraLabels: [], expr: gauge(metric.labels.join(', '), w) }];
  }
  if (metric.type === 'summary' && summary !== undefined) {
    const h = summary.histogram;
    const by = metric.labels.join(', ');
    const quantiles = FLEET_QUANTILES.map((q) => ({
      metric,
      sample: metric.name,
      extraLabels: [['quantile', String(q)] as const],
      expr: `histogram_quantile(${q}, sum by (${['le', ...metric.labels].join(', ')}) (rate(${h}_bucket[${w}])))`,
    }));
    return [
      ...quantiles,
      { metric, sample: `${metric.name}_sum`, extraLabels: [], expr: `sum by (${by}) (${h}_sum)` },
      { metric, sample: `${metric.name}_count`, extraLabels: [], expr: `sum by (${by}) (${h}_count)` },
    ];
  }
  throw new FleetQueryError(`no PromQL for ${metric.type} ${metric.name}: lib/fleet/queries.ts knows ${[...Object.keys(GAUGE_QUERIES), ...Object.keys(SUMMARY_QUERIES)].join(', ')}`);
}

/** Renames `label` of a vector to `status` (the catalog's label) unless it already is `status`. */
function relabel(vector: string, label: string): string {
  return label === 'status' ? vector : `label_replace(${vector}, "status", "$1", "${label}", "(.*)")`;
}

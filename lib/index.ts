// omen's public library API, listed by name: what users call or name. Bound children are types (users
// get them from `labels()`, never construct them); the window and quantile machinery lives in
// `omen/internals`. spec/index.spec.ts pins this list. The Metrics API application (catalog, server,
// platform, cli) is built on this and nothing here imports it.

// Registry and clocks
export { Registry } from './registry.js';
export type { RegistryOptions, Collector, CollectorResult, AnyFamily, ScrapeLease } from './registry.js';
export { systemClock, FakeClock } from './clock.js';
export type { Clock } from './clock.js';

// Metric types
export { MetricError } from './metrics/errors.js';
export type { MetricErrorCode, ErrorSink } from './metrics/errors.js';
export type { FamilyOptions, LabelValue } from './metrics/family.js';
export { Counter } from './metrics/counter.js';
export type { CounterChild } from './metrics/counter.js';
export { Gauge } from './metrics/gauge.js';
export type { GaugeChild } from './metrics/gauge.js';
export { Unknown } from './metrics/unknown.js';
export { Histogram } from './metrics/histogram.js';
export type { HistogramOptions, HistogramChild } from './metrics/histogram.js';
export type { NativeHistogramOptions } from './metrics/native-buckets.js';
export { GaugeHistogram } from './metrics/gaugehistogram.js';
export type { GaugeHistogramOptions, GaugeHistogramChild } from './metrics/gaugehistogram.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from './metrics/buckets.js';
export { Summary } from './metrics/summary.js';
export type { SummaryOptions, SummaryChild } from './metrics/summary.js';
export { Info } from './metrics/info.js';
export type { InfoChild } from './metrics/info.js';
export { StateSet } from './metrics/stateset.js';
export type { StateSetOptions, StateSetChild } from './metrics/stateset.js';
export { RateGauge, RatioGauge, MaxGauge, AverageGauge, UtilizationGauge } from './metrics/windowed-gauges.js';
export type {
  WindowedGaugeOptions,
  UtilizationGaugeOptions,
  RateGaugeChild,
  RatioGaugeChild,
  StatGaugeChild,
  UtilizationGaugeChild,
} from './metrics/windowed-gauges.js';
export type { QuantileTarget } from './quantile/targets.js';
export type { ExemplarLabels } from './metrics/exemplar.js';
export type { LabelNames, LabelValues, LabelObject } from './metrics/label-types.js';

// Exposition: formats, negotiation, the strict parser, the model writer
export { OPENMETRICS, PROMETHEUS } from './exposition/formats.js';
export type { ExpositionFormat, FormatId } from './exposition/formats.js';
export { negotiateFormat } from './exposition/negotiate.js';
export { OPENMETRICS2 } from './exposition/om2-format.js';
export { PROMETHEUS_TEXT_1, withEscaping } from './exposition/escaping-formats.js';
export type { EscapingScheme } from './exposition/names.js';
export type { NameValidation } from './metrics/validate.js';
export { PROTOBUF } from './exposition/proto/format.js';
export { encodeProtobuf } from './exposition/proto/encode.js';
export { decodeProtobuf } from './exposition/proto/decode.js';
export { parse, ParseError } from './exposition/parse/parser.js';
export type { ParseOptions, ParseFormat, ParseErrorCode } from './exposition/parse/parser.js';
export { writeModel } from './exposition/model-writer.js';
export { METRIC_TYPES } from './exposition/model.js';

// Beyond one process: node:cluster aggregation and the Pushgateway
export { ClusterRegistry, DEFAULT_CLUSTER_TIMEOUT_MS } from './cluster/primary.js';
export type { ClusterRegistryOptions, ClusterPeer } from './cluster/primary.js';
export { clusterWorker } from './cluster/worker.js';
export type { ClusterWorkerHandle, WorkerChannel } from './cluster/worker.js';
export type { GaugeAggregate } from './metrics/state/index.js';
export { pushToGateway, PushError, DEFAULT_PUSH_TIMEOUT_MS } from './push/push.js';
export type { PushOptions, Scrapable } from './push/push.js';

// Serving and runtime metrics
export { metricsHandler } from './http/metrics-handler.js';
export type { MetricsHandler, MetricsHandlerOptions, MetricsSource } from './http/metrics-handler.js';
export { collectDefaultMetrics } from './runtime/default-metrics.js';
export type { DefaultMetricsOptions, DefaultMetrics } from './runtime/default-metrics.js';
export type { MetricType, LabelPair, ExemplarModel, SampleModel, FamilyModel } from './exposition/model.js';

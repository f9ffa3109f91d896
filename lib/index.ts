// omen's public library API, listed by name. The Metrics API application (catalog, server,
// platform, cli) is built on this and nothing here imports it.
export { systemClock, FakeClock } from './clock.js';
export type { Clock } from './clock.js';

export { Registry } from './registry.js';
export type { RegistryOptions, Collector, CollectorResult, AnyFamily, ScrapeLease } from './registry.js';

export { Family, Child, DEFAULT_MAX_CHILDREN } from './metrics/family.js';
export type { FamilyOptions, LabelValue } from './metrics/family.js';
export { MetricError } from './metrics/errors.js';
export type { MetricErrorCode, ErrorSink } from './metrics/errors.js';
export { Counter, CounterChild } from './metrics/counter.js';
export { Gauge, GaugeChild } from './metrics/gauge.js';
export { Unknown } from './metrics/unknown.js';
export { Histogram, HistogramChild } from './metrics/histogram.js';
export type { HistogramOptions } from './metrics/histogram.js';
export { GaugeHistogram, GaugeHistogramChild } from './metrics/gaugehistogram.js';
export type { GaugeHistogramOptions } from './metrics/gaugehistogram.js';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from './metrics/buckets.js';
export { Summary, SummaryChild } from './metrics/summary.js';
export type { SummaryOptions } from './metrics/summary.js';
export { Info, InfoChild } from './metrics/info.js';
export { StateSet, StateSetChild } from './metrics/stateset.js';
export type { StateSetOptions } from './metrics/stateset.js';
export {
  RateGauge,
  RateGaugeChild,
  RatioGauge,
  RatioGaugeChild,
  MaxGauge,
  AverageGauge,
  StatGaugeChild,
  UtilizationGauge,
  UtilizationGaugeChild,
} from './metrics/windowed-gauges.js';
export type { WindowedGaugeOptions, UtilizationGaugeOptions } from './metrics/windowed-gauges.js';

export { CkmsStream, DEFAULT_BUFFER_SIZE } from './quantile/ckms.js';
export type { CkmsOptions } from './quantile/ckms.js';
export { WindowedQuantiles, DEFAULT_MAX_AGE_SECONDS, DEFAULT_AGE_BUCKETS } from './quantile/window.js';
export type { WindowedQuantilesOptions } from './quantile/window.js';
export { DEFAULT_TARGETS, validateTargets } from './quantile/targets.js';
export type { QuantileTarget } from './quantile/targets.js';

export { RateWindow } from './window/rate.js';
export { RatioWindow, RatioNumerator } from './window/ratio.js';
export { MaxAvgWindow } from './window/maxavg.js';
export { UtilizationWindow, EventLoopUtilizationWindow, nodeEventLoop } from './window/utilization.js';
export type { EluSample, EluSource, EventLoopUtilizationOptions } from './window/utilization.js';
export { CoarseClock } from './window/coarse-clock.js';
export type { CoarseClockOptions } from './window/coarse-clock.js';
export { DEFAULT_WINDOW_MS, DEFAULT_SLOT_MS } from './window/options.js';
export type { WindowOptions } from './window/options.js';

export { ClusterRegistry, DEFAULT_CLUSTER_TIMEOUT_MS } from './cluster/primary.js';
export type { ClusterRegistryOptions, ClusterPeer } from './cluster/primary.js';
export { clusterWorker } from './cluster/worker.js';
export type { ClusterWorkerHandle, WorkerChannel } from './cluster/worker.js';
export type { GaugeAggregate } from './metrics/state/index.js';
export { pushToGateway, PushError, DEFAULT_PUSH_TIMEOUT_MS } from './push/push.js';
export type { PushOptions, Scrapable } from './push/push.js';

export { OPENMETRICS, PROMETHEUS, formatById } from './exposition/formats.js';
export type { ExpositionFormat, FormatId } from './exposition/formats.js';
export { negotiateFormat } from './exposition/negotiate.js';
export { OPENMETRICS2 } from './exposition/om2-format.js';
export { PROMETHEUS_TEXT_1, withEscaping } from './exposition/escaping-formats.js';
export type { EscapingScheme } from './exposition/names.js';
export type { NameValidation } from './metrics/validate.js';
export { parse, ParseError } from './exposition/parse/parser.js';
export type { ParseOptions, ParseFormat, ParseErrorCode } from './exposition/parse/parser.js';
export { writeModel } from './exposition/model-writer.js';
export { formatValue, formatCanonical } from './exposition/numbers.js';
export { METRIC_TYPES } from './exposition/model.js';
export type { MetricType, LabelPair, ExemplarModel, SampleModel, FamilyModel } from './exposition/model.js';

// Native histograms and Prometheus' protobuf format.
export type { NativeHistogramOptions } from './metrics/native-buckets.js';
export { PROTOBUF } from './exposition/proto/format.js';
export { encodeProtobuf } from './exposition/proto/encode.js';
export { decodeProtobuf } from './exposition/proto/decode.js';

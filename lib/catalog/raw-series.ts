// The raw, mergeable per-instance series (counters, classic histograms, event-time gauges) that the catalog
// instrumentation writes next to its windowed gauges, for a metrics engine to scrape and combine across
// instances. Per record on known series: Map reads and a few adds, no allocation. Always: the labels are
// aws_region, server_group_name and ids/names, never instance or job; names and meanings are in raw-names.ts.
import type { Counter, CounterChild } from '../metrics/counter.js';
import type { Gauge } from '../metrics/gauge.js';
import type { Histogram, HistogramChild } from '../metrics/histogram.js';
import type { Registry } from '../registry.js';
import type { EluSource } from '../window/utilization.js';
import { nodeEventLoop } from '../window/utilization.js';
import { ChildCache } from './child-cache.js';
import { grpcLabel, grpcStatusOf } from './grpc-status.js';
import { AGE_BUCKETS, LATENCY_BUCKETS, PLACE_LABELS, RAW, ROWS_PER_SECOND_BUCKETS, SERVICE_LABELS, VIEW_LABELS } from './raw-names.js';

export interface RawSeriesOptions {
  /** aws_region of this instance. */
  region: string;
  /** server_group_name of this instance. */
  serverGroup: string;
  /** Busy time from reportBusy() calls, or this process's event-loop active time (read at scrape). */
  busy: 'reports' | 'event-loop';
  eventLoop?: EluSource;
}

/** One Spark micro-batch as the instrumentation has resolved it (times in Unix ms, NaN when absent). */
export interface RawBatch {
  processedAtMs: number;
  minMs: number;
  avgMs: number;
  maxMs: number;
  numInputRows: number | undefined;
  inputRowsPerSecond: number | undefined;
  processedRowsPerSecond: number | undefined;
  rowsWritten: number | undefined;
}

const PLACE = [...PLACE_LABELS];

export class RawSeries {
  readonly registry: Registry;
  readonly region: string;
  readonly serverGroup: string;
  readonly #calls: Counter;
  readonly #responses: Counter;
  readonly #grpc: Counter;
  readonly #latency: Histogram;
  readonly #busy: Counter;
  readonly #ingest: Counter;
  readonly #ingestLatency: Histogram;
  readonly #ingestOnline: Counter;
  readonly #ingestOffline: Counter;
  readonly #sparkRows: Counter;
  readonly #inputRate: Histogram;
  readonly #processingRate: Histogram;
  readonly #averageAge: Histogram;
  readonly #oldestAge: Gauge;
  readonly #newestAge: Gauge;
  readonly #newestEvent: Gauge;
  readonly #lastBatch: Gauge;
  // Children for this instance's own region, bound once or cached by the values that vary per record.
  readonly #callsHere: ChildCache<CounterChild>;
  readonly #responsesHere: ChildCache<CounterChild>;
  readonly #grpcHere: ChildCache<CounterChild>;
  readonly #latencyHere: ChildCache<HistogramChild>;
  readonly #busyHere: CounterChild;
  readonly #ingestHere: ChildCache<CounterChild>;
  readonly #ingestLatencyHere: HistogramChild;
  readonly #ingestOnlineHere: ChildCache<CounterChild>;
  readonly #ingestOfflineHere: ChildCache<CounterChild>;

  constructor(registry: Registry, options: RawSeriesOptions) {
    const { region, serverGroup } = options;
    if (typeof serverGroup !== 'string' || serverGroup === '') {
      throw new TypeError(`invalid serverGroup ${JSON.stringify(serverGroup)}: pass the server_group_name label, e.g. "default"`);
    }
    this.registry = registry;
    this.region = region;
    this.serverGroup = serverGroup;
    const counter = (name: string, help: string, labels: readonly string[]) => registry.counter({ name, help, labelNames: [...PLACE, ...labels] });
    const histogram = (name: string, help: string, labels: readonly string[], buckets: readonly number[]) =>
      registry.histogram({ name, help, labelNames: [...PLACE, ...labels], buckets });
    const gauge = (name: string, help: string) => registry.gauge({ name, help, labelNames: [...PLACE, ...VIEW_LABELS] });
    this.#calls = counter(RAW.calls, 'Get-features calls answered (a GetFeaturesBatch of n rows is n calls).', SERVICE_LABELS);
    this.#responses = counter(RAW.responses, 'Get-features HTTP requests answered, by HTTP status.', ['status']);
    this.#grpc = counter(RAW.grpcResponses, 'Get-features requests answered, by the gRPC code a gRPC server answers for the same outcome.', ['grpc_code']);
    this.#latency = histogram(RAW.latency, 'Get-features handling time in seconds, by feature service.', SERVICE_LABELS, LATENCY_BUCKETS);
    this.#busy = counter(RAW.busy, 'Seconds the feature server spent handling requests (utilization is its rate).', []);
    this.#ingest = counter(RAW.ingestRequests, 'Stream Ingest API requests answered, by HTTP status.', ['status']);
    this.#ingestLatency = histogram(RAW.ingestLatency, 'Stream Ingest API handling time in seconds.', [], LATENCY_BUCKETS);
    this.#ingestOnline = counter(RAW.ingestOnlineRows, 'Rows the Stream Ingest API wrote to the online store.', VIEW_LABELS);
    this.#ingestOffline = counter(RAW.ingestOfflineRows, 'Rows the Stream Ingest API wrote to the offline store.', VIEW_LABELS);
    this.#sparkRows = counter(RAW.sparkOnlineRows, 'Rows Spark micro-batches wrote to the online store.', VIEW_LABELS);
    this.#inputRate = histogram(RAW.sparkInputRate, "Each micro-batch's reported inputRowsPerSecond.", VIEW_LABELS, ROWS_PER_SECOND_BUCKETS);
    this.#processingRate = histogram(RAW.sparkProcessingRate, "Each micro-batch's reported processedRowsPerSecond.", VIEW_LABELS, ROWS_PER_SECOND_BUCKETS);
    this.#averageAge = histogram(RAW.sparkAverageAge, "Each micro-batch's average event age in seconds (processed time minus eventTime.avg).", VIEW_LABELS, AGE_BUCKETS);
    this.#oldestAge = gauge(RAW.sparkOldestAge, "The last micro-batch's oldest event age in seconds (processed time minus eventTime.min).");
    this.#newestAge = gauge(RAW.sparkNewestAge, "The last micro-batch's newest event age in seconds (processed time minus eventTime.max).");
    this.#newestEvent = gauge(RAW.sparkNewestEventTime, 'Newest event time written to the online store, seconds since the epoch.');
    this.#lastBatch = gauge(RAW.sparkLastBatchTime, 'When the last micro-batch was processed, seconds since the epoch.');
    const here = [region, serverGroup];
    this.#callsHere = new ChildCache(this.#calls, here);
    this.#responsesHere = new ChildCache(this.#responses, here);
    this.#grpcHere = new ChildCache(this.#grpc, here);
    this.#latencyHere = new ChildCache(this.#latency, here);
    this.#busyHere = this.#busy.labels(region, serverGroup);
    this.#ingestHere = new ChildCache(this.#ingest, here);
    this.#ingestLatencyHere = this.#ingestLatency.labels(region, serverGroup);
    this.#ingestOnlineHere = new ChildCache(this.#ingestOnline, here);
    this.#ingestOfflineHere = new ChildCache(this.#ingestOffline, here);
    if (options.busy === 'event-loop') {
      // Event-loop active time is cumulative; each scrape adds what accrued since the last one.
      const source = options.eventLoop ?? nodeEventLoop;
      let last = source().active;
      registry.addCollector(`${RAW.busy}:event-loop`, () => {
        const active = source().active;
        if (active > last) this.#busyHere.inc((active - last) / 1000);
        last = active;
      });
    }
  }

  /** One get-features request: `calls` calls of one service, answered `status` after `latency` s (if served). */
  getFeatures(region: string | undefined, id: string, name: string, status: number, calls: number, latency: number | undefined, grpcCode?: number): void {
    // The code the caller's error body carried, else the one its HTTP status maps to.
    const grpc = grpcCode === undefined ? grpcStatusOf(status) : grpcLabel(grpcCode);
    if (region === undefined || region === this.region) {
      this.#callsHere.get2(id, name).inc(calls);
      this.#responsesHere.get1(status).inc(1);
      this.#grpcHere.get1(grpc).inc(1);
      if (latency !== undefined) this.#latencyHere.get2(id, name).observe(latency);
      return;
    }
    const group = this.serverGroup;
    this.#calls.labels(region, group, id, name).inc(calls);
    this.#responses.labels(region, group, status).inc(1);
    this.#grpc.labels(region, group, grpc).inc(1);
    if (latency !== undefined) this.#latency.labels(region, group, id, name).observe(latency);
  }

  /** Busy time of the feature server, in ms. */
  busy(ms: number, region: string): void {
    (region === this.region ? this.#busyHere : this.#busy.labels(region, this.serverGroup)).inc(ms / 1000);
  }

  /** One Stream Ingest API request. */
  ingest(region: string | undefined, status: number, latency: number | undefined): void {
    const here = region === undefined || region === this.region;
    (here ? this.#ingestHere.get1(status) : this.#ingest.labels(region, this.serverGroup, status)).inc(1);
    if (latency !== undefined) (here ? this.#ingestLatencyHere : this.#ingestLatency.labels(region, this.serverGroup)).observe(latency);
  }

  /** Rows one ingest request wrote for one feature view. */
  ingestRows(workspace: string, viewName: string, viewId: string, online: number | undefined, offline: number | undefined): void {
    if (online !== undefined) this.#ingestOnlineHere.get3(workspace, viewName, viewId).inc(online);
    if (offline !== undefined) this.#ingestOfflineHere.get3(workspace, viewName, viewId).inc(offline);
  }

  /** One Spark micro-batch of a feature view. Runs per batch (seconds apart), so binding by labels() is fine. */
  sparkBatch(view: readonly [string, string, string], batch: RawBatch): void {
    const labels = [this.region, this.serverGroup, ...view] as const;
    const processed = batch.processedAtMs;
    if (Number.isFinite(processed)) this.#lastBatch.labels(...labels).set(processed / 1000);
    if (Number.isFinite(batch.minMs)) this.#oldestAge.labels(...labels).set(ageSeconds(processed, batch.minMs));
    if (Number.isFinite(batch.avgMs)) this.#averageAge.labels(...labels).observe(ageSeconds(processed, batch.avgMs));
    if (Number.isFinite(batch.maxMs)) {
      this.#newestAge.labels(...labels).set(ageSeconds(processed, batch.maxMs));
      if ((batch.numInputRows ?? 1) > 0) {
        const child = this.#newestEvent.labels(...labels);
        // The newest time ever written: an older batch never moves it back.
        if (!(child.value >= batch.maxMs / 1000)) child.set(batch.maxMs / 1000);
      }
    }
    if (batch.inputRowsPerSecond !== undefined && batch.inputRowsPerSecond >= 0) this.#inputRate.labels(...labels).observe(batch.inputRowsPerSecond);
    if (batch.processedRowsPerSecond !== undefined && batch.processedRowsPerSecond >= 0) this.#processingRate.labels(...labels).observe(batch.processedRowsPerSecond);
    if (batch.rowsWritten !== undefined) this.#sparkRows.labels(...labels).inc(batch.rowsWritten);
  }
}

/** Seconds from `from` to `to`, never negative (clock skew must not read as a negative age). */
function ageSeconds(to: number, from: number): number {
  const seconds = (to - from) / 1000;
  return seconds > 0 ? seconds : 0;
}

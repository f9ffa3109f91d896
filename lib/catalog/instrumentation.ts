// The instrumentation API the feature platform calls, one method per event, so families stay hidden.
// Default-region series are bound once, per-service / per-view ones cached by id (child-cache.ts): a record
// on known series is Map reads and slot adds, ~0.1 µs, no allocation of its own (V8 may box a fractional
// latency, 16 bytes). Records never throw: a malformed record or bad number is refused, counted and warned once.
import type { Registry } from '../registry.js';
import type { Family } from '../metrics/family.js';
import type { Summary, SummaryChild } from '../metrics/summary.js';
import type { AverageGauge, MaxGauge, RateGauge, RateGaugeChild, RatioGauge, RatioGaugeChild, UtilizationGauge, UtilizationGaugeChild } from '../metrics/windowed-gauges.js';
import type { AgeGauge } from './age.js';
import type { Catalog } from './catalog.js';
import type { CatalogFamiliesOptions } from './families.js';
import { AddedMetrics } from './added-metrics.js';
import { CATALOG_0_7 } from './catalog-0.7.js';
import { loadCatalog } from './catalog.js';
import { ChildCache } from './child-cache.js';
import { CatalogFamilies } from './families.js';
import { RawSeries } from './raw-series.js';

/** A wall-clock time: Unix epoch milliseconds, an ISO-8601 string (as Spark reports) or a Date. */
export type TimeInput = number | string | Date;

export interface GetFeaturesRecord {
  featureServiceId: string;
  featureServiceName: string;
  /** Defaults to the instrumentation's region. */
  region?: string;
  /** End-to-end serving latency; omit it for requests refused before they were served (bad key, oversize). */
  latencySeconds?: number;
  /** HTTP status answered; 400 and above count towards feature_server_errors_rate. */
  status: number;
  /**
   * gRPC status code answered, for feature_server_errors_rate_grpc (any code but OK, 0, is an error).
   * Default: the code the HTTP status maps to, as the error body's `code` carries it (grpc-status.ts).
   */
  grpcCode?: number;
  /**
   * Get-features calls this request stands for: 1 for GetFeatures (default), the batch size for
   * GetFeaturesBatch. The request rates count these, as the Metrics API translates a batch into calls.
   */
  rows?: number;
}

export interface FeatureViewRows {
  workspace: string;
  featureViewName: string;
  featureViewId: string;
  /** Rows this request wrote to the online store. */
  onlineRows?: number;
  /** Rows this request wrote to the offline store. */
  offlineRows?: number;
}

export interface IngestRecord {
  /** Defaults to the instrumentation's region. */
  region?: string;
  /** Time to answer; omit it for requests refused before they were served (bad key, oversize), which still count. */
  latencySeconds?: number;
  /** HTTP status answered; 4xx and 5xx count as errors under error_code "4xx" / "5xx". */
  status: number;
  /** Rows written per feature view (a failed request usually wrote none). */
  rowsByFeatureView?: readonly FeatureViewRows[];
}

/**
 * One micro-batch of a Spark structured-streaming query, in the shape of Spark's StreamingQueryProgress
 * (`numInputRows`, `inputRowsPerSecond`, `processedRowsPerSecond`, `eventTime.{min,avg,max,watermark}`,
 * `timestamp`), plus the feature view it materializes and the rows its sink wrote to the online store.
 */
export interface StreamProgress {
  workspace: string;
  featureViewName: string;
  featureViewId: string;
  numInputRows?: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  /**
   * Event-time statistics of the batch; Spark leaves it empty when the batch had no rows. `watermark`
   * is accepted so a progress object can be passed as it is; no 0.7 metric reads it.
   */
  eventTime?: { min?: TimeInput; avg?: TimeInput; max?: TimeInput; watermark?: TimeInput };
  /** Rows written to the online store (the sink's numOutputRows). */
  rowsWritten?: number;
  /** When the batch was processed; ages are measured from it. Default: now. */
  timestamp?: TimeInput;
}

export interface InstrumentationOptions extends CatalogFamiliesOptions {
  /** The aws_region label of this deployment, e.g. `us-west-2`. */
  region: string;
  /** Default: the 0.7 catalog. */
  catalog?: Catalog;
  /** Where the raw per-instance series go (served at GET /metrics for an engine to scrape); none without it. */
  raw?: Registry;
  /** The server_group_name label of the per-server-group rates (catalog 0.9 and later) and of the raw series. Default `default`. */
  serverGroup?: string;
}

/** The server group a server belongs to when none is named. */
export const DEFAULT_SERVER_GROUP = 'default';

const REGION = ['aws_region'];
const SERVICE = ['feature_service_id', 'feature_service_name'];
const FEATURE_VIEW = ['workspace', 'feature_view_name', 'feature_view_id'];

/** Registers the catalog's families in `registry` and returns the API that feeds them. */
export function instrumentCatalog(registry: Registry, options: InstrumentationOptions): MetricsInstrumentation {
  const catalog = options.catalog ?? loadCatalog(CATALOG_0_7);
  const families = new CatalogFamilies(registry, catalog, options);
  const raw =
    options.raw &&
    new RawSeries(options.raw, {
      region: options.region,
      serverGroup: options.serverGroup ?? DEFAULT_SERVER_GROUP,
      busy: options.utilization === 'reports' ? 'reports' : 'event-loop',
      ...(options.eventLoop === undefined ? {} : { eventLoop: options.eventLoop }),
    });
  return new MetricsInstrumentation(families, options.region, registry.clock.wallMs.bind(registry.clock), options.serverGroup, raw);
}

export class MetricsInstrumentation {
  readonly region: string;
  readonly serverGroup: string;
  readonly families: CatalogFamilies;
  /** The raw series recorded next to the catalog's families, when asked for (InstrumentationOptions.raw). */
  readonly raw: RawSeries | undefined;
  readonly #wallMs: () => number;
  readonly #added: AddedMetrics;
  readonly #requestsTotal: RateGauge | undefined;
  readonly #requestsByService: RateGauge | undefined;
  readonly #latencyTotal: Summary | undefined;
  readonly #latencyByService: Summary | undefined;
  readonly #errors: RatioGauge | undefined;
  readonly #utilization: UtilizationGauge | undefined;
  readonly #maxEventAge: MaxGauge | undefined;
  readonly #averageEventAge: AverageGauge | undefined;
  readonly #inputRate: AverageGauge | undefined;
  readonly #processingRate: AverageGauge | undefined;
  readonly #servedAge: AgeGauge | undefined;
  readonly #sparkOnlineWrites: RateGauge | undefined;
  readonly #ingestRate: RateGauge | undefined;
  readonly #ingestLatency: Summary | undefined;
  readonly #ingestErrors: RateGauge | undefined;
  readonly #ingestOnlineWrites: RateGauge | undefined;
  readonly #ingestOfflineWrites: RateGauge | undefined;
  // Bound once for the default region (`Here`), or cached by the ids that vary per record.
  readonly #requestsTotalHere: RateGaugeChild | undefined;
  readonly #utilizationHere: UtilizationGaugeChild | undefined;
  readonly #ingestRateHere: RateGaugeChild | undefined;
  #ingestLatencyHere: SummaryChild | undefined; // bound at the first ingest: the series appears with traffic
  readonly #ingestErrorsHere: ChildCache<RateGaugeChild> | undefined;
  readonly #requestsByServiceHere: ChildCache<RateGaugeChild> | undefined;
  readonly #latencyByServiceCache: ChildCache<SummaryChild> | undefined;
  readonly #errorsByStatus: ChildCache<RatioGaugeChild> | undefined;
  readonly #ingestOnlineByView: ChildCache<RateGaugeChild> | undefined;
  readonly #ingestOfflineByView: ChildCache<RateGaugeChild> | undefined;

  /** Prefer instrumentCatalog(); this binds to families already registered. */
  constructor(families: CatalogFamilies, region: string, wallMs: () => number = Date.now, serverGroup: string = DEFAULT_SERVER_GROUP, raw?: RawSeries) {
    if (typeof region !== 'string' || region === '') throw new TypeError(`invalid region ${JSON.stringify(region)}: pass the aws_region label, e.g. "us-west-2"`);
    if (typeof serverGroup !== 'string' || serverGroup === '') {
      throw new TypeError(`invalid serverGroup ${JSON.stringify(serverGroup)}: pass the server_group_name label, e.g. "default", or omit it`);
    }
    this.region = region;
    this.serverGroup = serverGroup;
    this.#added = new AddedMetrics(families, region, serverGroup);
    this.families = families;
    this.raw = raw;
    this.#wallMs = wallMs;
    this.#requestsTotal = families.get('feature_service_requests_total_rate', 'rate', REGION);
    this.#requestsByService = families.get('feature_service_requests_rate', 'rate', [...REGION, ...SERVICE]);
    this.#latencyTotal = families.get('feature_service_total_latency', 'summary', []);
    this.#latencyByService = families.get('feature_service_latency', 'summary', SERVICE);
    this.#errors = families.get('feature_server_errors_rate', 'ratio', ['status']);
    this.#utilization = families.get('feature_server_utilization', 'utilization', REGION);
    this.#maxEventAge = families.get('spark_stream_max_processed_event_age', 'max', FEATURE_VIEW);
    this.#averageEventAge = families.get('spark_stream_average_processed_event_age', 'average', FEATURE_VIEW);
    this.#inputRate = families.get('spark_stream_input_rate', 'average', FEATURE_VIEW);
    this.#processingRate = families.get('spark_stream_processing_rate', 'average', FEATURE_VIEW);
    this.#servedAge = families.get('spark_stream_served_feature_age', 'age', FEATURE_VIEW);
    this.#sparkOnlineWrites = families.get('spark_stream_online_store_write_rate', 'rate', FEATURE_VIEW);
    this.#ingestRate = families.get('stream_ingestapi_request_rate', 'rate', REGION);
    this.#ingestLatency = families.get('stream_ingestapi_request_processing_latency', 'summary', REGION);
    this.#ingestErrors = families.get('stream_ingestapi_request_processing_error_rate', 'rate', [...REGION, 'error_code']);
    this.#ingestOnlineWrites = families.get('stream_ingestapi_online_store_write_rate', 'rate', FEATURE_VIEW);
    this.#ingestOfflineWrites = families.get('stream_ingestapi_offline_store_write_rate', 'rate', FEATURE_VIEW);
    // Region-level series exist from the start, so dashboards see 0 rather than nothing at idle.
    this.#requestsTotalHere = this.#requestsTotal?.labels(region);
    this.#utilizationHere = this.#utilization?.labels(region);
    this.#ingestRateHere = this.#ingestRate?.labels(region);
    // Error series appear with the first error of their class, so they are cached rather than bound here.
    this.#ingestErrorsHere = this.#ingestErrors && new ChildCache(this.#ingestErrors, [region]);
    this.#requestsByServiceHere = this.#requestsByService && new ChildCache(this.#requestsByService, [region]);
    this.#latencyByServiceCache = this.#latencyByService && new ChildCache(this.#latencyByService);
    this.#errorsByStatus = this.#errors && new ChildCache(this.#errors);
    this.#ingestOnlineByView = this.#ingestOnlineWrites && new ChildCache(this.#ingestOnlineWrites);
    this.#ingestOfflineByView = this.#ingestOfflineWrites && new ChildCache(this.#ingestOfflineWrites);
  }

  /** One get-features request (GetFeatures or GetFeaturesBatch), after it was answered or refused. */
  recordGetFeatures(record: GetFeaturesRecord): void {
    if (typeof record !== 'object' || record === null) {
      return refuse(this.#requestsTotal, 'recordGetFeatures', record, 'a record must be an object like { featureServiceId, featureServiceName, status, latencySeconds }');
    }
    const id = record.featureServiceId;
    const name = record.featureServiceName;
    const calls = record.rows ?? 1;
    const region = record.region;
    if (region === undefined || region === this.region) {
      this.#requestsTotalHere?.mark(calls);
      this.#requestsByServiceHere?.get2(id, name).mark(calls);
    } else {
      this.#requestsTotal?.labels(region).mark(calls);
      this.#requestsByService?.labels(region, id, name).mark(calls);
    }
    const latency = record.latencySeconds;
    if (latency !== undefined) {
      this.#latencyTotal?.observe(latency);
      this.#latencyByServiceCache?.get2(id, name).observe(latency);
    }
    this.raw?.getFeatures(region, id, name, record.status, calls, latency, record.grpcCode);
    if (this.#errors !== undefined) {
      this.#errors.markTotal(1);
      if (record.status >= 400) this.#errorsByStatus!.get1(record.status).mark(1);
    }
    this.#added.getFeatures(region, id, name, calls, record.status, record.grpcCode);
  }

  /** One Stream Ingest API request, after it was answered or refused. */
  recordIngest(record: IngestRecord): void {
    if (typeof record !== 'object' || record === null) {
      return refuse(this.#ingestRate, 'recordIngest', record, 'a record must be an object like { status, latencySeconds, rowsByFeatureView }');
    }
    const region = record.region;
    const here = region === undefined || region === this.region;
    (here ? this.#ingestRateHere : this.#ingestRate?.labels(region))?.mark(1);
    const latency = record.latencySeconds;
    this.raw?.ingest(region, record.status, latency);
    if (latency !== undefined) (here ? (this.#ingestLatencyHere ??= this.#ingestLatency?.labels(this.region)) : this.#ingestLatency?.labels(region))?.observe(latency);
    if (record.status >= 400) {
      const code = record.status >= 500 ? '5xx' : '4xx';
      (here ? this.#ingestErrorsHere?.get1(code) : this.#ingestErrors?.labels(region, code))?.mark(1);
    }
    const rows = record.rowsByFeatureView;
    if (rows === undefined) return;
    if (!Array.isArray(rows)) return refuse(this.#ingestOnlineWrites, 'recordIngest', rows, 'rowsByFeatureView must be an array of { workspace, featureViewName, featureViewId, onlineRows, offlineRows }');
    for (let i = 0; i < rows.length; i++) {
      const view = rows[i] as FeatureViewRows | null | undefined;
      if (typeof view !== 'object' || view === null) {
        refuse(this.#ingestOnlineWrites, 'recordIngest', view, `rowsByFeatureView[${i}] must be an object like { workspace, featureViewName, featureViewId, onlineRows }`);
        continue;
      }
      if (view.onlineRows !== undefined) this.#ingestOnlineByView?.get3(view.workspace, view.featureViewName, view.featureViewId).mark(view.onlineRows);
      if (view.offlineRows !== undefined) this.#ingestOfflineByView?.get3(view.workspace, view.featureViewName, view.featureViewId).mark(view.offlineRows);
      this.raw?.ingestRows(view.workspace, view.featureViewName, view.featureViewId, view.onlineRows, view.offlineRows);
    }
  }

  /**
   * One Spark micro-batch. Ages are measured from `timestamp` (default now): the oldest event of the
   * batch gives the max age, the average event time the average age, the newest event the min age (1.1),
   * and the newest event time ever
   * written is what spark_stream_served_feature_age counts from at each scrape. The input and
   * processing rates average Spark's own per-batch rates over the window; a negative rate is refused.
   * Runs per batch (seconds apart), so parsing ISO times and allocating here is fine.
   */
  recordStreamProgress(progress: StreamProgress): void {
    if (typeof progress !== 'object' || progress === null) {
      return refuse(this.#inputRate, 'recordStreamProgress', progress, 'a progress report must be an object like { workspace, featureViewName, featureViewId, eventTime }');
    }
    const view = [progress.workspace, progress.featureViewName, progress.featureViewId] as const;
    const processedAt = progress.timestamp === undefined ? this.#wallMs() : toWallMs(progress.timestamp);
    const eventTime = typeof progress.eventTime === 'object' && progress.eventTime !== null ? progress.eventTime : {};
    if (eventTime.min !== undefined) this.#maxEventAge?.labels(...view).record(age(processedAt, toWallMs(eventTime.min)));
    if (eventTime.avg !== undefined) this.#averageEventAge?.labels(...view).record(age(processedAt, toWallMs(eventTime.avg)));
    if (eventTime.max !== undefined) this.#added.minEventAge(view, age(processedAt, toWallMs(eventTime.max)));
    this.#recordRate(this.#inputRate, view, 'inputRowsPerSecond', progress.inputRowsPerSecond);
    this.#recordRate(this.#processingRate, view, 'processedRowsPerSecond', progress.processedRowsPerSecond);
    if (progress.rowsWritten !== undefined) this.#sparkOnlineWrites?.labels(...view).mark(progress.rowsWritten);
    if (eventTime.max !== undefined && (progress.numInputRows ?? 1) > 0) this.#servedAge?.touch(view, toWallMs(eventTime.max));
    this.raw?.sparkBatch(view, {
      processedAtMs: processedAt,
      minMs: eventTime.min === undefined ? NaN : toWallMs(eventTime.min),
      avgMs: eventTime.avg === undefined ? NaN : toWallMs(eventTime.avg),
      maxMs: eventTime.max === undefined ? NaN : toWallMs(eventTime.max),
      numInputRows: progress.numInputRows,
      inputRowsPerSecond: progress.inputRowsPerSecond,
      processedRowsPerSecond: progress.processedRowsPerSecond,
      rowsWritten: progress.rowsWritten,
    });
  }

  /** Drops a feature view's spark_stream_* series, e.g. once it has stopped reporting (the platform expires idle views). */
  forgetStreamView(view: { workspace: string; featureViewName: string; featureViewId: string }): void {
    const labels = [view.workspace, view.featureViewName, view.featureViewId] as const;
    for (const family of [this.#maxEventAge, this.#averageEventAge, this.#inputRate, this.#processingRate, this.#sparkOnlineWrites]) family?.remove(...labels);
    this.#servedAge?.forget(labels);
  }

  /** Busy time of a feature server in `region` (utilization source "reports" only). */
  reportServerBusy(ms: number, region: string = this.region): void {
    (region === this.region ? this.#utilizationHere : this.#utilization?.labels(region))?.reportBusy(ms);
    this.#added.serverBusy(ms, region);
    this.raw?.busy(ms, region);
  }

  /** Spark's rows-per-second figures: a rate below 0 is a broken report, not a slow stream. */
  #recordRate(family: AverageGauge | undefined, view: readonly [string, string, string], field: string, rate: number | undefined): void {
    if (rate === undefined || family === undefined) return;
    if (typeof rate === 'number' && rate < 0) return family.refuseRecord('record', rate, `${field} must be >= 0 rows per second`);
    family.labels(...view).record(rate);
  }
}

/**
 * Reports a record refused whole to the family it would have fed first, which counts it (in
 * omen_records_rejected_total) and warns once per kind; dropped silently if the catalog lacks that family.
 */
function refuse(family: Pick<Family<never>, 'refuseRecord'> | undefined, operation: string, value: unknown, rule: string): void {
  family?.refuseRecord(operation, value, rule);
}

/** Seconds from `from` to `to` (both Unix ms), never negative: a clock skew must not read as a negative age. */
function age(to: number, from: number): number {
  const seconds = (to - from) / 1000;
  return seconds > 0 ? seconds : seconds === seconds ? 0 : NaN;
}

/** Unix ms, or NaN for anything that is not a time (refused downstream, never thrown). */
function toWallMs(time: TimeInput): number {
  if (typeof time === 'number') return time;
  if (time instanceof Date) return time.getTime();
  return typeof time === 'string' ? Date.parse(time) : Number.NaN;
}

// The metrics catalog 0.9 and 1.1 add to 0.7's, fed from the records MetricsInstrumentation already gets:
// request rates per server group, errors by gRPC code, average and minimum utilization (one process is a
// fleet of one, so max = average = minimum), and the minimum event age. Per record on known series: Map
// reads and slot adds, no allocation. Always: a metric the loaded catalog lacks is skipped, never an error.
import type { MinGauge, RateGauge, RateGaugeChild, RatioGauge, RatioGaugeChild, UtilizationGauge, UtilizationGaugeChild } from '../metrics/windowed-gauges.js';
import type { CatalogFamilies } from './families.js';
import { ChildCache } from './child-cache.js';
import { grpcCodeForHttp } from './grpc-status.js';

const REGION = ['aws_region'];
const GROUP = ['aws_region', 'server_group_name'];
const SERVICE = ['feature_service_id', 'feature_service_name'];
const FEATURE_VIEW = ['workspace', 'feature_view_name', 'feature_view_id'];

export class AddedMetrics {
  readonly #region: string;
  readonly #serverGroup: string;
  readonly #groupTotal: RateGauge | undefined;
  readonly #groupByService: RateGauge | undefined;
  readonly #grpcErrors: RatioGauge | undefined;
  readonly #averageUtilization: UtilizationGauge | undefined;
  readonly #minimumUtilization: UtilizationGauge | undefined;
  readonly #minEventAge: MinGauge | undefined;
  // Bound once for the default region and server group, or cached by the values that vary per record.
  readonly #groupTotalHere: RateGaugeChild | undefined;
  readonly #groupByServiceHere: ChildCache<RateGaugeChild> | undefined;
  readonly #grpcErrorsByCode: ChildCache<RatioGaugeChild> | undefined;
  readonly #averageHere: UtilizationGaugeChild | undefined;
  readonly #minimumHere: UtilizationGaugeChild | undefined;

  constructor(families: CatalogFamilies, region: string, serverGroup: string) {
    this.#region = region;
    this.#serverGroup = serverGroup;
    this.#groupTotal = families.get('feature_service_requests_total_rate_per_server_group', 'rate', GROUP);
    this.#groupByService = families.get('feature_service_requests_rate_per_server_group', 'rate', [...GROUP, ...SERVICE]);
    this.#grpcErrors = families.get('feature_server_errors_rate_grpc', 'ratio', ['status']);
    this.#averageUtilization = families.get('feature_server_average_utilization', 'utilization', REGION);
    this.#minimumUtilization = families.get('feature_server_minimum_utilization', 'utilization', REGION);
    this.#minEventAge = families.get('spark_stream_min_processed_event_age', 'min', FEATURE_VIEW);
    // Like the region-level series of 0.7, these exist from the start, so dashboards see 0 at idle.
    this.#groupTotalHere = this.#groupTotal?.labels(region, serverGroup);
    this.#averageHere = this.#averageUtilization?.labels(region);
    this.#minimumHere = this.#minimumUtilization?.labels(region);
    this.#groupByServiceHere = this.#groupByService && new ChildCache(this.#groupByService, [region, serverGroup]);
    this.#grpcErrorsByCode = this.#grpcErrors && new ChildCache(this.#grpcErrors);
  }

  /**
   * One get-features request of `calls` calls. Its gRPC code is `grpcCode` when the server knows it (a gRPC
   * transport), else the one its HTTP status maps to (grpc-status.ts); any code but OK (0) is an error.
   */
  getFeatures(region: string | undefined, id: string, name: string, calls: number, status: number, grpcCode: number | undefined): void {
    if (region === undefined || region === this.#region) {
      this.#groupTotalHere?.mark(calls);
      this.#groupByServiceHere?.get2(id, name).mark(calls);
    } else {
      this.#groupTotal?.labels(region, this.#serverGroup).mark(calls);
      this.#groupByService?.labels(region, this.#serverGroup, id, name).mark(calls);
    }
    if (this.#grpcErrors === undefined) return;
    this.#grpcErrors.markTotal(1);
    const code = grpcCode ?? grpcCodeForHttp(status);
    if (code !== 0) this.#grpcErrorsByCode!.get1(code).mark(1);
  }

  /** Busy time of this server: the same report feeds the average and minimum (source "reports" only). */
  serverBusy(ms: number, region: string): void {
    const here = region === this.#region;
    if (this.#averageUtilization?.source === 'reports') (here ? this.#averageHere : this.#averageUtilization.labels(region))?.reportBusy(ms);
    if (this.#minimumUtilization?.source === 'reports') (here ? this.#minimumHere : this.#minimumUtilization.labels(region))?.reportBusy(ms);
  }

  /** The age of the newest event of a Spark batch (processing time − eventTime.max), in seconds. */
  minEventAge(view: readonly [string, string, string], seconds: number): void {
    this.#minEventAge?.labels(...view).record(seconds);
  }
}

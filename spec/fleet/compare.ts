// The checks that say a fleet catalog is the instances' own catalogs combined: sums of rates, per-group sums,
// utilization max/avg/min, p99 bounded by the instances' p99s, request-weighted error percentages. Shared by
// the Prometheus and VictoriaMetrics specs. Each check returns a line per failure, so a spec reports them all.
import type { VectorSample } from '../../lib/fleet/prometheus-client.js';
import type { Series } from './support.js';
import { LATENCY_BUCKETS } from '../../lib/catalog/raw-names.js';
import { GAUGE_QUERIES } from '../../lib/fleet/queries.js';
import { valueOf } from './support.js';

export const REGION = 'us-west-2';
/** Sums may differ this much: the engine's range and an instance's window end a scrape interval apart. */
export const SUM_TOLERANCE = 0.15;

export interface FleetSnapshot {
  /** Each instance's own catalog (its Metrics API), read at about the same moment as `fleet`. */
  locals: Series[][];
  /** The fleet catalog (what `--source prometheus` serves, or FleetSource evaluated in process). */
  fleet: Series[];
  /** Each instance's server group, by index. */
  groups: readonly string[];
  /** The catalog names 0.7 lacks, evaluated on the engine at the same moment (see directQueries). */
  direct: DirectResults;
}

export interface DirectResults {
  perGroup: VectorSample[];
  average: VectorSample[];
  minimum: VectorSample[];
}

/** Evaluates the later catalogs' per-group rate and average / minimum utilization with `query`. */
export async function directQueries(query: (expr: string) => Promise<VectorSample[]>, window: string): Promise<DirectResults> {
  const [perGroup, average, minimum] = await Promise.all([
    query(GAUGE_QUERIES.feature_service_requests_total_rate_per_server_group!('aws_region, server_group_name', window)),
    query(GAUGE_QUERIES.feature_server_average_utilization!('aws_region', window)),
    query(GAUGE_QUERIES.feature_server_minimum_utilization!('aws_region', window)),
  ]);
  return { perGroup, average, minimum };
}

/** Every check; the lines say what differed and by how much. */
export function compareFleet(s: FleetSnapshot): string[] {
  const failures: string[] = [];
  const near = (what: string, got: number | undefined, want: number, tolerance = SUM_TOLERANCE, floor = 0) => {
    if (got === undefined || !(Math.abs(got - want) <= Math.max(floor, tolerance * Math.abs(want)))) failures.push(`${what}: fleet ${got}, instances ${want.toFixed(4)}`);
  };
  const local = (i: number, name: string, labels: Record<string, string> = {}) => valueOf(s.locals[i]!, name, labels) ?? 0;
  const indexes = s.locals.map((_, i) => i);
  const sum = (f: (i: number) => number, only = indexes) => only.reduce((total, i) => total + f(i), 0);

  // Rates: the fleet's is the sum of the instances'.
  const totals = indexes.map((i) => local(i, 'feature_service_requests_total_rate', { aws_region: REGION }));
  near('feature_service_requests_total_rate', valueOf(s.fleet, 'feature_service_requests_total_rate', { aws_region: REGION }), sum((i) => totals[i]!));
  for (const series of s.locals[0]!.filter((x) => x.name === 'feature_service_requests_rate' && x.value > 5)) {
    const labels = { feature_service_id: series.labels.feature_service_id!, feature_service_name: series.labels.feature_service_name! };
    near(`feature_service_requests_rate{${labels.feature_service_name}}`, valueOf(s.fleet, 'feature_service_requests_rate', labels), sum((i) => local(i, 'feature_service_requests_rate', labels)));
  }
  near('stream_ingestapi_request_rate', valueOf(s.fleet, 'stream_ingestapi_request_rate', { aws_region: REGION }), sum((i) => local(i, 'stream_ingestapi_request_rate')));
  for (const series of s.locals[0]!.filter((x) => x.name === 'spark_stream_online_store_write_rate' && x.value > 5)) {
    const view = { feature_view_id: series.labels.feature_view_id! };
    near(`spark_stream_online_store_write_rate{${series.labels.feature_view_name}}`, valueOf(s.fleet, 'spark_stream_online_store_write_rate', view), sum((i) => local(i, 'spark_stream_online_store_write_rate', view)));
  }

  // Per server group (0.9): the sum over that group's instances only.
  const { perGroup, average, minimum } = s.direct;
  for (const group of new Set(s.groups)) {
    const members = indexes.filter((i) => s.groups[i] === group);
    near(`feature_service_requests_total_rate_per_server_group{${group}}`, perGroup.find((x) => x.labels.server_group_name === group)?.value, sum((i) => totals[i]!, members));
  }

  // Utilization: the fleet's max / avg / min of the instances' values (percent; 1 point of slack at low load).
  const utilization = indexes.map((i) => local(i, 'feature_server_utilization', { aws_region: REGION }));
  near('feature_server_utilization (max)', valueOf(s.fleet, 'feature_server_utilization', { aws_region: REGION }), Math.max(...utilization), 0.3, 1);
  near('feature_server_average_utilization', average[0]?.value, sum((i) => utilization[i]!) / utilization.length, 0.3, 1);
  near('feature_server_minimum_utilization', minimum[0]?.value, Math.min(...utilization), 0.3, 1);

  // p99: between the smallest and largest instance p99, widened to the bucket each lies in.
  const p99s = indexes.map((i) => local(i, 'feature_service_total_latency', { quantile: '0.99' }));
  const low = bucketBelow(Math.min(...p99s));
  const high = bucketAbove(Math.max(...p99s));
  const fleetP99 = valueOf(s.fleet, 'feature_service_total_latency', { quantile: '0.99' });
  if (fleetP99 === undefined || !(fleetP99 >= low && fleetP99 <= high)) failures.push(`fleet p99 ${fleetP99} outside [${low}, ${high}] (instance p99s ${p99s.join(', ')})`);

  // Error percentages: the instances' percentages weighted by their request rates, not their plain mean.
  for (const series of s.fleet.filter((x) => x.name === 'feature_server_errors_rate')) {
    const status = { status: series.labels.status! };
    const weighted = sum((i) => local(i, 'feature_server_errors_rate', status) * totals[i]!) / sum((i) => totals[i]!);
    near(`feature_server_errors_rate{status=${status.status}}`, series.value, weighted, SUM_TOLERANCE, 0.3);
  }
  if (!s.fleet.some((x) => x.name === 'feature_server_errors_rate')) failures.push('the fleet has no feature_server_errors_rate series, though the demo answers 400s and 404s');
  return failures;
}

/** The bucket bound at or below `x` (the low edge of the bucket `x` falls in), 0 below the first. */
export function bucketBelow(x: number): number {
  let edge = 0;
  for (const bound of LATENCY_BUCKETS) if (bound < x) edge = bound;
  return edge;
}

/** The bucket bound at or above `x` (the high edge of the bucket `x` falls in). */
export function bucketAbove(x: number): number {
  for (const bound of LATENCY_BUCKETS) if (bound >= x) return bound;
  return Infinity;
}

// The `omen serve` options for fleets: where the catalog comes from (this process, or a metrics engine over
// its Prometheus query API), the raw series at /metrics, and an instance's identity. Runs once at startup.
// Always: a bad value is a UsageError naming the flag, the value and the accepted form.
import type { Catalog } from '../catalog/catalog.js';
import type { Registry } from '../registry.js';
import type { MetricsServer } from '../server/server.js';
import { FleetSource } from '../fleet/fleet-source.js';
import { parseDuration } from '../fleet/duration.js';
import { PrometheusClient } from '../fleet/prometheus-client.js';
import { metricsRoute } from '../server/metrics-route.js';
import { UsageError } from './verb.js';

/** Where an engine scrapes an instance's raw series. */
export const RAW_METRICS_PATH = '/metrics';
export const DEFAULT_WINDOW = '5m';
export const DEFAULT_CACHE_TTL = '5s';
export const DEFAULT_QUERY_TIMEOUT = '10s';
export const DEFAULT_SERVER_GROUP = 'default';

/** parseArgs option specs for these flags (merged into `omen serve`'s own). */
export const FLEET_FLAG_SPECS = {
  source: { type: 'string' },
  'prometheus-url': { type: 'string' },
  'prometheus-header': { type: 'string', multiple: true },
  window: { type: 'string' },
  'cache-ttl': { type: 'string' },
  'query-timeout': { type: 'string' },
  instance: { type: 'string' },
  'server-group': { type: 'string' },
  'metrics-auth': { type: 'string' },
} as const;

export const FLEET_USAGE = `  --source S         where the catalog comes from: process (default, this process's instrumentation)
                     or prometheus (a metrics engine's query API: Prometheus, VictoriaMetrics, Thanos, Mimir)
  --prometheus-url U the engine's query API, e.g. http://127.0.0.1:9090 (with --source prometheus)
  --prometheus-header 'Name: value'  sent with every query (repeatable: tenant header, bearer token)
  --window D         range of rates, ratios and quantiles (default ${DEFAULT_WINDOW}); with --demo, the window of
                     this process's windowed gauges
  --cache-ttl D      how long one engine evaluation answers scrapes (default ${DEFAULT_CACHE_TTL})
  --query-timeout D  longest wait for the engine before answering 503 (default ${DEFAULT_QUERY_TIMEOUT})
  --instance ID      this instance's id (demo traffic seed, offline store folder, banner)
  --server-group N   the server_group_name of this instance's raw series (default ${DEFAULT_SERVER_GROUP})
  --metrics-auth A   key (default: GET ${RAW_METRICS_PATH} wants a Tecton-key) or none`;

export interface FleetFlags {
  source: 'process' | 'prometheus';
  prometheusUrl: string | undefined;
  headers: [string, string][];
  /** Set only when --window was given. */
  windowMs: number | undefined;
  cacheTtlMs: number;
  queryTimeoutMs: number;
  instance: string | undefined;
  serverGroup: string;
  metricsAuth: 'key' | 'none';
}

type Values = { [K in keyof typeof FLEET_FLAG_SPECS]?: (typeof FLEET_FLAG_SPECS)[K] extends { multiple: true } ? string[] : string };

export function parseFleetFlags(values: Values, demo: boolean): FleetFlags {
  const source = values.source ?? 'process';
  if (source !== 'process' && source !== 'prometheus') throw new UsageError(`invalid --source ${JSON.stringify(source)}: must be process or prometheus`);
  const prometheusUrl = values['prometheus-url'];
  if (source === 'prometheus' && prometheusUrl === undefined) throw new UsageError('--source prometheus needs --prometheus-url, e.g. http://127.0.0.1:9090');
  if (source === 'process' && prometheusUrl !== undefined) throw new UsageError('--prometheus-url is for --source prometheus; add --source prometheus or drop it');
  if (source === 'prometheus' && demo) throw new UsageError('--demo runs one instance and --source prometheus serves a fleet; run them as separate processes');
  const headers = (values['prometheus-header'] ?? []).map((header): [string, string] => {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(header);
    if (match === null || /[\r\n]/.test(header)) throw new UsageError(`invalid --prometheus-header ${JSON.stringify(header)}: must be 'Name: value' on one line`);
    return [match[1]!, match[2]!.trim()];
  });
  const serverGroup = values['server-group'] ?? DEFAULT_SERVER_GROUP;
  if (serverGroup.trim() === '') throw new UsageError('invalid --server-group "": pass the server_group_name label, e.g. default');
  const instance = values.instance;
  if (instance !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(instance)) throw new UsageError(`invalid --instance ${JSON.stringify(instance)}: 1-64 letters, digits, ".", "_" or "-"`);
  const metricsAuth = values['metrics-auth'] ?? 'key';
  if (metricsAuth !== 'key' && metricsAuth !== 'none') throw new UsageError(`invalid --metrics-auth ${JSON.stringify(metricsAuth)}: must be key or none`);
  return {
    source,
    prometheusUrl,
    headers,
    windowMs: values.window === undefined ? undefined : duration(values.window, '--window'),
    cacheTtlMs: values['cache-ttl'] === '0' ? 0 : duration(values['cache-ttl'] ?? DEFAULT_CACHE_TTL, '--cache-ttl'),
    queryTimeoutMs: duration(values['query-timeout'] ?? DEFAULT_QUERY_TIMEOUT, '--query-timeout'),
    instance,
    serverGroup,
    metricsAuth,
  };
}

/** The engine-backed catalog source and the client it queries through (closed at shutdown). */
export function engineSource(flags: FleetFlags, catalog: Catalog): { source: FleetSource; client: PrometheusClient } {
  let client: PrometheusClient;
  try {
    client = new PrometheusClient({ url: flags.prometheusUrl!, headers: flags.headers, timeoutMs: flags.queryTimeoutMs });
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
  const windowMs = flags.windowMs ?? duration(DEFAULT_WINDOW, '--window');
  const engineName = `prometheus-api engine at ${client.url.origin}${client.url.pathname.replace(/\/$/, '')}`;
  const source = new FleetSource({ engine: client, engineName, catalog, windowMs, cacheTtlMs: flags.cacheTtlMs });
  return { source, client };
}

/** GET /metrics: this process's raw series, with the metrics route's negotiation and gzip. */
export function mountRawMetrics(server: MetricsServer, raw: Registry, auth: 'key' | 'none'): void {
  server.route('GET', RAW_METRICS_PATH, metricsRoute(raw), { auth: auth === 'key' });
}

/** A stable traffic seed from an instance id, so instances differ but each repeats. */
export function instanceSeed(instance: string): number {
  let hash = 2166136261;
  for (let i = 0; i < instance.length; i++) hash = Math.imul(hash ^ instance.charCodeAt(i), 16777619);
  return hash >>> 0;
}

function duration(text: string, flag: string): number {
  try {
    return parseDuration(text, flag);
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
}

// The Stream Ingest API: POST /ingest in Tecton's shape; valid records go to the offline store, then the online
// store, and the answer is Tecton's per-view ingest metrics. Per request: one JSON.parse, a check per column,
// one offline append (its fdatasync shared with concurrent requests), one online write per row and view.
// Always: validated whole before anything is written; 200 only once its rows are fsynced; a refusal writes nothing.
import type { Clock } from '../clock.js';
import type { FeatureViewRows, MetricsInstrumentation } from '../catalog/instrumentation.js';
import type { RouteHandler } from '../server/router.js';
import type { RouteMounter } from './mount.js';
import type { OfflineStore } from './offline-store.js';
import type { OnlineStore } from './online-store.js';
import type { JsonObject } from './validate.js';
import type { FeatureView, PushSource, ValueType, Workspace } from './workspace.js';
import { ApiError, sendError, sendJson, toApiError } from './api-error.js';
import { mountPost } from './mount.js';
import { OfflineStoreError } from './offline-store.js';
import { MAX_JOIN_KEY_LENGTH, entityKey } from './online-store.js';
import { array, describe, field, invalid, isoTime, object, optionalBoolean, parseJsonObject, text } from './validate.js';

export const INGEST_PATH = '/ingest';
export const DEFAULT_INGEST_MAX_BODY_BYTES = 512 * 1024;
export const DEFAULT_MAX_INGEST_RECORDS = 500;

const EXAMPLE = '{"workspace_name": "prod", "dry_run": false, "records": {"transactions": [{"record": {"user_id": "user_1", "merchant": "m_1", "amount": 12.5, "timestamp": "2024-05-01T12:00:00Z"}}]}}';
const MAX_RECORD_ERRORS = 10;
/** Longest string value of a column that is no view's join key (join keys: MAX_JOIN_KEY_LENGTH). */
const MAX_STRING = 1024;
const INT64 = /^-?\d{1,19}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface IngestApiOptions {
  workspace: Workspace;
  online: OnlineStore;
  offline: OfflineStore;
  metrics: MetricsInstrumentation;
  /** Times each request's handling (monotonic ms; see ingestRoute) and stamps `ingested_at` (wall ms). */
  clock: Clock;
  /** Largest request body; larger ones get a JSON 413. Default 512 KiB. */
  maxBodyBytes?: number;
  /** Most records in one request, over all push sources. Default 500. */
  maxRecords?: number;
  /** Unexpected handler failures (answered 500). */
  onError?: (error: unknown) => void;
}

/** One validated record: its columns converted to what the stores keep (int64 as a decimal string, times as ISO). */
interface Row {
  source: PushSource;
  values: JsonObject;
  eventTimeMs: number;
}

interface ViewCount {
  view: FeatureView;
  online: number;
  offline: number;
}

/**
 * Mounts POST /ingest: the router refuses a body over maxBodyBytes or a bad key in Tecton's JSON error shape,
 * and each refusal counts as an ingest request with its status (and no latency: it was never handled).
 */
export function mountIngestApi(server: RouteMounter, options: IngestApiOptions): void {
  const onRefused = (status: number): void => options.metrics.recordIngest({ status });
  mountPost(server, INGEST_PATH, ingestRoute(options), options.maxBodyBytes ?? DEFAULT_INGEST_MAX_BODY_BYTES, onRefused);
}

/** The /ingest handler alone; mountIngestApi mounts it with its refusals in JSON and counted. */
export function ingestRoute(options: IngestApiOptions): RouteHandler {
  const { workspace, online, offline, metrics, clock } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_INGEST_MAX_BODY_BYTES;
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_INGEST_RECORDS;
  const onError = options.onError ?? (() => {});

  return async ({ body, res }) => {
    // Handling time, not end-to-end: the handler runs once the router has checked the key and read the whole
    // body (RouteRequest has no arrival time), so this spans parsing, the offline store's fdatasync and the
    // online writes, up to handing the answer to Node.
    const start = clock.now();
    let status = 200;
    let written: FeatureViewRows[] | undefined;
    try {
      const { dryRun, rows } = parseIngest(parseJsonObject(body, maxBodyBytes, 'ingest request', EXAMPLE), workspace, maxRecords);
      const counts = new Map<FeatureView, ViewCount>();
      for (const row of rows) for (const view of row.source.featureViews) counts.set(view, { view, online: 0, offline: 0 });
      if (!dryRun) {
        const ingestedAt = new Date(clock.wallMs()).toISOString();
        const offlineRows: object[] = [];
        for (const row of rows) {
          for (const view of row.source.featureViews) {
            if (!view.offline) continue;
            offlineRows.push({ workspace: workspace.name, push_source: row.source.name, feature_view: view.name, feature_view_id: view.id, record: row.values, ingested_at: ingestedAt });
            counts.get(view)!.offline++;
          }
        }
        await appendDurably(offline, offlineRows);
        for (const row of rows) {
          for (const view of row.source.featureViews) {
            const key = entityKey(view.joinKeys.map((name) => row.values[name] as string));
            if (online.write(view, key, view.features.map((feature) => row.values[feature.name]), row.eventTimeMs)) counts.get(view)!.online++;
          }
        }
        written = [...counts.values()].map(({ view, online: onlineRows, offline: offlineRows }) => ({
          workspace: view.workspace,
          featureViewName: view.name,
          featureViewId: view.id,
          onlineRows,
          offlineRows,
        }));
      }
      // Tecton reports ingest counts as strings (int64 in protobuf JSON).
      const featureViewIngestMetrics = [...counts.values()].map(({ view, online: onlineRows, offline: offlineRows }) => ({
        featureViewName: view.name,
        featureViewId: view.id,
        onlineRecordIngestCount: String(onlineRows),
        offlineRecordIngestCount: String(offlineRows),
      }));
      sendJson(res, 200, { workspaceName: workspace.name, ingestMetrics: { featureViewIngestMetrics } });
    } catch (error: unknown) {
      const failure = toApiError(error, onError);
      status = failure.status;
      sendError(res, failure);
    }
    metrics.recordIngest({ latencySeconds: (clock.now() - start) / 1000, status, rowsByFeatureView: written });
  };
}

/** Validates the whole request; throws a 400 (with up to 10 `recordErrors`) or a 404 naming what is wrong. */
function parseIngest(root: JsonObject, workspace: Workspace, maxRecords: number): { dryRun: boolean; rows: Row[] } {
  const name = text(field(root, 'workspace_name'), 'workspace_name');
  if (name !== workspace.name) throw new ApiError(404, `unknown workspace "${name}": this Stream Ingest API serves workspace "${workspace.name}"`);
  const dryRun = optionalBoolean(field(root, 'dry_run'), 'dry_run') ?? false;
  const records = object(field(root, 'records'), 'records', 'an object of push source name to [{"record": {...}}]');
  const sources = Object.keys(records);
  if (sources.length === 0) throw new ApiError(400, `invalid records: no push source given; send e.g. ${EXAMPLE}`);
  const rows: Row[] = [];
  const recordErrors: { push_source: string; index: number; error: string }[] = [];
  let total = 0;
  for (const sourceName of sources) {
    const source = workspace.pushSources.get(sourceName);
    if (source === undefined) {
      throw new ApiError(404, `unknown push source ${describe(sourceName)} in workspace "${workspace.name}": use one of ${[...workspace.pushSources.keys()].join(', ')}`);
    }
    const entries = array(records[sourceName], `records.${sourceName}`, maxRecords);
    total += entries.length;
    if (total > maxRecords) throw new ApiError(400, `invalid records: more than ${maxRecords} records in one request; split it into smaller requests`);
    for (let index = 0; index < entries.length; index++) {
      try {
        const entry = object(entries[index], `records.${sourceName}[${index}]`, 'an object like {"record": {...}}');
        rows.push(row(source, object(entry.record, `records.${sourceName}[${index}].record`), `records.${sourceName}[${index}].record`));
      } catch (error: unknown) {
        if (!(error instanceof ApiError)) throw error;
        if (recordErrors.length < MAX_RECORD_ERRORS) recordErrors.push({ push_source: sourceName, index, error: error.message });
      }
    }
  }
  if (recordErrors.length > 0) {
    throw new ApiError(400, `${recordErrors[0]!.error}${recordErrors.length > 1 ? ` (and more: see recordErrors)` : ''}; nothing was ingested`, { recordErrors });
  }
  return { dryRun, rows };
}

function row(source: PushSource, record: JsonObject, path: string): Row {
  for (const column of Object.keys(record)) {
    if (!source.schema.some((known) => known.name === column)) {
      throw new ApiError(400, `unknown column ${describe(column)} in ${path}: push source ${source.name} has columns ${source.schema.map((c) => c.name).join(', ')}`);
    }
  }
  const values: JsonObject = {};
  for (const column of source.schema) {
    const value = record[column.name];
    if (value === undefined || value === null) throw new ApiError(400, `missing column "${column.name}" (${column.type}) in ${path}`);
    const isKey = source.featureViews.some((view) => view.joinKeys.includes(column.name));
    values[column.name] = convert(column.type, value, `${path}.${column.name}`, isKey ? MAX_JOIN_KEY_LENGTH : MAX_STRING);
  }
  return { source, values, eventTimeMs: Date.parse(values[source.timestampField] as string) };
}

function convert(type: ValueType, value: unknown, path: string, maxLength: number): unknown {
  switch (type) {
    case 'string':
      return text(value, path, maxLength);
    case 'int64': {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      if (typeof value === 'string' && INT64.test(value)) {
        const big = BigInt(value);
        if (big >= INT64_MIN && big <= INT64_MAX) return big.toString();
      }
      throw invalid(path, value, 'an int64: a whole number, or a decimal string for values beyond 2^53');
    }
    case 'float64':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(path, value, 'a finite number (float64)');
    case 'bool':
      if (typeof value === 'boolean') return value;
      throw invalid(path, value, 'true or false');
    case 'timestamp':
      return new Date(isoTime(value, path)).toISOString();
  }
}

/** The offline append, with a failed store answered 503: the rows were not acknowledged and may be retried. */
async function appendDurably(offline: OfflineStore, rows: readonly object[]): Promise<void> {
  try {
    await offline.append(rows);
  } catch (error: unknown) {
    if (error instanceof OfflineStoreError) throw new ApiError(503, `${error.message}; retry the request later`);
    throw error;
  }
}

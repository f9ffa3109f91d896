// The feature server: Tecton's GetFeatures and GetFeaturesBatch over HTTP, answered from the online store.
// Per request: one JSON.parse of the body, one store read per feature view and row, one JSON.stringify of the
// answer, one instrumentation record. Always: every request that reaches a handler is answered with JSON and
// recorded exactly once, with its status, its handling time and (for a batch) its row count.
import type { Clock } from '../clock.js';
import type { MetricsInstrumentation } from '../catalog/instrumentation.js';
import type { RouteHandler, RouteRequest } from '../server/router.js';
import type { RouteMounter } from './mount.js';
import type { OnlineStore } from './online-store.js';
import type { JsonObject } from './validate.js';
import type { FeatureService, FeatureView, ValueType, Workspace } from './workspace.js';
import { ApiError, grpcCode, sendError, sendJson, toApiError } from './api-error.js';
import { mountPost } from './mount.js';
import { MAX_JOIN_KEY_LENGTH, entityKey } from './online-store.js';
import { array, describe, field, invalid, object, optionalBoolean, optionalObject, optionalText, parseJsonObject } from './validate.js';

export const GET_FEATURES_PATH = '/api/v1/feature-service/get-features';
export const GET_FEATURES_BATCH_PATH = '/api/v1/feature-service/get-features-batch';
export const DEFAULT_FEATURE_REQUEST_MAX_BYTES = 256 * 1024;
export const DEFAULT_MAX_BATCH_ROWS = 100;
/**
 * Labels for requests that name no known feature service (malformed, or an unknown name): one fixed series,
 * so clients cannot mint series with made-up names.
 */
export const UNRESOLVED_SERVICE = Object.freeze({ id: 'unknown', name: 'unknown' });

const EXAMPLE = '{"params": {"feature_service_name": "fvfs_1", "join_key_map": {"user_id": "user_1"}}}';
const BATCH_EXAMPLE = '{"params": {"feature_service_name": "fvfs_1", "request_data": [{"join_key_map": {"user_id": "user_1"}}]}}';
// Tecton's names for value types in metadata.features[].dataType.type.
const DATA_TYPE: Readonly<Record<ValueType, string>> = { string: 'string', int64: 'int64', float64: 'float64', bool: 'boolean', timestamp: 'timestamp' };

export interface FeatureServerOptions {
  workspace: Workspace;
  online: OnlineStore;
  metrics: MetricsInstrumentation;
  /** Times each request's handling (monotonic ms): from the handler's call to its answer, see #handle. */
  clock: Clock;
  /** Also report each request's handling time as busy time (when feature_server_utilization is fed by reports). */
  reportBusy?: boolean;
  /** Largest request body; larger ones get a JSON 413. Default 256 KiB. */
  maxBodyBytes?: number;
  /** Most rows in one GetFeaturesBatch. Default 100. */
  maxBatchRows?: number;
  /** Unexpected handler failures (answered 500). */
  onError?: (error: unknown) => void;
}

interface ViewPlan {
  view: FeatureView;
  /** Where each of the view's join keys sits in the service's join keys. */
  keyIndexes: number[];
}

interface Vector {
  values: unknown[];
  present: boolean[];
  /** Event time of each value's row (Unix ms), undefined where missing. */
  times: (number | undefined)[];
}

interface MetadataOptions {
  names: boolean;
  dataTypes: boolean;
  effectiveTimes: boolean;
  servingStatus: boolean;
}

export class FeatureServer {
  readonly getFeatures: RouteHandler = (request) => this.#handle(request, false);
  readonly getFeaturesBatch: RouteHandler = (request) => this.#handle(request, true);
  readonly #options: Required<Omit<FeatureServerOptions, 'onError'>> & Pick<FeatureServerOptions, 'onError'>;
  readonly #plans = new Map<FeatureService, ViewPlan[]>();

  constructor(options: FeatureServerOptions) {
    this.#options = { reportBusy: false, maxBodyBytes: DEFAULT_FEATURE_REQUEST_MAX_BYTES, maxBatchRows: DEFAULT_MAX_BATCH_ROWS, ...options };
    for (const service of options.workspace.services.values()) {
      this.#plans.set(
        service,
        service.featureViews.map((view) => ({ view, keyIndexes: view.joinKeys.map((key) => service.joinKeys.indexOf(key)) })),
      );
    }
  }

  /** Mounts both routes (authenticated, like the metrics endpoint; refusals answered in JSON, see mount.ts). */
  mount(server: RouteMounter): void {
    // Requests the router refuses for us (bad key, body over the limit) are answers of this server too.
    const onRefused = (status: number): void =>
      this.#options.metrics.recordGetFeatures({
        featureServiceId: UNRESOLVED_SERVICE.id,
        featureServiceName: UNRESOLVED_SERVICE.name,
        status,
        grpcCode: grpcCode(status),
      });
    mountPost(server, GET_FEATURES_PATH, this.getFeatures, this.#options.maxBodyBytes, onRefused);
    mountPost(server, GET_FEATURES_BATCH_PATH, this.getFeaturesBatch, this.#options.maxBodyBytes, onRefused);
  }

  #handle({ body, res }: RouteRequest, batch: boolean): void {
    const { clock, metrics } = this.#options;
    // The latencies recorded are handling time, not end-to-end: the router calls the handler only after it
    // checked the key and read the whole body (RouteRequest has no arrival time), so the time spans parsing
    // the body to handing the answer to Node; receiving the request and queueing before it are not in it.
    const start = clock.now();
    let service: FeatureService | undefined;
    let rows = 1;
    let status = 200;
    try {
      const what = batch ? 'get-features-batch request' : 'get-features request';
      const params = object(parseJsonObject(body, this.#options.maxBodyBytes, what, batch ? BATCH_EXAMPLE : EXAMPLE).params, 'params', `an object like ${batch ? BATCH_EXAMPLE : EXAMPLE}`);
      service = this.#service(params);
      const metadata = metadataOptions(optionalObject(field(params, 'metadata_options'), 'params.metadata_options'));
      if (batch) {
        const data = array(field(params, 'request_data'), 'params.request_data', this.#options.maxBatchRows);
        const keys = data.map((entry, i) => joinKeyValues(service!, object(entry, `params.request_data[${i}]`), `params.request_data[${i}]`));
        rows = data.length;
        const result = keys.map((values) => ({ features: this.#vector(service!, values).values }));
        sendJson(res, 200, { result, metadata: { features: this.#featureMetadata(service, metadata, undefined) } });
      } else {
        const vector = this.#vector(service, joinKeyValues(service, params, 'params'));
        sendJson(res, 200, { result: { features: vector.values }, metadata: { features: this.#featureMetadata(service, metadata, vector) } });
      }
    } catch (error: unknown) {
      const failure = toApiError(error, this.#options.onError ?? (() => {}));
      status = failure.status;
      sendError(res, failure);
    }
    const elapsedMs = clock.now() - start;
    metrics.recordGetFeatures({
      featureServiceId: service?.id ?? UNRESOLVED_SERVICE.id,
      featureServiceName: service?.name ?? UNRESOLVED_SERVICE.name,
      latencySeconds: elapsedMs / 1000,
      status,
      // The code this answer's error body carries (0, OK, for a 200), for feature_server_errors_rate_grpc.
      grpcCode: grpcCode(status),
      rows,
    });
    if (this.#options.reportBusy) metrics.reportServerBusy(elapsedMs);
  }

  #service(params: JsonObject): FeatureService {
    const { workspace } = this.#options;
    const workspaceName = optionalText(field(params, 'workspace_name'), 'params.workspace_name');
    if (workspaceName !== undefined && workspaceName !== workspace.name) {
      throw new ApiError(404, `unknown workspace "${workspaceName}": this feature server serves workspace "${workspace.name}"`);
    }
    const name = optionalText(field(params, 'feature_service_name'), 'params.feature_service_name');
    const id = optionalText(field(params, 'feature_service_id'), 'params.feature_service_id');
    if ((name === undefined) === (id === undefined)) {
      throw new ApiError(400, `invalid params: set exactly one of feature_service_name and feature_service_id, e.g. ${EXAMPLE}`);
    }
    const service = name !== undefined ? workspace.services.get(name) : workspace.servicesById.get(id!);
    if (service === undefined) {
      const known = [...workspace.services.keys()].join(', ');
      throw new ApiError(404, `unknown feature service ${name !== undefined ? `name "${name}"` : `id "${id}"`} in workspace "${workspace.name}": use one of ${known}`);
    }
    return service;
  }

  /** The service's feature vector for one entity: values in view order, with serving status and effective times. */
  #vector(service: FeatureService, keyValues: readonly string[]): Vector {
    const values: unknown[] = [];
    const present: boolean[] = [];
    const times: (number | undefined)[] = [];
    for (const { view, keyIndexes } of this.#plans.get(service)!) {
      const row = this.#options.online.read(view, entityKey(keyIndexes.map((index) => keyValues[index]!)));
      for (let i = 0; i < view.features.length; i++) {
        values.push(row === undefined ? null : (row.values[i] ?? null));
        present.push(row !== undefined);
        times.push(row?.eventTimeMs);
      }
    }
    return { values, present, times };
  }

  #featureMetadata(service: FeatureService, options: MetadataOptions, vector: Vector | undefined): JsonObject[] {
    const features: JsonObject[] = [];
    for (const view of service.featureViews) {
      for (const feature of view.features) {
        const i = features.length;
        const entry: JsonObject = {};
        if (options.names) entry.name = `${view.name}.${feature.name}`;
        if (options.dataTypes) entry.dataType = { type: DATA_TYPE[feature.type] };
        if (vector !== undefined && options.effectiveTimes && vector.times[i] !== undefined) entry.effectiveTime = new Date(vector.times[i]!).toISOString();
        if (vector !== undefined && options.servingStatus) entry.status = vector.present[i] ? 'PRESENT' : 'MISSING_DATA';
        features.push(entry);
      }
    }
    return features;
  }
}

/** The service's join-key values from `container.join_key_map`, in the service's join-key order. */
function joinKeyValues(service: FeatureService, container: JsonObject, path: string): string[] {
  const map = object(field(container, 'join_key_map'), `${path}.join_key_map`, `an object of join keys: ${service.joinKeys.join(', ')}`);
  // Accepted for compatibility; no feature view here is on-demand, so nothing reads it.
  optionalObject(field(container, 'request_context_map'), `${path}.request_context_map`);
  for (const key of Object.keys(map)) {
    if (!service.joinKeys.includes(key)) {
      throw new ApiError(400, `unknown join key ${describe(key)} in ${path}.join_key_map: feature service ${service.name} takes ${service.joinKeys.join(', ')}`);
    }
  }
  return service.joinKeys.map((key) => {
    const value = map[key];
    if (value === undefined || value === null) throw new ApiError(400, `missing join key "${key}" in ${path}.join_key_map: feature service ${service.name} needs ${service.joinKeys.join(', ')}`);
    // Tecton encodes int64 keys as decimal strings; a whole JSON number is taken as one.
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value !== 'string' || value === '' || value.length > MAX_JOIN_KEY_LENGTH) {
      throw invalid(`${path}.join_key_map.${key}`, value, `a non-empty string of at most ${MAX_JOIN_KEY_LENGTH} characters`);
    }
    return value;
  });
}

/** Names and data types unless turned off; effective times and serving status when asked for. */
function metadataOptions(options: JsonObject | undefined): MetadataOptions {
  const flag = (name: string) => (options === undefined ? undefined : optionalBoolean(field(options, name), `params.metadata_options.${name}`));
  return {
    names: flag('include_names') ?? true,
    dataTypes: flag('include_data_types') ?? true,
    effectiveTimes: flag('include_effective_times') ?? false,
    servingStatus: flag('include_serving_status') ?? false,
  };
}

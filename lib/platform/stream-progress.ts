// Spark StreamingQueryProgress reports into the spark_stream_* metrics: from the in-process stream processor,
// and over HTTP (POST /api/v1/observability/stream-progress) from a real Spark job's progress listener.
// Per report: a dozen field checks and one recordStreamProgress call. Always: a report is validated whole
// before anything is recorded, so a rejected report changes no metric; both paths apply the same rules.
import type { MetricsInstrumentation, StreamProgress } from '../catalog/instrumentation.js';
import type { RouteHandler } from '../server/router.js';
import type { RouteMounter } from './mount.js';
import type { JsonObject } from './validate.js';
import { ApiError, sendError, toApiError } from './api-error.js';
import { mountPost } from './mount.js';
import { count, field, isoTime, object, optionalIsoTime, optionalObject, optionalRate, parseJsonObject, text } from './validate.js';

export const STREAM_PROGRESS_PATH = '/api/v1/observability/stream-progress';
/** Spark's progress JSON grows with its sources and state operators; 256 KiB holds hundreds of them. */
export const DEFAULT_PROGRESS_MAX_BODY_BYTES = 256 * 1024;

const EXAMPLE =
  '{"workspace": "prod", "feature_view_name": "user_page_view_counts", "feature_view_id": "…", "progress": {"timestamp": "2024-05-01T12:00:00.000Z", "numInputRows": 10, …}}';

/** The parts of Spark's StreamingQueryProgress JSON that feed the metrics (others are allowed and ignored). */
export interface SparkProgress {
  id?: string;
  runId?: string;
  name?: string | null;
  /** When the trigger started; ages are measured from it. */
  timestamp: string;
  batchId?: number;
  numInputRows: number;
  /** Spark omits a rate that is NaN (e.g. the first batch). */
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs?: Record<string, number>;
  /** min/avg/max of the batch's event times and the query's watermark; Spark leaves out what it lacks. */
  eventTime?: { min?: string; avg?: string; max?: string; watermark?: string };
  sources?: unknown[];
  /** `numOutputRows` is -1 when the sink cannot count. */
  sink?: { description?: string; numOutputRows?: number };
}

/** The feature view a progress report materializes: the labels of its spark_stream_* series. */
export interface ViewLabels {
  workspace: string;
  featureViewName: string;
  featureViewId: string;
}

/** Checks one progress report for `view` and records it. Throws a 400 ApiError naming the first bad field. */
export function recordSparkProgress(metrics: MetricsInstrumentation, view: ViewLabels, progress: SparkProgress | JsonObject): void {
  metrics.recordStreamProgress(toStreamProgress(view, progress as JsonObject, 'progress'));
}

/** Mounts the HTTP route, its refusals (bad key, body over maxBodyBytes) in Tecton's JSON error shape. */
export function mountStreamProgress(server: RouteMounter, options: StreamProgressRouteOptions): void {
  mountPost(server, STREAM_PROGRESS_PATH, streamProgressRoute(options), options.maxBodyBytes ?? DEFAULT_PROGRESS_MAX_BODY_BYTES);
}

export interface StreamProgressRouteOptions {
  metrics: MetricsInstrumentation;
  /** Largest report body; larger ones get a JSON 413. Default 256 KiB. */
  maxBodyBytes?: number;
  /** Unexpected handler failures (answered 500). */
  onError?: (error: unknown) => void;
  /** Told of each view recorded, for idle expiry (StreamViewExpiry). */
  expiry?: { seen(view: ViewLabels): void };
}

/** The HTTP route: `{workspace, feature_view_name, feature_view_id, progress}` in, 204 out. */
export function streamProgressRoute(options: StreamProgressRouteOptions): RouteHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_PROGRESS_MAX_BODY_BYTES;
  return ({ body, res }) => {
    try {
      const root = parseJsonObject(body, maxBodyBytes, 'stream progress report', EXAMPLE);
      const view = {
        workspace: text(field(root, 'workspace'), 'workspace'),
        featureViewName: text(field(root, 'feature_view_name'), 'feature_view_name'),
        featureViewId: text(field(root, 'feature_view_id'), 'feature_view_id'),
      };
      const progress = object(root.progress, 'progress', "Spark's StreamingQueryProgress as JSON (the listener's event.progress.json)");
      options.metrics.recordStreamProgress(toStreamProgress(view, progress, 'progress'));
      options.expiry?.seen(view);
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    } catch (error: unknown) {
      sendError(res, toApiError(error, options.onError ?? (() => {})));
    }
  };
}

function toStreamProgress(view: ViewLabels, progress: JsonObject, path: string): StreamProgress {
  const timestamp = isoTime(progress.timestamp, `${path}.timestamp`);
  const numInputRows = count(progress.numInputRows, `${path}.numInputRows`);
  const inputRowsPerSecond = optionalRate(progress.inputRowsPerSecond, `${path}.inputRowsPerSecond`);
  const processedRowsPerSecond = optionalRate(progress.processedRowsPerSecond, `${path}.processedRowsPerSecond`);
  const times = optionalObject(progress.eventTime, `${path}.eventTime`) ?? {};
  const min = optionalIsoTime(times.min, `${path}.eventTime.min`);
  const avg = optionalIsoTime(times.avg, `${path}.eventTime.avg`);
  const max = optionalIsoTime(times.max, `${path}.eventTime.max`);
  const watermark = optionalIsoTime(times.watermark, `${path}.eventTime.watermark`);
  if (min !== undefined && max !== undefined && min > max) throw new ApiError(400, `invalid ${path}.eventTime: min ${String(times.min)} is after max ${String(times.max)}`);
  if (avg !== undefined && ((min !== undefined && avg < min) || (max !== undefined && avg > max))) {
    throw new ApiError(400, `invalid ${path}.eventTime: avg ${String(times.avg)} is outside [min, max]`);
  }
  const sink = optionalObject(progress.sink, `${path}.sink`);
  const outputRows = sink?.numOutputRows;
  const rowsWritten = outputRows === undefined || outputRows === -1 ? undefined : count(outputRows, `${path}.sink.numOutputRows`);
  return {
    ...view,
    numInputRows,
    ...(inputRowsPerSecond === undefined ? {} : { inputRowsPerSecond }),
    ...(processedRowsPerSecond === undefined ? {} : { processedRowsPerSecond }),
    eventTime: {
      ...(min === undefined ? {} : { min }),
      ...(avg === undefined ? {} : { avg }),
      ...(max === undefined ? {} : { max }),
      ...(watermark === undefined ? {} : { watermark }),
    },
    ...(rowsWritten === undefined ? {} : { rowsWritten }),
    timestamp,
  };
}

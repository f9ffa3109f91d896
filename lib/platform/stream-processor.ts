// The stream processor: drains the in-process event stream in micro-batches, as a Spark structured-streaming
// query does, writes each stream feature view's aggregates to the online store, and reports every batch as a
// StreamingQueryProgress per feature view. Per batch: O(events + entities written), one report per view.
// Always: rates and event-time figures are measured from the batch itself, never invented; the processing
// rate is Spark's numInputRows * 1000 / max(1, durationMs.triggerExecution), from the reported figures.
import type { Clock } from '../clock.js';
import type { EventStream, StreamEvent } from './event-stream.js';
import type { OnlineStore } from './online-store.js';
import type { SparkProgress } from './stream-progress.js';
import type { FeatureView } from './workspace.js';
import { randomUUID } from 'node:crypto';
import { entityKey } from './online-store.js';

export const DEFAULT_TRIGGER_MS = 1_000;
export const DEFAULT_MAX_ROWS_PER_BATCH = 10_000;
/** How far behind the newest event time the watermark trails, as `withWatermark(..., "10 seconds")` would. */
export const DEFAULT_WATERMARK_DELAY_MS = 10_000;
/** Reports kept per view for recentProgress(), as Spark's spark.sql.streaming.numRecentProgressUpdates (100). */
export const RECENT_PROGRESS_UPDATES = 100;

export interface StreamProcessorOptions {
  stream: EventStream;
  online: OnlineStore;
  /** The stream feature views it materializes (features with aggregations). */
  views: readonly FeatureView[];
  clock: Clock;
  /** Receives each view's progress after every batch (the demo records it as a metric). */
  report: (view: FeatureView, progress: SparkProgress) => void;
  /** Processing-time trigger interval. Default 1 s. */
  triggerMs?: number;
  maxRowsPerBatch?: number;
  watermarkDelayMs?: number;
  /** Failures of a scheduled batch (the next trigger still runs). */
  onError?: (error: unknown) => void;
}

interface Group {
  count: number;
  last: StreamEvent;
}

export class StreamProcessor {
  readonly triggerMs: number;
  readonly #options: StreamProcessorOptions;
  // Spark's query id is stable across restarts and its run id new per run; ours follow the view id.
  readonly #ids: Map<FeatureView, { id: string; runId: string }>;
  readonly #startedAt: number;
  readonly #recent = new Map<FeatureView, SparkProgress[]>();
  #lastTrigger: number | undefined;
  #batchId = 0;
  #maxEventTime = -Infinity;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StreamProcessorOptions) {
    this.#options = options;
    this.triggerMs = options.triggerMs ?? DEFAULT_TRIGGER_MS;
    if (!Number.isSafeInteger(this.triggerMs) || this.triggerMs < 1) throw new RangeError(`invalid triggerMs=${String(this.triggerMs)}: must be a whole number of ms >= 1`);
    this.#ids = new Map(options.views.map((view) => [view, { id: asUuid(view.id), runId: randomUUID() }]));
    this.#startedAt = options.clock.now();
  }

  /** Runs a micro-batch every triggerMs until stop(). */
  start(): this {
    this.#timer ??= setInterval(() => {
      try {
        this.runBatch();
      } catch (error: unknown) {
        this.#options.onError?.(error);
      }
    }, this.triggerMs);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The view's last RECENT_PROGRESS_UPDATES reports, oldest first (Spark's StreamingQuery.recentProgress). */
  recentProgress(view: FeatureView): readonly SparkProgress[] {
    return this.#recent.get(view) ?? [];
  }

  /** Batches run so far. */
  get batches(): number {
    return this.#batchId;
  }

  /** One micro-batch now: drains, aggregates, writes, reports; returns the reports (one per view). */
  runBatch(): SparkProgress[] {
    const { stream, clock, views, report } = this.#options;
    const triggerWall = clock.wallMs();
    const triggerStart = clock.now();
    const sinceLastTrigger = triggerStart - (this.#lastTrigger ?? this.#startedAt);
    this.#lastTrigger = triggerStart;
    const events = stream.drain(this.#options.maxRowsPerBatch ?? DEFAULT_MAX_ROWS_PER_BATCH);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const event of events) {
      if (event.eventTimeMs < min) min = event.eventTimeMs;
      if (event.eventTimeMs > max) max = event.eventTimeMs;
      sum += event.eventTimeMs;
    }
    if (max > this.#maxEventTime) this.#maxEventTime = max;
    const eventTime: SparkProgress['eventTime'] = { watermark: iso(Math.max(0, this.#maxEventTime - (this.#options.watermarkDelayMs ?? DEFAULT_WATERMARK_DELAY_MS))) };
    if (events.length > 0) Object.assign(eventTime, { min: iso(min), avg: iso(sum / events.length), max: iso(max) });
    const n = events.length;
    const preparedMs = clock.now() - triggerStart; // the drain and event-time statistics, shared by every view
    // Spark's input rate spans trigger to trigger; its processing rate divides by the batch's own duration
    // in whole ms, at least 1 (ProgressReporter). A batch of this in-memory processor takes well under 1 ms
    // (~0.2 ms for 40 rows), so the processing rate of a small batch reads numInputRows * 1000: what it could
    // sustain, not what it did.
    const inputRowsPerSecond = sinceLastTrigger > 0 ? (n * 1000) / sinceLastTrigger : 0;
    const progresses: SparkProgress[] = [];
    for (const view of views) {
      const started = clock.now();
      const written = this.#apply(view, events);
      const addBatchMs = clock.now() - started;
      // Whole ms, as Spark reports durations; rounding the total (not adding rounded parts) keeps it true.
      const triggerExecutionMs = Math.round(preparedMs + addBatchMs);
      const processedRowsPerSecond = (n * 1000) / Math.max(1, triggerExecutionMs);
      const ids = this.#ids.get(view)!;
      const progress: SparkProgress = {
        id: ids.id,
        runId: ids.runId,
        name: `${view.workspace}.${view.name}`,
        timestamp: iso(triggerWall),
        batchId: this.#batchId,
        numInputRows: n,
        inputRowsPerSecond,
        processedRowsPerSecond,
        durationMs: { triggerExecution: triggerExecutionMs, addBatch: Math.round(addBatchMs) },
        eventTime,
        sources: [{ description: `InProcessStream[${stream.name}]`, numInputRows: n, inputRowsPerSecond, processedRowsPerSecond }],
        sink: { description: `OnlineStore[${view.workspace}.${view.name}]`, numOutputRows: written },
      };
      progresses.push(progress);
      this.#remember(view, progress);
      report(view, progress);
    }
    this.#batchId++;
    return progresses;
  }

  #remember(view: FeatureView, progress: SparkProgress): void {
    let recent = this.#recent.get(view);
    if (recent === undefined) this.#recent.set(view, (recent = []));
    if (recent.push(progress) > RECENT_PROGRESS_UPDATES) recent.shift();
  }

  /** Aggregates the batch per entity and writes the new values; returns the rows written. */
  #apply(view: FeatureView, events: readonly StreamEvent[]): number {
    const groups = new Map<string, Group>();
    for (const event of events) {
      const keyValues: string[] = [];
      for (const key of view.joinKeys) {
        const value = event.fields[key];
        if (value === undefined) break;
        keyValues.push(value);
      }
      if (keyValues.length < view.joinKeys.length) continue; // an event without the view's keys is not for it
      const key = entityKey(keyValues);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { count: 1, last: event });
      else {
        group.count++;
        if (event.eventTimeMs >= group.last.eventTimeMs) group.last = event;
      }
    }
    const { online } = this.#options;
    let written = 0;
    for (const [key, group] of groups) {
      const previous = online.read(view, key);
      const values = view.features.map((feature, i) => {
        const aggregation = feature.aggregation;
        if (aggregation?.fn === 'count') return String(Number(previous?.values[i] ?? 0) + group.count); // int64 as a decimal string
        if (aggregation?.fn === 'last') return group.last.fields[aggregation.field] ?? previous?.values[i] ?? null;
        return previous?.values[i] ?? null;
      });
      if (online.write(view, key, values, group.last.eventTimeMs)) written++;
    }
    return written;
  }
}

function iso(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

/** A 32-hex-digit id written as a UUID (8-4-4-4-12), the form of Spark's query ids. */
function asUuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

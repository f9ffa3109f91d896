// Idle expiry of the spark_stream_* series: a feature view that has sent no progress report for idleMs
// (default 15 minutes) loses its series, so views a caller invents, or streams that stopped, do not hold
// memory forever. seen(): one Map delete and set per report; sweep(): O(expired views), every sweepMs.
import type { Clock } from '../clock.js';
import type { MetricsInstrumentation } from '../catalog/instrumentation.js';
import type { ViewLabels } from './stream-progress.js';

/** How long a feature view may go without a progress report before its spark_stream_* series are removed. */
export const STREAM_VIEW_IDLE_MS = 15 * 60_000;

export interface StreamViewExpiryOptions {
  metrics: MetricsInstrumentation;
  clock: Clock;
  /** Default STREAM_VIEW_IDLE_MS. */
  idleMs?: number;
}

export class StreamViewExpiry {
  readonly idleMs: number;
  readonly #metrics: MetricsInstrumentation;
  readonly #clock: Clock;
  // In order of the last report: seen() moves a view to the end, so a sweep stops at the first fresh one.
  readonly #lastSeen = new Map<string, { view: ViewLabels; atMs: number }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: StreamViewExpiryOptions) {
    const idleMs = options.idleMs ?? STREAM_VIEW_IDLE_MS;
    if (!(Number.isSafeInteger(idleMs) && idleMs > 0)) throw new RangeError(`invalid idleMs=${String(idleMs)}: must be a whole number of ms > 0`);
    this.idleMs = idleMs;
    this.#metrics = options.metrics;
    this.#clock = options.clock;
  }

  /** Records that `view` reported now. */
  seen(view: ViewLabels): void {
    const key = `${view.workspace}\u0000${view.featureViewName}\u0000${view.featureViewId}`;
    this.#lastSeen.delete(key);
    this.#lastSeen.set(key, { view, atMs: this.#clock.now() });
  }

  /** Removes the series of every view idle for idleMs or longer; returns how many views expired. */
  sweep(): number {
    const now = this.#clock.now();
    let expired = 0;
    for (const [key, { view, atMs }] of this.#lastSeen) {
      if (now - atMs < this.idleMs) break;
      this.#lastSeen.delete(key);
      this.#metrics.forgetStreamView(view);
      expired++;
    }
    return expired;
  }

  /** Views currently tracked. */
  get size(): number {
    return this.#lastSeen.size;
  }

  /** Sweeps every tenth of idleMs (at most every minute), so a view goes at most that late. */
  start(): this {
    this.#timer ??= setInterval(() => this.sweep(), Math.min(this.idleMs / 10, 60_000));
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

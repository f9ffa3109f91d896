// The only always-on parts of the runtime metrics: a GC PerformanceObserver that observes each pause
// into a histogram child bound per kind (one observe() per GC), and Node's event-loop delay monitor
// (libuv timer sampling at `precisionMs`, read and reset at scrape). Both stop with stop().
import type { IntervalHistogram } from 'node:perf_hooks';
import type { Histogram } from '../metrics/histogram.js';
import type { LabelValue } from '../metrics/family.js';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';

/** prom-client's `kind` label values, by Node's NODE_PERFORMANCE_GC_* flag. */
const GC_KINDS: readonly [number, string][] = [
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
];

/** Observes every GC pause, in seconds, on `histogram`'s child for its kind (plus the fixed labels). */
export function observeGc(histogram: Histogram, fixed: readonly LabelValue[]): () => void {
  const children = new Map(GC_KINDS.map(([flag, kind]) => [flag, histogram.labels(...fixed, kind)]));
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      const child = kind === undefined ? undefined : children.get(kind);
      if (child !== undefined) child.observe(entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

/** Event-loop delay statistics since the last read, in seconds; the monitor restarts its counts after each read. */
export interface LoopDelay {
  min: number;
  max: number;
  mean: number;
  stddev: number;
  p50: number;
  p90: number;
  p99: number;
}

export class LoopDelayMonitor {
  readonly #histogram: IntervalHistogram;

  constructor(precisionMs: number) {
    this.#histogram = monitorEventLoopDelay({ resolution: precisionMs });
    this.#histogram.enable();
  }

  /** Reads the statistics since the last read (NaN-free: zeros before the first sample) and resets them. */
  read(into: LoopDelay): LoopDelay {
    const h = this.#histogram;
    const empty = h.count === 0;
    into.min = empty ? 0 : h.min / 1e9;
    into.max = empty ? 0 : h.max / 1e9;
    into.mean = empty ? 0 : h.mean / 1e9;
    into.stddev = empty ? 0 : h.stddev / 1e9;
    into.p50 = empty ? 0 : h.percentile(50) / 1e9;
    into.p90 = empty ? 0 : h.percentile(90) / 1e9;
    into.p99 = empty ? 0 : h.percentile(99) / 1e9;
    h.reset();
    return into;
  }

  stop(): void {
    this.#histogram.disable();
  }
}

/** The loop's lag now: how late a setImmediate callback runs, in seconds (prom-client's `nodejs_eventloop_lag_seconds`). */
export function measureLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / 1e9)));
}

// Turns a loaded catalog into registered families, one per definition, chosen by its kind. Runs once at
// startup. Always: every family gets the catalog's window, its HELP from helpText() and no `# UNIT`
// (no catalog name ends in its unit), and every computed gauge is stamped with the scrape time.
import type { Summary } from '../metrics/summary.js';
import type { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from '../metrics/windowed-gauges.js';
import type { Registry } from '../registry.js';
import type { EluSource } from '../window/utilization.js';
import type { Catalog, MetricDefinition, MetricKind } from './catalog.js';
import { MinGauge } from '../metrics/windowed-gauges.js';
import { AgeGauge } from './age.js';
import { CatalogError, helpText } from './catalog.js';
import { SharedEventLoop } from './shared-event-loop.js';

/** Summary windows rotate in this many steps, so an observation leaves at most window/5 late. */
const SUMMARY_AGE_BUCKETS = 5;

export interface CatalogFamiliesOptions {
  /** Where utilization comes from: this process's event loop (default) or `reportBusy(ms)` calls. */
  utilization?: 'event-loop' | 'reports';
  /** Replaces performance.eventLoopUtilization() (tests). */
  eventLoop?: EluSource;
  /** Per-family series limit (cardinality guard). Default: the family default (10,000). */
  maxChildren?: number;
  /**
   * Stamp the computed gauges with the scrape time, as the Metrics API's documented output does. Default
   * true. Prometheus then keeps a stopped server's last values for five minutes instead of marking them
   * stale at the next failed scrape (README "Sample timestamps"); `omen serve --timestamps off` turns it off.
   */
  timestamps?: boolean;
}

/** The family behind each kind. */
export interface FamilyByKind {
  rate: RateGauge;
  ratio: RatioGauge;
  max: MaxGauge;
  min: MinGauge;
  average: AverageGauge;
  age: AgeGauge;
  utilization: UtilizationGauge;
  summary: Summary;
}

export class CatalogFamilies {
  readonly catalog: Catalog;
  readonly #families = new Map<string, FamilyByKind[MetricKind]>();

  constructor(registry: Registry, catalog: Catalog, options: CatalogFamiliesOptions = {}) {
    this.catalog = catalog;
    // Every event-loop utilization family reads one sample per scrape, so max, average and minimum agree.
    const measured = (options.utilization ?? 'event-loop') === 'event-loop' && catalog.metrics.some((metric) => metric.kind === 'utilization');
    const shared = measured ? { ...options, eventLoop: new SharedEventLoop(registry, options.eventLoop).read } : options;
    for (const metric of catalog.metrics) this.#families.set(metric.name, build(registry, catalog, metric, shared));
  }

  /**
   * The family for `name` if the catalog defines it, as the kind the caller expects. A metric the
   * catalog lacks is `undefined` (callers skip it); a metric of another kind or label set is a
   * programming error and throws, naming both.
   */
  get<K extends MetricKind>(name: string, kind: K, labels: readonly string[]): FamilyByKind[K] | undefined {
    const metric = this.catalog.get(name);
    if (metric === undefined) return undefined;
    if (metric.kind !== kind) {
      throw new CatalogError(`catalog ${this.catalog.version}: ${name} has kind "${metric.kind}", but the instrumentation feeds it as "${kind}"`);
    }
    if (metric.labels.join(',') !== labels.join(',')) {
      throw new CatalogError(
        `catalog ${this.catalog.version}: ${name} has labels [${metric.labels.join(', ')}], but the instrumentation sets [${labels.join(', ')}]`,
      );
    }
    return this.#families.get(name) as FamilyByKind[K];
  }
}

function build(registry: Registry, catalog: Catalog, metric: MetricDefinition, options: CatalogFamiliesOptions): FamilyByKind[MetricKind] {
  const base = {
    name: metric.name,
    help: helpText(metric),
    labelNames: metric.labels,
    ...(options.maxChildren === undefined ? {} : { maxChildren: options.maxChildren }),
  };
  const timestamps = options.timestamps ?? true;
  const windowed = { ...base, timestamps, windowSeconds: catalog.windowSeconds, slotSeconds: catalog.slotSeconds };
  switch (metric.kind) {
    case 'rate':
      return registry.rateGauge(windowed);
    case 'ratio':
      return registry.ratioGauge(windowed);
    case 'max':
      return registry.maxGauge(windowed);
    case 'min':
      return registry.register(new MinGauge({ ...windowed, clock: registry.clock }));
    case 'average':
      return registry.averageGauge(windowed);
    case 'utilization':
      return registry.utilizationGauge({
        ...windowed,
        source: options.utilization ?? 'event-loop',
        ...(options.eventLoop === undefined ? {} : { eventLoop: options.eventLoop }),
      });
    case 'age':
      return new AgeGauge(registry, base, timestamps);
    case 'summary':
      return registry.summary({ ...base, maxAgeSeconds: catalog.windowSeconds, ageBuckets: SUMMARY_AGE_BUCKETS });
  }
}

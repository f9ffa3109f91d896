// The registry: families in registration order plus scrape-time collectors; the one thing a scrape
// reads. A scrape runs the collectors, then copies each family's pre-rendered (or cached) bytes into a
// pooled writer; a failing collector is counted and reported, and every other family is still written.
import type { Clock } from './clock.js';
import type { ExpositionFormat } from './exposition/formats.js';
import type { FamilyModel } from './exposition/model.js';
import type { ErrorSink } from './metrics/errors.js';
import type { Family, FamilyOptions } from './metrics/family.js';
import type { GaugeHistogramOptions } from './metrics/gaugehistogram.js';
import type { HistogramOptions } from './metrics/histogram.js';
import type { StateSetOptions } from './metrics/stateset.js';
import type { SummaryOptions } from './metrics/summary.js';
import type { UtilizationGaugeOptions, WindowedGaugeOptions } from './metrics/windowed-gauges.js';
import { systemClock } from './clock.js';
import { ByteWriter } from './exposition/byte-writer.js';
import { PROMETHEUS } from './exposition/formats.js';
import { writeFamilyModel } from './exposition/model-writer.js';
import { ParseError } from './exposition/parse/error.js';
import { checkFamilyModel } from './exposition/parse/model-check.js';
import { Counter } from './metrics/counter.js';
import { METRIC_TYPES } from './exposition/model.js';
import { MetricError, quote } from './metrics/errors.js';
import { validateLabelNames, validateMetricName, validateOptionalBoolean } from './metrics/validate.js';
import { Gauge } from './metrics/gauge.js';
import { GaugeHistogram } from './metrics/gaugehistogram.js';
import { Histogram } from './metrics/histogram.js';
import { Info } from './metrics/info.js';
import { StateSet } from './metrics/stateset.js';
import { Summary } from './metrics/summary.js';
import { Unknown } from './metrics/unknown.js';
import { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from './metrics/windowed-gauges.js';

export type AnyFamily = Family<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type CollectorResult = readonly FamilyModel[] | void;
/** Runs at every scrape: update families, or return extra families to write (sync or async). */
export type Collector = () => CollectorResult | Promise<CollectorResult>;

export interface RegistryOptions {
  /** Passed to every family the registry creates; tests pass a FakeClock. */
  clock?: Clock;
  /** Receives refused records and collector failures. Default: one process warning per family and kind. */
  onError?: ErrorSink;
  /** After this long, a scrape yields to the event loop before its next family (one family is one stretch). Default 5 ms. */
  yieldEveryMs?: number;
  /** A collector that has not answered by then counts as failed for that scrape. Default 5,000 ms. */
  collectorTimeoutMs?: number;
  /** Default for families that leave `created` unset: whether OpenMetrics output has `_created` samples. Default true. */
  created?: boolean;
}

type Options<T> = Omit<T, 'clock'>;

/** Scrape buffers kept for reuse; more concurrent scrapes than this allocate and drop their own. */
const MAX_POOLED_WRITERS = 4;

/** A scrape's bytes on loan from the registry's buffer pool; see Registry.lease(). */
export interface ScrapeLease {
  readonly bytes: Buffer;
  release(): void;
}

/** Families the registry writes about itself; their names are taken from the start. */
const SELF_FAMILIES = ['omen_series_dropped', 'omen_records_rejected', 'omen_collector_errors'];

export class Registry {
  readonly clock: Clock;
  readonly #families: AnyFamily[] = [];
  readonly #takenNames = new Map<string, string>();
  readonly #collectors: CollectorState[] = [];
  readonly #writers: ByteWriter[] = [];
  readonly #onError: ErrorSink | undefined;
  readonly #yieldEveryMs: number;
  readonly #collectorTimeoutMs: number;
  readonly #created: boolean;

  constructor(options: RegistryOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.#onError = options.onError;
    this.#yieldEveryMs = options.yieldEveryMs ?? 5;
    this.#collectorTimeoutMs = options.collectorTimeoutMs ?? 5000;
    this.#created = validateOptionalBoolean('registry', 'created', options.created) ?? true;
    for (const name of SELF_FAMILIES) {
      this.#takenNames.set(name, name);
      this.#takenNames.set(`${name}_total`, name);
    }
  }

  counter(options: Options<FamilyOptions>): Counter {
    return this.register(new Counter({ ...options, clock: this.clock }));
  }

  gauge(options: Options<FamilyOptions>): Gauge {
    return this.register(new Gauge({ ...options, clock: this.clock }));
  }

  histogram(options: Options<HistogramOptions>): Histogram {
    return this.register(new Histogram({ ...options, clock: this.clock }));
  }

  summary(options: Options<SummaryOptions>): Summary {
    return this.register(new Summary({ ...options, clock: this.clock }));
  }

  gaugeHistogram(options: Options<GaugeHistogramOptions>): GaugeHistogram {
    return this.register(new GaugeHistogram({ ...options, clock: this.clock }));
  }

  info(options: Options<FamilyOptions>): Info {
    return this.register(new Info({ ...options, clock: this.clock }));
  }

  stateSet(options: Options<StateSetOptions>): StateSet {
    return this.register(new StateSet({ ...options, clock: this.clock }));
  }

  unknown(options: Options<FamilyOptions>): Unknown {
    return this.register(new Unknown({ ...options, clock: this.clock }));
  }

  /** Events per second over a sliding window (default 300 s); `labels(...).mark(n)`. */
  rateGauge(options: Options<WindowedGaugeOptions>): RateGauge {
    return this.register(new RateGauge({ ...options, clock: this.clock }));
  }

  /** Percent of a shared total over a sliding window; `markTotal(n)`, `labels(...).mark(n)`. */
  ratioGauge(options: Options<WindowedGaugeOptions>): RatioGauge {
    return this.register(new RatioGauge({ ...options, clock: this.clock }));
  }

  /** Largest value recorded in a sliding window; `labels(...).record(v)`. */
  maxGauge(options: Options<WindowedGaugeOptions>): MaxGauge {
    return this.register(new MaxGauge({ ...options, clock: this.clock }));
  }

  /** Average of the values recorded in a sliding window; `labels(...).record(v)`. */
  averageGauge(options: Options<WindowedGaugeOptions>): AverageGauge {
    return this.register(new AverageGauge({ ...options, clock: this.clock }));
  }

  /** Busy percent over a sliding window, from the event loop or `reportBusy(ms)`. */
  utilizationGauge(options: Options<UtilizationGaugeOptions>): UtilizationGauge {
    return this.register(new UtilizationGauge({ ...options, clock: this.clock }));
  }

  /**
   * Adds a family built elsewhere. Refuses a name already used, or one that collides with a sample
   * name another family writes (a gauge `a_created` next to a counter `a`) ([S "Suffixes"]).
   */
  register<F extends AnyFamily>(family: F): F {
    const names = [family.name, ...family.sampleNames()];
    for (const name of names) {
      const owner = this.#takenNames.get(name);
      if (owner === undefined) continue;
      const code = owner === family.name ? 'duplicate-family' : 'name-clash';
      const detail = owner === family.name ? 'is already registered' : `collides with a sample of family ${quote(owner)}`;
      throw new MetricError(code, `metric ${quote(family.name)} ${detail}: sample name ${quote(name)} would be written twice`, family.name);
    }
    for (const name of names) this.#takenNames.set(name, family.name);
    if (this.#onError !== undefined) family.onError = this.#onError;
    family.adoptDefaults({ created: this.#created });
    this.#families.push(family);
    return family;
  }

  unregister(family: AnyFamily): boolean {
    const index = this.#families.indexOf(family);
    if (index < 0) return false;
    this.#families.splice(index, 1);
    for (const name of [family.name, ...family.sampleNames()]) this.#takenNames.delete(name);
    return true;
  }

  /** The registered family named `name` (without type suffix), if any. */
  get(name: string): AnyFamily | undefined {
    return this.#families.find((family) => family.name === name);
  }

  get families(): readonly AnyFamily[] {
    return this.#families;
  }

  /** Adds a callback run at every scrape before any family is written; see Collector. */
  addCollector(name: string, run: Collector): void {
    this.#collectors.push({ name, run, failures: 0, running: false, warned: false });
  }

  /**
   * One exposition in `format` (Prometheus text by default). The result is the caller's to keep.
   * Cost: the collectors, then per family a copy of its cached bytes if nothing changed, else its
   * prefixes plus freshly formatted numbers; yields to the event loop every `yieldEveryMs`.
   */
  async scrape(format: ExpositionFormat = PROMETHEUS): Promise<Buffer> {
    const lease = await this.lease(format);
    try {
      if (lease.bytes.length > 1 << 20) await new Promise<void>((resolve) => setImmediate(resolve)); // the copy gets a slice of its own
      return Buffer.from(lease.bytes);
    } finally {
      lease.release();
    }
  }

  /**
   * Like scrape(), but lends the registry's pooled buffer instead of copying it out, which saves an
   * allocation and a copy of the whole exposition per scrape. `bytes` is valid until `release()`;
   * call it once the bytes are written out (e.g. on the HTTP response's 'close'). Release is idempotent.
   */
  async lease(format: ExpositionFormat = PROMETHEUS): Promise<ScrapeLease> {
    const extra = await this.#runCollectors();
    const writer = this.#writers.pop() ?? new ByteWriter();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.#writers.length < MAX_POOLED_WRITERS) this.#writers.push(writer);
    };
    try {
      writer.reset();
      const wallSeconds = this.clock.wallMs() / 1000;
      const context = { format, stamp: Buffer.from(` ${format.formatTimestamp(wallSeconds)}`, 'latin1') };
      let sliceStart = performance.now();
      for (let i = 0; i < this.#families.length; i++) {
        this.#families[i]!.writeTo(writer, context);
        if (performance.now() - sliceStart > this.#yieldEveryMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
      for (const family of extra) writeFamilyModel(writer, family, format);
      for (const family of this.#selfMetrics()) writeFamilyModel(writer, family, format);
      writer.ascii(format.trailer);
      return { bytes: writer.view(), release };
    } catch (error: unknown) {
      release();
      throw error;
    }
  }

  /** Runs every collector at once, each bounded by the timeout; keeps the good results in order. */
  async #runCollectors(): Promise<FamilyModel[]> {
    if (this.#collectors.length === 0) return [];
    const results = await Promise.allSettled(this.#collectors.map((collector) => this.#runOne(collector)));
    const extra: FamilyModel[] = [];
    results.forEach((result, i) => {
      const collector = this.#collectors[i]!;
      try {
        if (result.status === 'rejected') throw result.reason;
        for (const family of result.value ?? []) {
          checkCollected(collector.name, family);
          const clash = this.#takenNames.has(family.name) || extra.some((other) => other.name === family.name);
          if (clash) throw new MetricError('name-clash', `collector ${quote(collector.name)} returned family ${quote(family.name)}, which already exists`);
          extra.push(family);
        }
      } catch (error: unknown) {
        collector.failures++;
        const message = error instanceof Error ? error.message : String(error);
        const report = error instanceof MetricError ? error : new MetricError('invalid-value', `collector ${quote(collector.name)} failed: ${message}`);
        if (this.#onError !== undefined) this.#onError(report);
        else if (!collector.warned) {
          collector.warned = true; // one warning per collector; the counter keeps counting
          process.emitWarning(report.message, { type: 'MetricWarning', code: 'OMEN_COLLECTOR_FAILED' });
        }
      }
    });
    return extra;
  }

  async #runOne(collector: CollectorState): Promise<CollectorResult> {
    // A collector still running from an earlier scrape is not started again, so stuck calls cannot pile up.
    if (collector.running) throw new Error('still running since an earlier scrape; not started again');
    collector.running = true;
    const run = Promise.resolve()
      .then(collector.run)
      .finally(() => (collector.running = false));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#collectorTimeoutMs} ms`)), this.#collectorTimeoutMs);
    });
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The registry's own health: drops by the cardinality guard, refused records, failed collectors. */
  #selfMetrics(): FamilyModel[] {
    const families: FamilyModel[] = [];
    const perFamily = (name: string, help: string, read: (family: AnyFamily) => number): void => {
      const samples = this.#families
        .filter((family) => read(family) > 0)
        .map((family) => ({ name: `${name}_total`, labels: [['family', family.name] as const], value: read(family) }));
      if (samples.length > 0) families.push({ name, type: 'counter', help, samples });
    };
    perFamily('omen_series_dropped', 'labels() calls for a new series refused because the family had reached maxChildren; their records were dropped.', (f) => f.droppedSeries);
    perFamily('omen_records_rejected', 'Records refused for invalid input (label values, negative increments, NaN...).', (f) => f.rejectedRecords);
    const failed = this.#collectors.filter((collector) => collector.failures > 0);
    if (failed.length > 0) {
      families.push({
        name: 'omen_collector_errors',
        type: 'counter',
        help: 'Scrape-time collectors that threw or returned invalid families.',
        samples: failed.map((collector) => ({ name: 'omen_collector_errors_total', labels: [['collector', collector.name] as const], value: collector.failures })),
      });
    }
    return families;
  }
}

interface CollectorState {
  name: string;
  run: Collector;
  failures: number;
  running: boolean;
  warned: boolean;
}

/**
 * A collector's family must be writable, or one bad collector would make the whole exposition invalid:
 * typed fields, a valid name and type, and then the strict parser's rules applied to the model (model-check.ts).
 */
function checkCollected(collector: string, family: FamilyModel): void {
  const where = `collector ${quote(collector)} returned family ${quote(family.name)}`;
  validateMetricName(family.name);
  if (!METRIC_TYPES.includes(family.type)) throw new MetricError('invalid-value', `${where} with unknown type ${quote(family.type)}`);
  for (const sample of family.samples) {
    if (typeof sample.name !== 'string' || !sample.name.startsWith(family.name)) {
      throw new MetricError('invalid-name', `${where} with a sample named ${quote(sample.name)}: samples must start with the family name`);
    }
    validateMetricName(sample.name);
    validateLabelNames(family.name, sample.labels.map(([name]) => name));
    if (typeof sample.value !== 'number' || sample.labels.some(([, value]) => typeof value !== 'string')) {
      throw new MetricError('invalid-value', `${where} with sample ${quote(sample.name)}: values must be numbers and label values strings`);
    }
  }
  try {
    checkFamilyModel(family); // the parser's rules on the model itself: no write-and-parse round trip
  } catch (error: unknown) {
    if (!(error instanceof ParseError)) throw error;
    throw new MetricError('invalid-value', `${where} that is not valid OpenMetrics: ${error.detail}`);
  }
}
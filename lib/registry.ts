// The registry: families in registration order plus scrape-time collectors; the one thing a scrape
// reads. A scrape runs the collectors, then copies each family's pre-rendered (or cached) bytes into a
// pooled writer; a failing collector is counted and reported, and every other family is still written.
import type { Clock } from './clock.js';
import type { ExpositionFormat } from './exposition/formats.js';
import type { FamilyModel } from './exposition/model.js';
import type { ErrorSink } from './metrics/errors.js';
import type { Family, FamilyOptions } from './metrics/family.js';
import type { NameValidation } from './metrics/validate.js';
import type { GaugeHistogramOptions } from './metrics/gaugehistogram.js';
import type { HistogramOptions } from './metrics/histogram.js';
import type { LabelNames } from './metrics/label-types.js';
import type { StateSetOptions } from './metrics/stateset.js';
import type { SummaryOptions } from './metrics/summary.js';
import type { UtilizationGaugeOptions, WindowedGaugeOptions } from './metrics/windowed-gauges.js';
import { systemClock } from './clock.js';
import { ByteWriter } from './exposition/byte-writer.js';
import { PROMETHEUS } from './exposition/formats.js';
import { writeFamilyModel } from './exposition/model-writer.js';
import { hasUtf8Names } from './metrics/family-model.js';
import { needsOtherPath, writeOther } from './metrics/other-formats.js';
import { CollectorSet, type Collector } from './collectors.js';
import { checkDefaultLabels, withLabels } from './default-labels.js';
import { Counter } from './metrics/counter.js';
import { MetricError, quote } from './metrics/errors.js';
import { validateOptionalBoolean } from './metrics/validate.js';
import { Gauge } from './metrics/gauge.js';
import { GaugeHistogram } from './metrics/gaugehistogram.js';
import { Histogram } from './metrics/histogram.js';
import { Info } from './metrics/info.js';
import { StateSet } from './metrics/stateset.js';
import { Summary } from './metrics/summary.js';
import { Unknown } from './metrics/unknown.js';
import { isBinary } from './exposition/proto/format.js';
import { writeFamilyMessage as writeFamilyProtobufModel } from './exposition/proto/encode.js';
import { ProtoWriter } from './exposition/proto/writer.js';
import { TimeSlicer } from './time-slicer.js';
import { writeFamilyProtobuf } from './metrics/proto-family.js';
import { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from './metrics/windowed-gauges.js';

export type AnyFamily = Family<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type { Collector, CollectorResult } from './collectors.js';

export interface RegistryOptions {
  /** Passed to every family the registry creates; tests pass a FakeClock. */
  clock?: Clock;
  /** Receives refused records and collector failures. Default: one process warning per family and kind. */
  onError?: ErrorSink;
  /** After this long, a scrape yields to the event loop before its next family (one family is one stretch). Default 5 ms. */
  yieldEveryMs?: number;
  /** A collector that has not answered by then counts as failed for that scrape. Default 5,000 ms. */
  collectorTimeoutMs?: number;
  /**
   * `'legacy'` (default): metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*.
   * `'utf-8'`: any non-empty UTF-8 name (`http.server.duration`), written quoted where the scraper allows it
   * (OpenMetrics 2.0, or `escaping=allow-utf-8`) and otherwise escaped by the scheme it asked for (underscores
   * by default). Families with such names are written through the model, at a parse's cost per scrape.
   */
  nameValidation?: NameValidation;
  /** Labels put first on every series this registry writes (e.g. `{ service: 'api' }`); validated at construction. */
  defaultLabels?: Readonly<Record<string, string>>;
  /** Default for families that leave `created` unset: whether OpenMetrics output has `_created` samples. Default true. */
  created?: boolean;
}

type Options<T> = Omit<T, 'clock' | 'nameValidation'>;

/** Bytes scrape() copies between chances to yield: ~0.01 ms in warm memory, ~0.2 ms where every page faults. */
const COPY_SLICE = 64 * 1024;
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
  readonly #collectors: CollectorSet;
  readonly #writers: ByteWriter[] = [];
  readonly #protoWriters: ProtoWriter[] = [];
  readonly #onError: ErrorSink | undefined;
  readonly #yieldEveryMs: number;
  readonly #nameValidation: NameValidation;
  /** Families whose names need the model path (UTF-8 names), decided once per family. */
  readonly #utf8 = new WeakMap<AnyFamily, boolean>();
  readonly #defaultLabels: Readonly<Record<string, string>>;
  readonly #created: boolean;

  constructor(options: RegistryOptions = {}) {
    this.#nameValidation = options.nameValidation ?? 'legacy';
    this.clock = options.clock ?? systemClock;
    this.#onError = options.onError;
    this.#yieldEveryMs = options.yieldEveryMs ?? 5;
    this.#collectors = new CollectorSet({ timeoutMs: options.collectorTimeoutMs ?? 5000, nameValidation: this.#nameValidation, onError: this.#onError });
    this.#defaultLabels = checkDefaultLabels(options.defaultLabels ?? {});
    this.#created = validateOptionalBoolean('registry', 'created', options.created) ?? true;
    for (const name of SELF_FAMILIES) {
      this.#takenNames.set(name, name);
      this.#takenNames.set(`${name}_total`, name);
    }
  }

  /** The options a factory hands its family: the caller's, plus the registry's clock and name rules. */
  #options<T extends object>(options: T): T & { clock: Clock; nameValidation: NameValidation } {
    return { ...options, clock: this.clock, nameValidation: this.#nameValidation };
  }

  // `labelNames: ['route', 'code']` types labels('/', '200') and labels({ route, code }) for these four.
  counter<const L extends LabelNames = LabelNames>(options: Options<FamilyOptions<L>>): Counter<L> {
    return this.register(new Counter<L>(this.#options(options)));
  }

  gauge<const L extends LabelNames = LabelNames>(options: Options<FamilyOptions<L>>): Gauge<L> {
    return this.register(new Gauge<L>(this.#options(options)));
  }

  histogram<const L extends LabelNames = LabelNames>(options: Options<HistogramOptions<L>>): Histogram<L> {
    return this.register(new Histogram<L>(this.#options(options)));
  }

  summary<const L extends LabelNames = LabelNames>(options: Options<SummaryOptions<L>>): Summary<L> {
    return this.register(new Summary<L>(this.#options(options)));
  }

  gaugeHistogram(options: Options<GaugeHistogramOptions>): GaugeHistogram {
    return this.register(new GaugeHistogram(this.#options(options)));
  }

  info(options: Options<FamilyOptions>): Info {
    return this.register(new Info(this.#options(options)));
  }

  stateSet(options: Options<StateSetOptions>): StateSet {
    return this.register(new StateSet(this.#options(options)));
  }

  unknown(options: Options<FamilyOptions>): Unknown {
    return this.register(new Unknown(this.#options(options)));
  }

  /** Events per second over a sliding window (default 300 s); `labels(...).mark(n)`. */
  rateGauge(options: Options<WindowedGaugeOptions>): RateGauge {
    return this.register(new RateGauge(this.#options(options)));
  }

  /** Percent of a shared total over a sliding window; `markTotal(n)`, `labels(...).mark(n)`. */
  ratioGauge(options: Options<WindowedGaugeOptions>): RatioGauge {
    return this.register(new RatioGauge(this.#options(options)));
  }

  /** Largest value recorded in a sliding window; `labels(...).record(v)`. */
  maxGauge(options: Options<WindowedGaugeOptions>): MaxGauge {
    return this.register(new MaxGauge(this.#options(options)));
  }

  /** Average of the values recorded in a sliding window; `labels(...).record(v)`. */
  averageGauge(options: Options<WindowedGaugeOptions>): AverageGauge {
    return this.register(new AverageGauge(this.#options(options)));
  }

  /** Busy percent over a sliding window, from the event loop or `reportBusy(ms)`. */
  utilizationGauge(options: Options<UtilizationGaugeOptions>): UtilizationGauge {
    return this.register(new UtilizationGauge(this.#options(options)));
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
    family.applyDefaultLabels(this.#defaultLabels);
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

  /** The registered family named `name`, or whose sample is named `name` (a counter `x` by `x_total`). */
  get(name: string): AnyFamily | undefined {
    const owner = this.#takenNames.get(name);
    return this.#families.find((family) => family.name === name) ?? this.#families.find((family) => family.name === owner);
  }

  /** The default labels every series of this registry carries. */
  get defaultLabels(): Readonly<Record<string, string>> {
    return this.#defaultLabels;
  }

  get families(): readonly AnyFamily[] {
    return this.#families;
  }

  /** Adds a callback run at every scrape before any family is written; see Collector. */
  addCollector(name: string, run: Collector): void {
    this.#collectors.add(name, run);
  }

  /**
   * One exposition in `format` (Prometheus text by default). The result is the caller's to keep.
   * Cost: the collectors, then per family a copy of its cached bytes if nothing changed, else its
   * prefixes plus freshly formatted numbers, then a copy; yields to the event loop before a family (or a
   * slice of the copy) that would carry the current stretch past `yieldEveryMs` (lib/time-slicer.ts).
   */
  async scrape(format: ExpositionFormat = PROMETHEUS): Promise<Buffer> {
    const slicer = new TimeSlicer(this.#yieldEveryMs);
    const lease = await this.#lease(format, slicer);
    try {
      // Fresh memory costs a page fault per 4 KiB on first touch, on a VM ~12 µs each (28 ms for a 9.7 MB
      // exposition, bench/RESULTS.md, Scrape): copied in slices, the loop runs between them.
      const bytes = lease.bytes;
      const copy = Buffer.allocUnsafe(bytes.length);
      for (let at = 0; at < bytes.length; at += COPY_SLICE) {
        if (slicer.due()) await slicer.yield();
        bytes.copy(copy, at, at, Math.min(bytes.length, at + COPY_SLICE));
        slicer.stepDone();
      }
      return copy;
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
    return this.#lease(format, new TimeSlicer(this.#yieldEveryMs));
  }

  async #lease(format: ExpositionFormat, slicer: TimeSlicer): Promise<ScrapeLease> {
    const extra = await this.#collectors.run((name: string) => this.#takenNames.has(name));
    slicer.resumed();
    if (isBinary(format)) return this.#leaseProtobuf(extra, slicer);
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
      let scratch: ByteWriter | undefined;
      for (let i = 0; i < this.#families.length; i++) {
        if (slicer.due()) await slicer.yield();
        const family = this.#families[i]!;
        const utf8 = this.#hasUtf8Names(family);
        if (needsOtherPath(format, utf8)) writeOther(writer, family, context, utf8, wallSeconds, (scratch ??= new ByteWriter(16 * 1024)));
        else family.writeTo(writer, context);
        slicer.stepDone();
      }
      for (const family of extra) writeFamilyModel(writer, withLabels(family, this.#defaultLabels), format);
      for (const family of this.#selfMetrics()) writeFamilyModel(writer, withLabels(family, this.#defaultLabels), format);
      writer.ascii(format.trailer);
      return { bytes: writer.view(), release };
    } catch (error: unknown) {
      release();
      throw error;
    }
  }

  #hasUtf8Names(family: AnyFamily): boolean {
    if (this.#nameValidation === 'legacy') return false;
    let utf8 = this.#utf8.get(family);
    if (utf8 === undefined) this.#utf8.set(family, (utf8 = hasUtf8Names(family)));
    return utf8;
  }

  /**
   * Runs the collectors as a scrape does, without writing anything, and returns the families they
   * returned (a cluster worker runs this before it exports its families' state).
   */
  async collect(): Promise<FamilyModel[]> {
    return this.#collectors.run((name: string) => this.#takenNames.has(name));
  }

  /** lease() in Prometheus' protobuf format: each family's cached MetricFamily message, collectors' after. */
  async #leaseProtobuf(extra: readonly FamilyModel[], slicer: TimeSlicer): Promise<ScrapeLease> {
    const writer = this.#protoWriters.pop() ?? new ProtoWriter();
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.#protoWriters.length < MAX_POOLED_WRITERS) this.#protoWriters.push(writer);
    };
    try {
      writer.reset();
      const wallMs = this.clock.wallMs();
      for (let i = 0; i < this.#families.length; i++) {
        if (slicer.due()) await slicer.yield();
        writeFamilyProtobuf(writer, this.#families[i]!, wallMs);
        slicer.stepDone();
      }
      for (const family of extra) writeFamilyProtobufModel(writer, family);
      for (const family of this.#selfMetrics()) writeFamilyProtobufModel(writer, family);
      return { bytes: writer.view(), release };
    } catch (error: unknown) {
      release();
      throw error;
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
    const failed = this.#collectors.failures();
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

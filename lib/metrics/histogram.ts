// Histogram: counts of observations per bucket, plus their sum, written cumulatively at scrape.
// observe() on a bound child: a scan of ≤16 bounds (binary search above), two adds, one undefined check; no
// allocation (with exemplar labels: a label check and one small object, the bucket's latest exemplar).
// Bucket counts are kept per bucket (not cumulative) so an observation touches one slot.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { Buckets } from './buckets.js';
import type { ExemplarModel } from '../exposition/model.js';
import type { ExemplarLabels } from './exemplar.js';
import type { FamilyOptions } from './family.js';
import type { LabelNames, LabelObject } from './label-types.js';
import { Family, VersionedChild } from './family.js';
import { buildBuckets, bucketIndex } from './buckets.js';
import { startTimer } from './timer.js';
import { MetricError, quote } from './errors.js';
import type { NativeBucketsModel } from '../exposition/model.js';
import type { NativeConfig, NativeHistogramOptions } from './native-buckets.js';
import { NativeBuckets, nativeConfig } from './native-buckets.js';
import { makeExemplar } from './exemplar.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export interface HistogramOptions<L extends LabelNames = LabelNames> extends FamilyOptions<L> {
  /** Finite upper bounds, strictly increasing; +Inf is added. Default: DEFAULT_BUCKETS. */
  buckets?: readonly number[];
  /**
   * Also keep Prometheus native (sparse exponential) buckets, served in the protobuf format. `true` takes the
   * defaults (schema 3, zero threshold 2^-128, 160 buckets). Classic buckets stay unless `buckets: []`.
   */
  native?: boolean | NativeHistogramOptions;
}

export class HistogramChild extends VersionedChild {
  readonly counts: Float64Array;
  sum = 0;
  created: number;
  /** Native buckets, when the family has the `native` option: observe() then adds one index lookup and one add. */
  readonly native: NativeBuckets | undefined;
  /** The latest exemplar per bucket, created on the first observe() with one. */
  exemplars: (ExemplarModel | undefined)[] | undefined = undefined;

  constructor(
    readonly family: Histogram<LabelNames>,
    createdSeconds: number,
  ) {
    super();
    this.counts = new Float64Array(family.buckets.bounds.length + 1);
    this.created = createdSeconds;
    this.native = family.native === undefined ? undefined : new NativeBuckets(family.native);
  }

  /**
   * Records one observation. Refuses NaN, ±Inf, and negatives when no bound is negative; with native buckets,
   * only NaN (it would make `_sum` NaN for good): ±Inf and negatives have native buckets of their own. With
   * `exemplar` (e.g. `{ trace_id }`), it becomes its bucket's exemplar: a label check and one allocation.
   */
  observe(value: number, exemplar?: ExemplarLabels): void {
    if (exemplar !== undefined) return this.#observeWithExemplar(value, exemplar);
    const family = this.family;
    if (typeof value === 'number' && value - value === 0 && (value >= 0 || family.buckets.hasNegative)) {
      this.counts[bucketIndex(family.buckets.bounds, value)]!++;
      this.sum += value;
      if (this.native !== undefined) this.native.add(value, 1);
      this.version++;
      family.dirty = true;
    } else if (this.native !== undefined && typeof value === 'number' && value === value) {
      this.counts[bucketIndex(family.buckets.bounds, value)]!++;
      this.sum += value;
      this.native.add(value, 1);
      this.version++;
      family.dirty = true;
    } else {
      family.refuseObservation(value);
    }
  }

  /** The native buckets in the shared model's shape, or undefined without the `native` option. */
  nativeModel(): NativeBucketsModel | undefined {
    return this.native?.snapshot();
  }

  // Apart from observe(), so the path without an exemplar stays as small as V8 inlines into callers' loops.
  #observeWithExemplar(value: number, exemplar: ExemplarLabels): void {
    const family = this.family;
    const classic = typeof value === 'number' && value - value === 0 && (value >= 0 || family.buckets.hasNegative);
    if (classic || (this.native !== undefined && typeof value === 'number' && value === value)) {
      const index = bucketIndex(family.buckets.bounds, value);
      this.counts[index]!++;
      this.sum += value;
      this.native?.add(value, 1);
      this.version++;
      family.dirty = true;
      family.recordExemplar(this, index, value, exemplar);
    } else {
      family.refuseObservation(value);
    }
  }


  get count(): number {
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) total += this.counts[i]!;
    return total;
  }
}

export class Histogram<L extends LabelNames = LabelNames> extends Family<HistogramChild, L> {
  readonly type = 'histogram';
  readonly buckets: Buckets;
  /** The validated `native` option; undefined when off. */
  readonly native: NativeConfig | undefined;
  #bucketName: Buffer;
  #sumName: Buffer;
  #createdName: Buffer;

  constructor(options: HistogramOptions<L>) {
    super(options, options.name, '_count', ['le']);
    this.buckets = buildBuckets(this.name, options.buckets);
    this.native = nativeConfig(this.name, options.native);
    this.#bucketName = Buffer.from(`${this.name}_bucket`);
    this.#sumName = Buffer.from(`${this.name}_sum`);
    this.#createdName = Buffer.from(`${this.name}_created`);
    this.init();
  }

  observe(value: number, exemplar?: ExemplarLabels): void {
    this.single.observe(value, exemplar);
  }

  /**
   * Starts a timer; `end()` observes the seconds since then on the child for `labels` (the unlabelled
   * series without), plus any labels passed to `end()`, and returns them.
   */
  startTimer(labels?: Partial<LabelObject<L>>): (endLabels?: Partial<LabelObject<L>>) => number {
    return startTimer(this as never, labels);
  }

  sampleNames(): string[] {
    return ['_bucket', '_count', '_sum', '_created'].map((suffix) => this.name + suffix);
  }

  /** @internal */
  recordExemplar(child: HistogramChild, bucket: number, value: number, labels: ExemplarLabels): void {
    const exemplar = makeExemplar(labels, value, this.exemplarTime());
    if (typeof exemplar === 'string') this.refuseExemplar(exemplar);
    else (child.exemplars ??= new Array<ExemplarModel | undefined>(child.counts.length))[bucket] = exemplar;
  }

  /** @internal */
  refuseObservation(value: unknown): void {
    const rule = this.native !== undefined
      ? 'observations must be numbers other than NaN'
      : Number.isFinite(value)
      ? 'no bucket bound is negative, so observations must be >= 0; add negative bounds to record negatives'
      : 'observations must be finite numbers';
    this.reject(new MetricError(Number.isFinite(value) ? 'invalid-value' : 'non-finite-value', `${this.name}: cannot observe ${quote(value)}: ${rule}`, this.name));
  }

  protected createChild(): HistogramChild {
    return new HistogramChild(this, this.clock.wallMs() / 1000);
  }

  protected resetChild(child: HistogramChild): void {
    child.counts.fill(0);
    child.sum = 0;
    child.exemplars = undefined;
    child.created = this.clock.wallMs() / 1000;
    child.native?.reset();
  }

  protected writeChild(writer: ByteWriter, child: HistogramChild, format: ExpositionFormat, stamp: Uint8Array): void {
    const { fragments, hasNegative } = this.buckets;
    let cumulative = 0;
    for (let i = 0; i < fragments.length; i++) {
      cumulative += child.counts[i]!;
      const exemplar = format.openMetrics ? child.exemplars?.[i] : undefined;
      VALUE_INPUT[0] = cumulative;
      if (exemplar !== undefined) this.writeSample(writer, this.#bucketName, child, fragments[i], stamp, exemplar, format);
      else this.writeSample(writer, this.#bucketName, child, fragments[i], stamp);
    }
    // OpenMetrics "Histogram": with a negative threshold, _sum (and so _count) must be absent.
    const writeTotals = !(hasNegative && format.openMetrics);
    if (writeTotals) {
      VALUE_INPUT[0] = child.sum;
      this.writeSample(writer, this.#sumName, child, undefined, stamp);
      VALUE_INPUT[0] = cumulative;
      this.writePrimary(writer, child, stamp);
    }
    if (!format.openMetrics || !this.writesCreated) return;
    VALUE_INPUT[0] = child.created;
    this.writeSample(writer, this.#createdName, child, undefined, stamp);
  }
}

// Gauge histogram: the current distribution of things that come and go (queue items by age), as
// buckets plus `_gcount`/`_gsum`. add() on a bound child: one bucket scan, two adds; no allocation.
// Counts stay whole numbers and never negative: an add that would break either is refused.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { Buckets } from './buckets.js';
import type { FamilyOptions } from './family.js';
import { Family, VersionedChild } from './family.js';
import { buildBuckets, bucketIndex } from './buckets.js';
import { MetricError, quote } from './errors.js';
import type { NativeBucketsModel } from '../exposition/model.js';
import type { NativeConfig, NativeHistogramOptions } from './native-buckets.js';
import { NativeBuckets, nativeConfig } from './native-buckets.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export interface GaugeHistogramOptions extends FamilyOptions {
  buckets?: readonly number[];
  /** Native buckets as on a histogram (see HistogramOptions.native); a remove never takes one below zero. */
  native?: boolean | NativeHistogramOptions;
}

export class GaugeHistogramChild extends VersionedChild {
  readonly counts: Float64Array;
  sum = 0;
  readonly native: NativeBuckets | undefined;

  constructor(readonly family: GaugeHistogram) {
    super();
    this.counts = new Float64Array(family.buckets.bounds.length + 1);
    this.native = family.native === undefined ? undefined : new NativeBuckets(family.native);
  }

  /** Adds `count` items of size `value` (a negative count takes them away). */
  add(value: number, count = 1): void {
    const family = this.family;
    const bucket = bucketIndex(family.buckets.bounds, value);
    const native = this.native;
    if (native === undefined && typeof value === 'number' && value - value === 0 && (value >= 0 || family.buckets.hasNegative) && Number.isInteger(count) && this.counts[bucket]! + count >= 0) {
      this.counts[bucket]! += count;
      this.sum += value * count;
      this.version++;
      family.dirty = true;
    } else if (native !== undefined && typeof value === 'number' && value === value && Number.isInteger(count) && this.counts[bucket]! + count >= 0 && native.countAt(value) + count >= 0) {
      this.counts[bucket]! += count;
      this.sum += value * count;
      native.add(value, count);
      this.version++;
      family.dirty = true;
    } else {
      family.refuseAdd(value, count);
    }
  }

  /** The native buckets in the shared model's shape, or undefined without the `native` option. */
  nativeModel(): NativeBucketsModel | undefined {
    return this.native?.snapshot();
  }
}

export class GaugeHistogram extends Family<GaugeHistogramChild> {
  readonly type = 'gaugehistogram';
  readonly buckets: Buckets;
  readonly native: NativeConfig | undefined;
  #bucketName: Buffer;
  #gsumName: Buffer;

  constructor(options: GaugeHistogramOptions) {
    super(options, options.name, '_gcount', ['le']);
    this.buckets = buildBuckets(this.name, options.buckets);
    this.native = nativeConfig(this.name, options.native);
    this.#bucketName = Buffer.from(`${this.name}_bucket`);
    this.#gsumName = Buffer.from(`${this.name}_gsum`);
    this.init();
  }

  add(value: number, count = 1): void {
    this.single.add(value, count);
  }

  sampleNames(): string[] {
    return ['_bucket', '_gcount', '_gsum'].map((suffix) => this.name + suffix);
  }

  /** @internal */
  refuseAdd(value: unknown, count: unknown): void {
    let rule: string;
    if (this.native !== undefined && (typeof value !== 'number' || value !== value)) rule = 'values must be numbers other than NaN';
    else if (this.native !== undefined) rule = Number.isInteger(count) ? 'a bucket cannot hold fewer than zero items' : 'counts must be whole numbers';
    else if (!Number.isFinite(value)) rule = 'values must be finite numbers';
    else if ((value as number) < 0 && !this.buckets.hasNegative) rule = 'no bucket bound is negative, so values must be >= 0';
    else if (!Number.isInteger(count)) rule = 'counts must be whole numbers';
    else rule = 'a bucket cannot hold fewer than zero items';
    this.reject(new MetricError('invalid-value', `${this.name}: cannot add ${quote(count)} × ${quote(value)}: ${rule}`, this.name));
  }

  protected createChild(): GaugeHistogramChild {
    return new GaugeHistogramChild(this);
  }

  protected resetChild(child: GaugeHistogramChild): void {
    child.counts.fill(0);
    child.sum = 0;
    child.native?.reset();
  }

  protected writeChild(writer: ByteWriter, child: GaugeHistogramChild, format: ExpositionFormat, stamp: Uint8Array): void {
    const fragments = this.buckets.fragments;
    let cumulative = 0;
    for (let i = 0; i < fragments.length; i++) {
      cumulative += child.counts[i]!;
      VALUE_INPUT[0] = cumulative;
      this.writeSample(writer, this.#bucketName, child, fragments[i], stamp);
    }
    if (!format.openMetrics) return;
    VALUE_INPUT[0] = child.sum;
    this.writeSample(writer, this.#gsumName, child, undefined, stamp);
    VALUE_INPUT[0] = cumulative;
    this.writePrimary(writer, child, stamp);
  }

  /** Prometheus text has no gauge histogram: `_gcount` and `_gsum` follow as gauge families. */
  protected override writeFooter(writer: ByteWriter, format: ExpositionFormat, stamp: Uint8Array): void {
    if (format.openMetrics) return;
    writer.utf8(format.header({ name: `${this.name}_gsum`, type: 'gauge', help: this.help }));
    for (const child of this.children) {
      VALUE_INPUT[0] = child.sum;
      this.writeSample(writer, this.#gsumName, child, undefined, stamp);
    }
    writer.utf8(format.header({ name: `${this.name}_gcount`, type: 'gauge', help: this.help }));
    for (const child of this.children) {
      VALUE_INPUT[0] = sumCounts(child.counts);
      this.writePrimary(writer, child, stamp);
    }
  }
}

function sumCounts(counts: Float64Array): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return total;
}

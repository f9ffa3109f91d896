// Histogram: counts of observations per bucket, plus their sum, written cumulatively at scrape.
// observe() on a bound child: a scan of ≤16 bounds (binary search above), two adds; no allocation.
// Bucket counts are kept per bucket (not cumulative) so an observation touches one slot.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { Buckets } from './buckets.js';
import type { FamilyOptions } from './family.js';
import { Child, Family } from './family.js';
import { buildBuckets, bucketIndex } from './buckets.js';
import { MetricError, quote } from './errors.js';

export interface HistogramOptions extends FamilyOptions {
  /** Finite upper bounds, strictly increasing; +Inf is added. Default: DEFAULT_BUCKETS. */
  buckets?: readonly number[];
}

export class HistogramChild extends Child {
  readonly counts: Float64Array;
  sum = 0;
  created: number;

  constructor(
    readonly family: Histogram,
    createdSeconds: number,
  ) {
    super();
    this.counts = new Float64Array(family.buckets.bounds.length + 1);
    this.created = createdSeconds;
  }

  /** Records one observation. Refuses NaN, ±Inf, and negatives when no bound is negative. */
  observe(value: number): void {
    const family = this.family;
    if (typeof value === 'number' && value - value === 0 && (value >= 0 || family.buckets.hasNegative)) {
      this.counts[bucketIndex(family.buckets.bounds, value)]!++;
      this.sum += value;
      this.version++;
      family.dirty = true;
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

export class Histogram extends Family<HistogramChild> {
  readonly type = 'histogram';
  readonly buckets: Buckets;
  #bucketName: Buffer;
  #sumName: Buffer;
  #createdName: Buffer;

  constructor(options: HistogramOptions) {
    super(options, options.name, '_count', ['le']);
    this.buckets = buildBuckets(this.name, options.buckets);
    this.#bucketName = Buffer.from(`${this.name}_bucket`);
    this.#sumName = Buffer.from(`${this.name}_sum`);
    this.#createdName = Buffer.from(`${this.name}_created`);
    this.init();
  }

  observe(value: number): void {
    this.single.observe(value);
  }

  sampleNames(): string[] {
    return ['_bucket', '_count', '_sum', '_created'].map((suffix) => this.name + suffix);
  }

  /** @internal */
  refuseObservation(value: unknown): void {
    const rule = Number.isFinite(value)
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
    child.created = this.clock.wallMs() / 1000;
  }

  protected writeChild(writer: ByteWriter, child: HistogramChild, format: ExpositionFormat, stamp: Uint8Array): void {
    const { fragments, hasNegative } = this.buckets;
    let cumulative = 0;
    for (let i = 0; i < fragments.length; i++) {
      cumulative += child.counts[i]!;
      this.writeSample(writer, this.#bucketName, child, fragments[i], cumulative, stamp);
    }
    // OpenMetrics "Histogram": with a negative threshold, _sum (and so _count) must be absent.
    const writeTotals = !(hasNegative && format.openMetrics);
    if (writeTotals) {
      this.writeSample(writer, this.#sumName, child, undefined, child.sum, stamp);
      this.writePrimary(writer, child, cumulative, stamp);
    }
    if (format.openMetrics && this.writesCreated) this.writeSample(writer, this.#createdName, child, undefined, child.created, stamp);
  }
}

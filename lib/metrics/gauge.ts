// Gauge: a value that goes up and down. set/inc/dec on a bound child: one store or add plus a flag
// store; no allocation. Any number is accepted, NaN and ±Inf included (OpenMetrics allows them).
// A child keeps no version: its line is its value alone, so the scrape cache compares values.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { FamilyOptions } from './family.js';
import type { LabelNames } from './label-types.js';
import { Child, Family, NO_STAMP } from './family.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export class GaugeChild extends Child {
  value = 0;

  constructor(readonly family: Family<GaugeChild>) {
    super();
  }

  set(value: number): void {
    if (typeof value !== 'number') return this.family.refuseRecord('set', value, 'gauge values must be numbers');
    this.value = value;
    this.family.dirty = true;
  }

  inc(amount = 1): void {
    if (typeof amount !== 'number') return this.family.refuseRecord('increment by', amount, 'amounts must be numbers');
    this.value += amount;
    this.family.dirty = true;
  }

  dec(amount = 1): void {
    if (typeof amount !== 'number') return this.family.refuseRecord('decrement by', amount, 'amounts must be numbers');
    this.value -= amount;
    this.family.dirty = true;
  }
}

export class Gauge<L extends LabelNames = LabelNames> extends Family<GaugeChild, L> {
  readonly type: 'gauge' | 'unknown' = 'gauge';

  constructor(options: FamilyOptions<L>) {
    super(options, options.name, '');
    this.init();
  }

  set(value: number): void {
    this.single.set(value);
  }

  inc(amount = 1): void {
    this.single.inc(amount);
  }

  dec(amount = 1): void {
    this.single.dec(amount);
  }

  get value(): number {
    return this.single.value;
  }

  sampleNames(): string[] {
    return [this.name];
  }

  /** @internal A gauge's line is its value alone, so the value is its scrape-cache key: no version to keep. */
  override scrapeKeys(keys: Float64Array): void {
    const children = this.children;
    for (let i = 0; i < children.length; i++) keys[i] = children[i]!.value;
  }

  protected createChild(): GaugeChild {
    return new GaugeChild(this);
  }

  protected resetChild(child: GaugeChild): void {
    child.value = 0;
  }

  /** @internal Family.renderRange()'s loop, in this class's own code so its writeChild() call is monomorphic. */
  protected override renderRange(writer: ByteWriter, format: ExpositionFormat, from: number, to: number, offsets: Int32Array, base: number): void {
    const children = this.children;
    for (let i = from; i < to; i++) {
      offsets[i] = writer.length - base;
      this.writeChild(writer, children[i]!, format, NO_STAMP);
    }
  }

  protected writeChild(writer: ByteWriter, child: GaugeChild, _format: ExpositionFormat, stamp: Uint8Array): void {
    VALUE_INPUT[0] = child.value;
    this.writePrimary(writer, child, stamp);
  }
}

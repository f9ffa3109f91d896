// Counter: a monotonically increasing total, written `<name>_total` plus `<name>_created` (OpenMetrics, unless created is off).
// inc() on a bound child: one comparison, one add, one flag store, one undefined check; no allocation
// (with exemplar labels: a label check and one small object, kept as the series' latest exemplar).
// A negative, NaN or infinite increment is refused (reported, not thrown) and the total is unchanged.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { ExemplarModel } from '../exposition/model.js';
import type { ExemplarLabels } from './exemplar.js';
import type { FamilyOptions } from './family.js';
import type { LabelNames } from './label-types.js';
import { Family, NO_STAMP, VersionedChild } from './family.js';
import { MetricError, quote } from './errors.js';
import { makeExemplar } from './exemplar.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export class CounterChild extends VersionedChild {
  /**
   * The total. First stored as a non-integer so V8 gives the field its double representation from the
   * start: a total passing 2^31 (the end of small integers) then costs no deopt and no map migration.
   */
  value = 0.5;
  /** Unix seconds when this series started counting (creation or reset). */
  created: number;
  /** The latest exemplar recorded with inc(), written on `_total` in OpenMetrics. */
  exemplar: ExemplarModel | undefined = undefined;

  constructor(
    readonly family: Counter<LabelNames>,
    createdSeconds: number,
  ) {
    super();
    this.created = createdSeconds;
    this.value = 0;
  }

  /**
   * Adds `amount` (default 1). Cost: a few ns; refuses amounts that are negative or not finite.
   * With `exemplar` (e.g. `{ trace_id }`), it becomes the series' exemplar: a label check and one allocation.
   */
  inc(amount = 1, exemplar?: ExemplarLabels): void {
    if (typeof amount === 'number' && amount >= 0 && amount !== Infinity) {
      this.value += amount;
      this.version++;
      this.family.dirty = true;
      if (exemplar !== undefined) this.family.recordExemplar(this, amount, exemplar);
    } else {
      this.family.refuseIncrement(amount);
    }
  }
}

export class Counter<L extends LabelNames = LabelNames> extends Family<CounterChild, L> {
  readonly type = 'counter';
  #createdName: Buffer;

  /** `name` may end in `_total`; the family name is the name without it (OpenMetrics "Counter"). */
  constructor(options: FamilyOptions<L>) {
    super(options, familyName(options.name), '_total');
    this.#createdName = Buffer.from(`${this.name}_created`);
    this.init();
  }

  inc(amount = 1, exemplar?: ExemplarLabels): void {
    this.single.inc(amount, exemplar);
  }

  /** The unlabelled total. */
  get value(): number {
    return this.single.value;
  }

  sampleNames(): string[] {
    return [`${this.name}_total`, `${this.name}_created`];
  }

  /** @internal */
  recordExemplar(child: CounterChild, amount: number, labels: ExemplarLabels): void {
    const exemplar = makeExemplar(labels, amount, this.exemplarTime());
    if (typeof exemplar === 'string') this.refuseExemplar(exemplar);
    else child.exemplar = exemplar;
  }

  /** @internal */
  refuseIncrement(amount: unknown): void {
    if (typeof amount === 'number' && amount < 0) {
      this.reject(new MetricError('negative-increment', `${this.name}: cannot increment by ${quote(amount)}: counters only go up; use a gauge for values that can fall`, this.name));
    } else {
      this.refuseRecord('increment by', amount, 'increments must be finite numbers');
    }
  }

  protected createChild(): CounterChild {
    return new CounterChild(this, this.clock.wallMs() / 1000);
  }

  protected resetChild(child: CounterChild): void {
    child.value = 0;
    child.exemplar = undefined;
    child.created = this.clock.wallMs() / 1000;
  }

  /** @internal Family.renderRange()'s loop, in this class's own code so its writeChild() call is monomorphic. */
  protected override renderRange(writer: ByteWriter, format: ExpositionFormat, from: number, to: number, offsets: Int32Array, base: number): void {
    const children = this.children;
    for (let i = from; i < to; i++) {
      offsets[i] = writer.length - base;
      this.writeChild(writer, children[i]!, format, NO_STAMP);
    }
  }

  protected writeChild(writer: ByteWriter, child: CounterChild, format: ExpositionFormat, stamp: Uint8Array): void {
    VALUE_INPUT[0] = child.value;
    if (format.openMetrics && child.exemplar !== undefined) this.writePrimary(writer, child, stamp, child.exemplar, format);
    else this.writePrimary(writer, child, stamp);
    if (!format.openMetrics || !this.writesCreated) return;
    VALUE_INPUT[0] = child.created;
    this.writeSample(writer, this.#createdName, child, undefined, stamp);
  }
}

function familyName(name: unknown): string {
  if (typeof name !== 'string' || !name.endsWith('_total')) return name as string;
  const stripped = name.slice(0, -'_total'.length);
  if (stripped.endsWith('_total')) {
    throw new MetricError('invalid-name', `invalid counter name ${quote(name)}: ends in "_total" twice; name it ${quote(stripped)}`);
  }
  return stripped;
}

// Summary: quantiles over a sliding time window, plus `_sum`, `_count` and `_created` since creation
// (OpenMetrics wants those cumulative; only the quantiles are windowed). observe() on a bound child:
// one buffered insert into the window (amortised sort and merge), two adds; no allocation.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { QuantileTarget } from '../quantile/targets.js';
import type { FamilyOptions } from './family.js';
import type { LabelNames, LabelObject } from './label-types.js';
import { formatCanonical } from '../exposition/numbers.js';
import { DEFAULT_TARGETS, validateTargets } from '../quantile/targets.js';
import { DEFAULT_AGE_BUCKETS, DEFAULT_MAX_AGE_SECONDS, WindowedQuantiles } from '../quantile/window.js';
import { recordingClock } from '../window/coarse-clock.js';
import { Family, VersionedChild } from './family.js';
import { MetricError, quote } from './errors.js';
import { startTimer } from './timer.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export interface SummaryOptions<L extends LabelNames = LabelNames> extends FamilyOptions<L> {
  /** Quantiles to report, each with its allowed rank error. Default: 0.5±0.05, 0.9±0.01, 0.99±0.001. */
  targets?: readonly QuantileTarget[];
  /** How far back the quantiles look. Default 600 s. */
  maxAgeSeconds?: number;
  /** How many rotating streams the window is cut into; a value leaves at most maxAge/ageBuckets late. Default 5. */
  ageBuckets?: number;
}

export class SummaryChild extends VersionedChild {
  readonly window: WindowedQuantiles;
  sum = 0;
  count = 0;
  created: number;

  constructor(
    readonly family: Summary<LabelNames>,
    createdSeconds: number,
  ) {
    super();
    this.window = family.newWindow();
    this.created = createdSeconds;
  }

  /** Records one observation; refuses NaN, ±Inf and negatives (OpenMetrics: `_sum` is never negative). */
  observe(value: number): void {
    if (typeof value === 'number' && value >= 0 && value !== Infinity) {
      this.window.insert(value);
      this.sum += value;
      this.count++;
      this.version++;
      this.family.dirty = true;
    } else {
      this.family.refuseObservation(value);
    }
  }

  /** The windowed estimate for one of the family's target quantiles; NaN when the window is empty. */
  quantile(q: number): number {
    return this.window.query(q);
  }
}

export class Summary<L extends LabelNames = LabelNames> extends Family<SummaryChild, L> {
  readonly type = 'summary';
  readonly targets: readonly QuantileTarget[];
  readonly maxAgeSeconds: number;
  readonly ageBuckets: number;
  #quantileName: Buffer;
  #fragments: Buffer[];
  #sumName: Buffer;
  #createdName: Buffer;

  constructor(options: SummaryOptions<L>) {
    super(options, options.name, '_count', ['quantile']);
    this.targets = definition(this.name, () => validateTargets(options.targets ?? DEFAULT_TARGETS));
    this.maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    this.ageBuckets = options.ageBuckets ?? DEFAULT_AGE_BUCKETS;
    this.#quantileName = Buffer.from(this.name);
    this.#fragments = this.targets.map((target) => Buffer.from(`quantile="${formatCanonical(target.q)}"`));
    this.#sumName = Buffer.from(`${this.name}_sum`);
    this.#createdName = Buffer.from(`${this.name}_created`);
    definition(this.name, () => this.newWindow()); // validates maxAgeSeconds and ageBuckets before any child exists
    this.init();
  }

  observe(value: number): void {
    this.single.observe(value);
  }

  /**
   * Starts a timer; `end()` observes the seconds since then on the child for `labels` (the unlabelled
   * series without), plus any labels passed to `end()`, and returns them.
   */
  startTimer(labels?: Partial<LabelObject<L>>): (endLabels?: Partial<LabelObject<L>>) => number {
    return startTimer(this as never, labels);
  }

  sampleNames(): string[] {
    return ['', '_sum', '_count', '_created'].map((suffix) => this.name + suffix);
  }

  /** @internal */
  newWindow(): WindowedQuantiles {
    return new WindowedQuantiles({
      targets: this.targets,
      maxAgeSeconds: this.maxAgeSeconds,
      ageBuckets: this.ageBuckets,
      clock: recordingClock(this.clock),
    });
  }

  /** @internal */
  refuseObservation(value: unknown): void {
    const finite = Number.isFinite(value);
    const rule = finite ? 'summaries take only values >= 0 (OpenMetrics: _sum must not be negative)' : 'observations must be finite numbers';
    this.reject(new MetricError(finite ? 'invalid-value' : 'non-finite-value', `${this.name}: cannot observe ${quote(value)}: ${rule}`, this.name));
  }

  /** Quantiles move as the window rotates, even with no new observation. */
  protected override get computedAtScrape(): boolean {
    return true;
  }

  protected createChild(): SummaryChild {
    return new SummaryChild(this, this.clock.wallMs() / 1000);
  }

  protected resetChild(child: SummaryChild): void {
    child.window.reset();
    child.sum = 0;
    child.count = 0;
    child.created = this.clock.wallMs() / 1000;
  }

  protected writeChild(writer: ByteWriter, child: SummaryChild, format: ExpositionFormat, stamp: Uint8Array): void {
    for (let i = 0; i < this.targets.length; i++) {
      VALUE_INPUT[0] = child.window.query(this.targets[i]!.q);
      this.writeSample(writer, this.#quantileName, child, this.#fragments[i], stamp);
    }
    VALUE_INPUT[0] = child.sum;
    this.writeSample(writer, this.#sumName, child, undefined, stamp);
    VALUE_INPUT[0] = child.count;
    this.writePrimary(writer, child, stamp);
    if (!format.openMetrics || !this.writesCreated) return;
    VALUE_INPUT[0] = child.created;
    this.writeSample(writer, this.#createdName, child, undefined, stamp);
  }
}

/** Runs a definition-time check of the quantile engine, turning its errors into MetricErrors. */
function definition<T>(family: string, check: () => T): T {
  try {
    return check();
  } catch (error: unknown) {
    throw new MetricError('invalid-option', `${family}: ${(error as Error).message}`, family);
  }
}

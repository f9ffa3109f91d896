// Gauges computed over a sliding time window (lib/window/): events per second, percentages of a shared
// total, max and average of recorded values, utilization. Recording on a bound child: one cached clock
// read and one slot add, no allocation; the value is computed when a scrape reads it, so never cached.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { EluSource } from '../window/utilization.js';
import type { WindowOptions } from '../window/options.js';
import type { FamilyOptions } from './family.js';
import { recordingClock } from '../window/coarse-clock.js';
import { MaxAvgWindow } from '../window/maxavg.js';
import { RateWindow } from '../window/rate.js';
import { RatioWindow, type RatioNumerator } from '../window/ratio.js';
import { EventLoopUtilizationWindow, UtilizationWindow } from '../window/utilization.js';
import { Child, Family } from './family.js';
import { MetricError, quote } from './errors.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export interface WindowedGaugeOptions extends FamilyOptions {
  /** Window length. Default 300 s ("over five minutes", as the Metrics API describes its rates). */
  windowSeconds?: number;
  /** Slot width: the window's time resolution. Default 5 s (60 slots). */
  slotSeconds?: number;
}

abstract class WindowedGauge<C extends Child> extends Family<C> {
  readonly type = 'gauge';
  protected readonly window: WindowOptions;

  protected constructor(options: WindowedGaugeOptions) {
    super(options, options.name, '');
    this.window = {
      windowMs: seconds(this.name, 'windowSeconds', options.windowSeconds),
      slotMs: seconds(this.name, 'slotSeconds', options.slotSeconds),
      // performance.now() costs several times a slot add: windows share one cached reading (100 ms).
      clock: recordingClock(this.clock),
    };
    try {
      new RateWindow(this.window); // validates the geometry before any child exists
    } catch (error: unknown) {
      throw new MetricError('invalid-option', `${this.name}: ${(error as Error).message}`, this.name);
    }
  }

  sampleNames(): string[] {
    return [this.name];
  }

  protected override get computedAtScrape(): boolean {
    return true;
  }

  protected writeChild(writer: ByteWriter, child: C, _format: ExpositionFormat, stamp: Uint8Array): void {
    VALUE_INPUT[0] = this.read(child);
    this.writePrimary(writer, child, stamp);
  }

  /** The child's current value, computed from its window. */
  protected abstract read(child: C): number;

}

/** Events (or rows) per second over the window. Before a full window has passed, per second elapsed. */
export class RateGaugeChild extends Child {
  constructor(
    readonly family: RateGauge,
    readonly window: RateWindow,
  ) {
    super();
  }

  /** Counts `n` events now (default 1). */
  mark(n = 1): void {
    if (typeof n === 'number' && n >= 0 && n !== Infinity) this.window.mark(n);
    else this.family.refuseRecord('mark', n, 'event counts must be finite numbers >= 0');
  }
}

export class RateGauge extends WindowedGauge<RateGaugeChild> {
  constructor(options: WindowedGaugeOptions) {
    super(options);
    this.init();
  }

  mark(n = 1): void {
    this.single.mark(n);
  }

  protected createChild(): RateGaugeChild {
    return new RateGaugeChild(this, new RateWindow(this.window));
  }

  protected resetChild(child: RateGaugeChild): void {
    child.window.reset();
  }

  protected read(child: RateGaugeChild): number {
    return child.window.rate();
  }
}

/** A share, in percent, of one total that the family holds (errors by status over all requests). */
export class RatioGaugeChild extends Child {
  constructor(
    readonly family: RatioGauge,
    readonly numerator: RatioNumerator,
  ) {
    super();
  }

  /** Counts `n` events of this share now; count them in the family's total too (`markTotal`). */
  mark(n = 1): void {
    if (typeof n === 'number' && n >= 0 && n !== Infinity) this.numerator.mark(n);
    else this.family.refuseRecord('mark', n, 'event counts must be finite numbers >= 0');
  }
}

export class RatioGauge extends WindowedGauge<RatioGaugeChild> {
  #ratio: RatioWindow;

  constructor(options: WindowedGaugeOptions) {
    super(options);
    this.#ratio = new RatioWindow(this.window);
    this.init();
  }

  /** Counts `n` events of the total that every child's share is taken of. */
  markTotal(n = 1): void {
    if (typeof n === 'number' && n >= 0 && n !== Infinity) this.#ratio.markTotal(n);
    else this.refuseRecord('markTotal', n, 'event counts must be finite numbers >= 0');
  }

  /** Events of the total in the window. */
  total(): number {
    return this.#ratio.total();
  }

  /** Numerator windows held: one per live child (plus the no-op child once used). */
  get numeratorCount(): number {
    return this.#ratio.numeratorCount;
  }

  protected createChild(): RatioGaugeChild {
    return new RatioGaugeChild(this, this.#ratio.numerator());
  }

  /** Also clears the shared total, which belongs to no child. */
  override reset(): void {
    super.reset();
    this.#ratio.reset();
  }

  protected resetChild(): void {
    this.#ratio.reset();
  }

  protected override releaseChild(child: RatioGaugeChild): void {
    this.#ratio.release(child.numerator);
  }

  protected read(child: RatioGaugeChild): number {
    return child.numerator.percent();
  }
}

/** Max, min or average of values recorded in the window (event ages); 0 when the window holds none. */
export class StatGaugeChild extends Child {
  constructor(
    readonly family: StatGauge,
    readonly window: MaxAvgWindow,
  ) {
    super();
  }

  record(value: number): void {
    if (typeof value === 'number' && value - value === 0) this.window.record(value);
    else this.family.refuseRecord('record', value, 'values must be finite numbers');
  }
}

export abstract class StatGauge extends WindowedGauge<StatGaugeChild> {
  record(value: number): void {
    this.single.record(value);
  }

  protected createChild(): StatGaugeChild {
    return new StatGaugeChild(this, new MaxAvgWindow(this.window));
  }

  protected resetChild(child: StatGaugeChild): void {
    child.window.reset();
  }
}

export class MaxGauge extends StatGauge {
  constructor(options: WindowedGaugeOptions) {
    super(options);
    this.init();
  }

  protected read(child: StatGaugeChild): number {
    return child.window.max();
  }
}

export class MinGauge extends StatGauge {
  constructor(options: WindowedGaugeOptions) {
    super(options);
    this.init();
  }

  protected read(child: StatGaugeChild): number {
    return child.window.min();
  }
}

export class AverageGauge extends StatGauge {
  constructor(options: WindowedGaugeOptions) {
    super(options);
    this.init();
  }

  protected read(child: StatGaugeChild): number {
    return child.window.average();
  }
}

export interface UtilizationGaugeOptions extends WindowedGaugeOptions {
  /** `event-loop` (default) measures this process's event loop; `reports` sums `reportBusy(ms)` calls. */
  source?: 'event-loop' | 'reports';
  /** Replaces performance.eventLoopUtilization() (tests). */
  eventLoop?: EluSource;
}

/** Busy time in percent of the window, from the event loop or from busy-time reports. */
export class UtilizationGaugeChild extends Child {
  constructor(
    readonly family: UtilizationGauge,
    readonly window: UtilizationWindow | EventLoopUtilizationWindow,
  ) {
    super();
  }

  /** Adds `ms` of busy time now (source `reports` only). */
  reportBusy(ms: number): void {
    if (!(this.window instanceof UtilizationWindow)) this.family.refuseRecord('reportBusy', ms, 'busy reports need source: "reports"; this gauge measures the event loop');
    else if (typeof ms === 'number' && ms >= 0 && ms !== Infinity) this.window.reportBusy(ms);
    else this.family.refuseRecord('reportBusy', ms, 'busy time must be a finite number of ms >= 0');
  }
}

export class UtilizationGauge extends WindowedGauge<UtilizationGaugeChild> {
  readonly source: 'event-loop' | 'reports';
  #eventLoop: EluSource | undefined;

  constructor(options: UtilizationGaugeOptions) {
    super(options);
    this.source = options.source ?? 'event-loop';
    if (this.source !== 'event-loop' && this.source !== 'reports') {
      throw new MetricError('invalid-option', `${this.name}: source must be "event-loop" or "reports", got ${quote(this.source)}`, this.name);
    }
    this.#eventLoop = options.eventLoop;
    this.init();
  }

  reportBusy(ms: number): void {
    this.single.reportBusy(ms);
  }

  protected createChild(): UtilizationGaugeChild {
    const window =
      this.source === 'reports'
        ? new UtilizationWindow(this.window)
        : new EventLoopUtilizationWindow(this.#eventLoop === undefined ? this.window : { ...this.window, source: this.#eventLoop });
    return new UtilizationGaugeChild(this, window);
  }

  protected resetChild(child: UtilizationGaugeChild): void {
    child.window.reset();
  }

  protected read(child: UtilizationGaugeChild): number {
    return child.window.percent();
  }
}

function seconds(family: string, option: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value * 1000;
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new MetricError('invalid-option', `${family}: ${option} must be a positive number of seconds with at most ms precision, got ${quote(value)}`, family);
  }
  return ms;
}

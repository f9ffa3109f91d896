// "Seconds since" gauges (spark_stream_served_feature_age): each series remembers the newest time it was
// given, and a scrape-time collector turns that into an age. touch(): one Map read and write, no work at
// record time beyond that. Always: an age is >= 0 and never moves backwards because of an older time.
import type { Registry } from '../registry.js';
import type { Gauge, GaugeChild } from '../metrics/gauge.js';
import type { FamilyOptions, LabelValue } from '../metrics/family.js';

export class AgeGauge {
  readonly family: Gauge;
  readonly #newest = new Map<GaugeChild, number>();

  /** Registers the family (stamped with the scrape time unless `timestamps` is false) and the collector that refreshes it. */
  constructor(registry: Registry, options: Omit<FamilyOptions, 'clock' | 'timestamps'>, timestamps = true) {
    this.family = registry.gauge({ ...options, timestamps });
    registry.addCollector(`${options.name}:age`, () => this.refresh(registry.clock.wallMs()));
  }

  /** Remembers `wallMs` (Unix ms) for this series if it is newer than what it holds. */
  touch(labelValues: readonly LabelValue[], wallMs: number): void {
    if (!Number.isFinite(wallMs)) return;
    const child = this.family.labels(...labelValues);
    const previous = this.#newest.get(child);
    if (previous === undefined || wallMs > previous) this.#newest.set(child, wallMs);
  }

  /** Drops this series (its source stopped reporting); a later touch() starts it afresh. */
  forget(labelValues: readonly LabelValue[]): void {
    this.#newest.delete(this.family.labels(...labelValues));
    this.family.remove(...labelValues);
  }

  /** Sets every series to (now - newest time) in seconds; runs at scrape. O(series). */
  refresh(nowWallMs: number): void {
    for (const [child, newest] of this.#newest) child.set(Math.max(0, nowWallMs - newest) / 1000);
  }
}

// The online store: the latest feature values per feature view and entity, in memory, as the feature server
// reads them. write() and read(): one or two Map operations, no copying. Always: a row never goes back to
// an older event time, and a view never holds more than maxRowsPerView entities (the oldest are evicted).
import type { FeatureView } from './workspace.js';

/** Default entities kept per feature view; the demo's populations are far smaller. */
export const DEFAULT_MAX_ROWS_PER_VIEW = 100_000;

export interface OnlineRow {
  /** In the order of the view's features; int64 values as decimal strings, as Tecton serves them. */
  readonly values: readonly unknown[];
  /** Event time of the values (Unix ms). */
  readonly eventTimeMs: number;
}

/**
 * Longest join-key value (characters), for ingest and get-features alike, so a row that can be written can
 * be read back. It also bounds the store's memory: maxRowsPerView keys of at most this length per view.
 */
export const MAX_JOIN_KEY_LENGTH = 256;

// Join-key values are joined with a unit separator, which Tecton's string keys do not use in practice.
const KEY_SEPARATOR = '\u001f';

export class OnlineStore {
  readonly maxRowsPerView: number;
  readonly #views = new Map<FeatureView, Map<string, OnlineRow>>();

  constructor(options: { maxRowsPerView?: number } = {}) {
    const max = options.maxRowsPerView ?? DEFAULT_MAX_ROWS_PER_VIEW;
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`invalid maxRowsPerView=${String(max)}: must be a whole number >= 1`);
    this.maxRowsPerView = max;
  }

  /**
   * Stores `values` for the entity unless it holds values of a later event time (a late event must not
   * overwrite a newer one). Returns whether it wrote. The store keeps `values` as given: do not mutate it.
   */
  write(view: FeatureView, entityKey: string, values: readonly unknown[], eventTimeMs: number): boolean {
    let rows = this.#views.get(view);
    if (rows === undefined) this.#views.set(view, (rows = new Map()));
    const previous = rows.get(entityKey);
    if (previous !== undefined && previous.eventTimeMs > eventTimeMs) return false;
    if (previous === undefined && rows.size >= this.maxRowsPerView) rows.delete(rows.keys().next().value!);
    rows.set(entityKey, { values, eventTimeMs });
    return true;
  }

  read(view: FeatureView, entityKey: string): OnlineRow | undefined {
    return this.#views.get(view)?.get(entityKey);
  }

  /** Entities held for `view`. */
  size(view: FeatureView): number {
    return this.#views.get(view)?.size ?? 0;
  }
}

/** The store key of an entity: its join-key values in the view's join-key order. */
export function entityKey(joinKeyValues: readonly string[]): string {
  return joinKeyValues.length === 1 ? joinKeyValues[0]! : joinKeyValues.join(KEY_SEPARATOR);
}

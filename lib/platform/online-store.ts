// The online store: the latest feature values per feature view and entity, in memory, as the feature server
// reads them. write() and read(): one or two Map operations, no copying (an eviction scans the few views).
// Always: a row never goes back to an older event time, a view never holds more than maxRowsPerView entities
// and the store never more than maxRows (the entity written first is evicted, from the fullest view).
import type { FeatureView } from './workspace.js';

/** Default entities kept per feature view; the demo's populations are far smaller. */
export const DEFAULT_MAX_ROWS_PER_VIEW = 100_000;
/** Default entities kept in the whole store, so callers inventing entity keys cannot grow it without bound. */
export const DEFAULT_MAX_ROWS = 100_000;

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
  readonly maxRows: number;
  readonly #views = new Map<FeatureView, Map<string, OnlineRow>>();
  #rows = 0;

  constructor(options: { maxRowsPerView?: number; maxRows?: number } = {}) {
    this.maxRowsPerView = atLeastOne('maxRowsPerView', options.maxRowsPerView ?? DEFAULT_MAX_ROWS_PER_VIEW);
    this.maxRows = atLeastOne('maxRows', options.maxRows ?? DEFAULT_MAX_ROWS);
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
    if (previous === undefined) {
      if (rows.size >= this.maxRowsPerView) this.#evictFrom(rows);
      else if (this.#rows >= this.maxRows) this.#evictFrom(this.#fullestView());
      this.#rows++;
    }
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

  /** Entities held in all. */
  get rows(): number {
    return this.#rows;
  }

  #evictFrom(rows: Map<string, OnlineRow>): void {
    const first = rows.keys().next();
    if (first.done === true) return;
    rows.delete(first.value);
    this.#rows--;
  }

  #fullestView(): Map<string, OnlineRow> {
    let fullest: Map<string, OnlineRow> | undefined;
    for (const rows of this.#views.values()) if (fullest === undefined || rows.size > fullest.size) fullest = rows;
    return fullest!;
  }
}

function atLeastOne(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`invalid ${name}=${String(value)}: must be a whole number >= 1`);
  return value;
}

/** The store key of an entity: its join-key values in the view's join-key order. */
export function entityKey(joinKeyValues: readonly string[]): string {
  return joinKeyValues.length === 1 ? joinKeyValues[0]! : joinKeyValues.join(KEY_SEPARATOR);
}

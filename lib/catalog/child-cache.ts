// A family's bound children kept by the label values that vary per record (ids and names), after a fixed
// prefix (the default region), so a record on a known series costs one Map read per label and allocates
// nothing, where family.labels(...) builds a rest-argument array per call. Always: only children the
// family accepted are kept, so every refused label value is asked (and reported) again.
import type { LabelValue } from '../metrics/family.js';

/** What the cache needs of a family: its lookup and the counters that say it refused one. */
export interface LabelledFamily<C> {
  labels(...values: LabelValue[]): C;
  readonly droppedSeries: number;
  readonly rejectedRecords: number;
}

type Level = Map<LabelValue, unknown>;

/**
 * At most as many entries as the family has children (refusals, including those of the cardinality
 * guard, are not kept). A child later removed from the family stays here; the catalog never removes any.
 */
export class ChildCache<C> {
  readonly #family: LabelledFamily<C>;
  readonly #prefix: readonly LabelValue[];
  readonly #root: Level = new Map();

  /** `prefix`: the leading label values every lookup shares, e.g. `[region]`. */
  constructor(family: LabelledFamily<C>, prefix: readonly LabelValue[] = []) {
    this.#family = family;
    this.#prefix = prefix;
  }

  /** The child for prefix + (a). */
  get1(a: LabelValue): C {
    const hit = this.#root.get(a) as C | undefined;
    return hit ?? this.#miss([a]);
  }

  /** The child for prefix + (a, b). */
  get2(a: LabelValue, b: LabelValue): C {
    const hit = (this.#root.get(a) as Level | undefined)?.get(b) as C | undefined;
    return hit ?? this.#miss([a, b]);
  }

  /** The child for prefix + (a, b, c). */
  get3(a: LabelValue, b: LabelValue, c: LabelValue): C {
    const hit = ((this.#root.get(a) as Level | undefined)?.get(b) as Level | undefined)?.get(c) as C | undefined;
    return hit ?? this.#miss([a, b, c]);
  }

  /** Asks the family (allocates) and keeps the child only if the family did not refuse the values. */
  #miss(values: LabelValue[]): C {
    const family = this.#family;
    const dropped = family.droppedSeries;
    const rejected = family.rejectedRecords;
    const child = family.labels(...this.#prefix, ...values);
    if (family.droppedSeries !== dropped || family.rejectedRecords !== rejected) return child;
    let level = this.#root;
    for (let i = 0; i < values.length - 1; i++) {
      let next = level.get(values[i]!) as Level | undefined;
      if (next === undefined) level.set(values[i]!, (next = new Map()));
      level = next;
    }
    level.set(values[values.length - 1]!, child);
    return child;
  }
}

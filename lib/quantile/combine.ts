// Combines CKMS summaries from several processes (cluster workers) into one and answers quantiles from it.
// add(): one mergeSummaries pass, O(tuples held + tuples added); query(): O(tuples). Scrape-time only.
// Always holds: every merged rank interval still holds its value's rank in the union of all inputs' values.
import type { QuantileTarget } from './targets.js';
import { compileBand, type Band } from './band.js';
import { allocateTuples, capacityOf, copyMerged, mergeSummaries, queryTuples, type Tuples } from './tuples.js';

/** One summary in plain arrays: values ascending, g and delta per tuple (see tuples.ts), over n values. */
export interface SummaryTuples {
  values: Float64Array;
  g: Float64Array;
  delta: Float64Array;
  n: number;
}

/**
 * The union of k summaries. Merging is exact bookkeeping (mergeSummaries): where the inputs' gaps around
 * q·n_i were w_1 … w_k wide, the merged gap is at most their sum, so an answer's rank in the union of all
 * inputs is off by at most Σ w_i. Each input's gap honours its band, at most 2ε·n_i·q/(q − ε) at its own
 * q·n_i, so for shards of one workload the merged error is at most 2ε·N·q/(q − ε) (N = Σ n_i): twice the
 * target's error up to the factor q/(q − ε), e.g. 2.22ε·N at {0.5, 0.05} and 2.02ε·N at {0.9, 0.01}.
 * Compression during the merge folds tuples only while the result still fits the band at N.
 */
export class CombinedQuantiles {
  readonly #band: Band;
  #tuples: Tuples = allocateTuples(0);
  #size = 0;
  #n = 0;

  constructor(targets: readonly QuantileTarget[]) {
    this.#band = compileBand(targets);
  }

  /** Folds one summary in. Throws RangeError if a merged rank interval would pass 2^32 - 1 values. */
  add(part: SummaryTuples): void {
    const size = part.values.length;
    if (size === 0 || part.n === 0) return;
    const incoming = allocateTuples(size);
    for (let i = 0; i < size; i++) {
      incoming.values[2 * i] = part.values[i]!;
      incoming.ranks[4 * i + 2] = part.g[i]!;
      incoming.ranks[4 * i + 3] = part.delta[i]!;
    }
    if (this.#size === 0) {
      this.#tuples = incoming;
      this.#size = size;
      this.#n = part.n;
      return;
    }
    const merged = mergeSummaries(this.#tuples, 0, this.#size, this.#n, incoming, 0, size, part.n, this.#band);
    if (merged > capacityOf(this.#tuples)) this.#tuples = allocateTuples(merged);
    copyMerged(this.#tuples, 0, merged);
    this.#size = merged;
    this.#n += part.n;
  }

  /** Values in the union. */
  get count(): number {
    return this.#n;
  }

  /** The q-quantile of the union; NaN when it holds no value. */
  query(q: number): number {
    return this.#size === 0 ? NaN : queryTuples(this.#tuples, 0, this.#size, this.#n, q);
  }
}

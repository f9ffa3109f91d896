// Quantile targets: which ranks a CKMS summary must answer, and how closely (rank error <= error * n).
// Validation runs once, at construction: a stream compiles the sorted copy it returns into its band.
// Always holds: every returned target has q in [0, 1], error in (0, 1), and no two share a q.

export interface QuantileTarget {
  /** The quantile, in [0, 1]: 0.5 is the median. */
  readonly q: number;
  /** The allowed rank error as a fraction of the count, in (0, 1): the answer's rank is within error * n of q * n. */
  readonly error: number;
}

/** Median within 5 %, p90 within 1 %, p99 within 0.1 % of the count, in rank. */
export const DEFAULT_TARGETS: readonly QuantileTarget[] = Object.freeze([
  Object.freeze({ q: 0.5, error: 0.05 }),
  Object.freeze({ q: 0.9, error: 0.01 }),
  Object.freeze({ q: 0.99, error: 0.001 }),
]);

/**
 * Validates (q in [0, 1], error in (0, 1), no duplicate q, not empty) and returns a copy sorted by q.
 * Throws RangeError naming the bad value and rule.
 */
export function validateTargets(targets: readonly QuantileTarget[]): QuantileTarget[] {
  if (!Array.isArray(targets)) {
    throw new TypeError(`invalid quantile targets ${describe(targets)}: must be an array of { q, error }`);
  }
  if (targets.length === 0) {
    throw new RangeError('invalid quantile targets []: give at least one, e.g. [{ q: 0.5, error: 0.05 }]');
  }
  const copy: QuantileTarget[] = [];
  for (const target of targets as readonly unknown[]) {
    if (typeof target !== 'object' || target === null) {
      throw new TypeError(`invalid quantile target ${describe(target)}: must be an object { q, error }`);
    }
    const { q, error } = target as { q?: unknown; error?: unknown };
    if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
      throw new RangeError(`invalid quantile target q=${describe(q)}: q must be a number in [0, 1], e.g. 0.99`);
    }
    if (typeof error !== 'number' || !(error > 0 && error < 1)) {
      throw new RangeError(
        `invalid quantile target q=${q} error=${describe(error)}: error must be a number in (0, 1), e.g. 0.001`,
      );
    }
    copy.push(Object.freeze({ q, error }));
  }
  copy.sort((a, b) => a.q - b.q);
  for (let i = 1; i < copy.length; i++) {
    if (copy[i]!.q === copy[i - 1]!.q) {
      throw new RangeError(`duplicate quantile target q=${copy[i]!.q}: each q may appear once; keep the smaller error`);
    }
  }
  return copy;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

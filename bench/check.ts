// Correctness checks run before any timing: both contenders' expositions are parsed by omen's strict parser
// and compared sample by sample, so no contender wins by doing less. Cost: a parse of each exposition.
// Always: a mismatch throws, naming the first differing series, and the group does not time anything.
import type { SampleModel } from '../lib/exposition/model.js';
import { parse } from '../lib/exposition/parse/parser.js';

/** Series key (`name{a="1",b="2"}` with labels sorted) to value, from Prometheus text 0.0.4. */
export function sampleSet(text: string | Uint8Array, keep: (sample: SampleModel) => boolean = () => true): Map<string, number> {
  const set = new Map<string, number>();
  for (const family of parse(text, { format: 'prometheus' })) {
    for (const sample of family.samples) {
      if (!keep(sample)) continue;
      const labels = [...sample.labels].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const key = `${sample.name}{${labels.map(([name, value]) => `${name}=${JSON.stringify(numeric(name, value))}`).join(',')}}`;
      if (set.has(key)) throw new Error(`series ${key} appears twice in one exposition`);
      set.set(key, sample.value);
    }
  }
  return set;
}

export interface SameOptions {
  /** Samples to compare; default all. */
  keep?: (sample: SampleModel) => boolean;
  /** Relative tolerance per series key (sums of floats added in the same order still match exactly). Default 0. */
  tolerance?: (key: string) => number;
  /** Compare which series exist, not their values (windowed rates against the peer's plain gauges). */
  ignoreValues?: boolean;
}

/** Throws unless both expositions hold the same series with the same values; returns the series count. */
export function assertSameSamples(what: string, omen: string | Uint8Array, peer: string | Uint8Array, options: SameOptions = {}): number {
  const ours = sampleSet(omen, options.keep);
  const theirs = sampleSet(peer, options.keep);
  for (const [key, value] of ours) {
    if (!theirs.has(key)) throw new Error(`${what}: series ${key} is in omen's exposition but not the peer's`);
    const other = theirs.get(key)!;
    const tolerance = options.tolerance?.(key) ?? 0;
    if (!options.ignoreValues && !close(value, other, tolerance)) throw new Error(`${what}: series ${key} is ${value} in omen's exposition but ${other} in the peer's`);
  }
  for (const key of theirs.keys()) {
    if (!ours.has(key)) throw new Error(`${what}: series ${key} is in the peer's exposition but not omen's`);
  }
  if (ours.size === 0) throw new Error(`${what}: no series to compare; the scenario built nothing`);
  return ours.size;
}

/** Throws unless `actual` equals `expected` (within a relative tolerance). */
export function assertClose(what: string, actual: number, expected: number, tolerance = 0): void {
  if (!close(actual, expected, tolerance)) throw new Error(`${what}: got ${actual}, expected ${expected}`);
}

// `le` and `quantile` are numbers written as text: omen writes OpenMetrics' canonical `1.0`, prom-client `1`.
function numeric(name: string, value: string): string {
  return name === 'le' || name === 'quantile' ? String(Number(value)) : value;
}

function close(a: number, b: number, tolerance: number): boolean {
  if (a === b || (a !== a && b !== b)) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

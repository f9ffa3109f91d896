// Family state: what a cluster worker sends of one family, and the pieces every type's merge shares.
// Numbers travel as base64 Float64 columns (exact, NaN and ±Inf kept, ~11 bytes a number); label values as
// string lists. Scrape-time only. Holds: every column has one entry (or one stride) per series, in series order.
import type { LabelPair, MetricType, NativeBucketsModel } from '../../exposition/model.js';
import type { QuantileTarget } from '../../quantile/targets.js';

/** Which merge rule a family follows: the metric type, refined for windowed gauges. */
export type StateKind =
  | 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset'
  | 'rate' | 'ratio' | 'max' | 'average' | 'utilization' | 'samples';

/** How the primary combines one gauge family's per-worker values (prom-client's names). */
export type GaugeAggregate = 'sum' | 'max' | 'min' | 'average' | 'first' | 'omit';
export const GAUGE_AGGREGATES: readonly GaugeAggregate[] = ['sum', 'max', 'min', 'average', 'first', 'omit'];

export interface FamilyState {
  kind: StateKind;
  /** The exposition type written for the merged family ('unknown' for Unknown, 'gauge' for windows). */
  type: MetricType;
  name: string;
  help: string;
  unit?: string;
  labelNames: string[];
  /** Label values per series. */
  series: string[][];
  /** Per series, its values as one key (seriesKey), computed by the sender so the merge only looks them up. */
  keys?: string[];
  /** Base64 of a platform-endian Float64Array; all processes of one cluster share a machine. */
  columns: Record<string, string>;
  /** Bucket bounds (histograms), targets (summaries), states (statesets). */
  bounds?: number[];
  targets?: QuantileTarget[];
  states?: string[];
  /** The family stamps its samples with the scrape time (the catalog's gauges). */
  timestamps?: boolean;
  /** Native histogram buckets per series (null where a series has none), for histograms with the native option. */
  native?: Array<NativeBucketsModel | null>;
  dropped: number;
  rejected: number;
}

export interface MergeOptions {
  /** The gauge rule for this family (gauge and unknown kinds only). Default 'sum'. */
  aggregate?: GaugeAggregate;
  /** Unix seconds of the scrape, for families with `timestamps`. */
  wallSeconds: number;
}

/** The fields every state starts with, read off a family. */
export function baseState(family: {
  name: string; help: string; unit: string | undefined; labelNames: readonly string[]; timestamps: boolean;
  droppedSeries: number; rejectedRecords: number;
}, kind: StateKind, type: MetricType, series: string[][]): FamilyState {
  const state: FamilyState = {
    kind, type, name: family.name, help: family.help, labelNames: [...family.labelNames], series, keys: series.map(seriesKey), columns: {},
    dropped: family.droppedSeries, rejected: family.rejectedRecords,
  };
  if (family.unit !== undefined) state.unit = family.unit;
  if (family.timestamps) state.timestamps = true;
  return state;
}

export function encodeColumn(values: Float64Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** Decodes a column; a missing or short one reads as zeros past what it holds. */
export function decodeColumn(text: string | undefined, length: number): Float64Array {
  if (typeof text !== 'string') return new Float64Array(length);
  const bytes = Buffer.from(text, 'base64');
  // Large decodes get a buffer of their own, aligned: view it rather than copy it.
  if (bytes.byteLength === length * 8 && bytes.byteOffset % 8 === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, length);
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(bytes.subarray(0, Math.min(bytes.length, out.byteLength)));
  return out;
}

/**
 * The union of the states' series: `series` in first-seen order and, per state, where each of its series
 * landed (`slots[s][i]`). One Map lookup per series per state; the key is unambiguous for any label values.
 */
export function unionSeries(states: readonly FamilyState[]): { series: string[][]; slots: Int32Array[] } {
  const index = new Map<string, number>();
  const series: string[][] = [];
  let reference: string[] | undefined;
  let referenceSlots: Int32Array | undefined;
  const slots = states.map((state) => {
    const keys = state.keys?.length === state.series.length ? state.keys : state.series.map(seriesKey);
    const slot = new Int32Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // Workers usually hold the same series in the same order: a positional match skips the hash lookup.
      let at = reference !== undefined && reference[i] === key ? referenceSlots![i] : index.get(key);
      if (at === undefined) {
        at = series.length;
        index.set(key, at);
        series.push(state.series[i]!);
      }
      slot[i] = at;
    }
    if (reference === undefined) {
      reference = keys;
      referenceSlots = slot;
    }
    return slot;
  });
  return { series, slots };
}

// Values joined by NUL: a key of L values without NUL holds exactly L - 1 NULs. Values that hold a NUL
// (rare) are keyed by their JSON, which escapes NUL, after L NULs: one more than any joined key has.
export function seriesKey(values: readonly string[]): string {
  let key = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value.includes('\u0000')) return '\u0000'.repeat(values.length) + JSON.stringify(values);
    key = i === 0 ? value : `${key}\u0000${value}`;
  }
  return key;
}

/** Label pairs for one merged series, plus an optional extra pair (`le`, `quantile`) at the end. */
export function labelPairs(names: readonly string[], values: readonly string[], extra?: LabelPair): LabelPair[] {
  const pairs: LabelPair[] = new Array(names.length);
  for (let i = 0; i < names.length; i++) pairs[i] = [names[i]!, values[i]!];
  if (extra !== undefined) pairs.push(extra);
  return pairs;
}

// Writes a model family as OpenMetrics 2.0 text: the header named like the samples, one line per metric
// with a composite value for histograms, gauge histograms and summaries, native buckets from the `_count`
// sample's `native`, `st@` from `_created`, every exemplar that has a timestamp. Cost: O(samples), a few
// strings per line; for collectors, tools and OM 2.0 scrapes, not the registry's 1.0 hot path.
// Holds: what parse(…, { format: 'openmetrics2' }) reads back is the same model (om2-model.ts maps it), with
// these exceptions OM 2.0 forces: an exemplar without a timestamp is not written (2.0 requires one), and a
// model histogram point without `_sum` (a 1.0 parse of one with negative buckets) is written with `sum:NaN`;
// registry histograms keep their sum (family-model.ts reads it from their Prometheus-text lines).
import type { ByteWriter } from './byte-writer.js';
import type { ExpositionFormat } from './formats.js';
import type { ExemplarModel, FamilyModel, LabelPair, NativeBucketsModel, SampleModel } from './model.js';
import type { EscapingScheme } from './names.js';
import { renderSeries, renderSpelledPairs } from './labels.js';
import { formatSeconds, formatValue } from './numbers.js';
import { schemeOf, spellMetricName } from './names.js';

const COMPOSITE = new Set(['histogram', 'gaugehistogram', 'summary']);

/** Appends one family in OpenMetrics 2.0: its header, then its metrics in model order. */
export function writeFamilyOM2(writer: ByteWriter, family: FamilyModel, format: ExpositionFormat): void {
  const scheme = schemeOf(format);
  const name = om2FamilyName(family);
  writer.utf8(format.header({ ...family, name }, (bare) => spellMetricName(bare, scheme)));
  if (COMPOSITE.has(family.type)) writeComposites(writer, family, name, scheme);
  else writeNumbers(writer, family, name, scheme);
}

/** The OM 2.0 family name: a counter's `_total` and an info's `_info` belong to it, as they do to its samples. */
export function om2FamilyName(family: FamilyModel): string {
  if (family.type === 'info') return `${family.name}_info`;
  if (family.type !== 'counter') return family.name;
  return family.samples.some((sample) => sample.name === family.name) ? family.name : `${family.name}_total`;
}

function writeNumbers(writer: ByteWriter, family: FamilyModel, name: string, scheme: EscapingScheme): void {
  const created = `${family.name}_created`;
  const samples = family.samples;
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    if (sample.name === created) continue; // folded into its total's st@
    let line = `${renderSeries(name, sample.labels, scheme)} ${formatValue(sample.value)}`;
    if (sample.timestamp !== undefined) line += ` ${formatSeconds(sample.timestamp)}`;
    if (family.type === 'counter') {
      const start = findCreated(samples, i, created, sample);
      if (start !== undefined) line += ` st@${formatSeconds(start)}`;
      line += exemplarText(exemplarsOf(sample), scheme);
    }
    writer.utf8(`${line}\n`);
  }
}

/** The `_created` sample of the same labels and timestamp, looked for among the samples that follow. */
function findCreated(samples: readonly SampleModel[], from: number, created: string, total: SampleModel): number | undefined {
  for (let j = from + 1; j < samples.length; j++) {
    const other = samples[j]!;
    if (other.name !== created) {
      if (other.name === total.name) return undefined;
      continue;
    }
    if (other.timestamp === total.timestamp && sameLabels(other.labels, total.labels, '')) return other.value;
  }
  return undefined;
}

interface Point {
  labels: LabelPair[];
  timestamp: number | undefined;
  count: number | undefined;
  sum: number | undefined;
  created: number | undefined;
  /** `le` or `quantile` label text and value, in model order. */
  entries: Array<readonly [string, number]>;
  native: NativeBucketsModel | undefined;
  exemplars: ExemplarModel[];
}

function writeComposites(writer: ByteWriter, family: FamilyModel, name: string, scheme: EscapingScheme): void {
  const gauge = family.type === 'gaugehistogram';
  const summary = family.type === 'summary';
  const reserved = summary ? 'quantile' : 'le';
  const base = family.name;
  let point: Point | undefined;
  const flush = (): void => {
    if (point !== undefined) writer.utf8(compositeLine(point, name, scheme, gauge, summary));
    point = undefined;
  };
  for (const sample of family.samples) {
    const suffix = sample.name.slice(base.length);
    const entry = summary ? suffix === '' : suffix === '_bucket';
    const same = point !== undefined && point.timestamp === sample.timestamp && sameLabels(point.labels, sample.labels, reserved);
    if (!same) flush();
    const p: Point = (point ??= { labels: sample.labels.filter(([label]) => label !== reserved), timestamp: sample.timestamp, count: undefined, sum: undefined, created: undefined, entries: [], native: undefined, exemplars: [] });
    if (entry) {
      const text = sample.labels.find(([label]) => label === reserved)?.[1] ?? '';
      p.entries.push([text, sample.value]);
    } else if (suffix === (gauge ? '_gcount' : '_count')) {
      p.count = sample.value;
      p.native = sample.native;
    } else if (suffix === (gauge ? '_gsum' : '_sum')) p.sum = sample.value;
    else if (suffix === '_created' && !gauge) p.created = sample.value;
    p.exemplars.push(...exemplarsOf(sample));
  }
  flush();
}

function compositeLine(point: Point, name: string, scheme: EscapingScheme, gauge: boolean, summary: boolean): string {
  const g = gauge ? 'g' : '';
  const infBucket = point.entries.find(([le]) => le === '+Inf')?.[1];
  const count = point.count ?? infBucket ?? 0;
  let value = `{${g}count:${formatValue(count)},${g}sum:${formatValue(point.sum ?? NaN)}`;
  if (summary) {
    value += `,quantile:[${point.entries.map(([q, v]) => `${q}:${formatValue(v)}`).join(',')}]`;
  } else {
    if (point.native !== undefined) value += `,${nativeText(point.native)}`;
    if (point.entries.length > 0 || point.native === undefined) {
      value += `,bucket:[${point.entries.map(([le, v]) => `${le}:${formatValue(v)}`).join(',')}]`;
    }
  }
  let line = `${renderSeries(name, point.labels, scheme)} ${value}}`;
  if (point.timestamp !== undefined) line += ` ${formatSeconds(point.timestamp)}`;
  if (point.created !== undefined) line += ` st@${formatSeconds(point.created)}`;
  return `${line}${summary ? '' : exemplarText(point.exemplars, scheme)}\n`;
}

/** `schema:3,zero_threshold:…,zero_count:…[,negative_spans:[…],negative_buckets:[…]][,positive_…]`, counts absolute. */
export function nativeText(native: NativeBucketsModel): string {
  let text = `schema:${native.schema},zero_threshold:${formatValue(native.zeroThreshold)},zero_count:${formatValue(native.zeroCount)}`;
  if (native.negativeCounts.length > 0) text += `,negative_spans:[${spans(native.negativeSpans)}],negative_buckets:[${native.negativeCounts.map(formatValue).join(',')}]`;
  if (native.positiveCounts.length > 0) text += `,positive_spans:[${spans(native.positiveSpans)}],positive_buckets:[${native.positiveCounts.map(formatValue).join(',')}]`;
  return text;
}

function spans(list: ReadonlyArray<readonly [number, number]>): string {
  return list.map(([offset, length]) => `${offset}:${length}`).join(',');
}

/** A sample's exemplars: all of `exemplars` when present (OM 2.0 allows several), else the single one. */
export function exemplarsOf(sample: SampleModel): ExemplarModel[] {
  if (sample.exemplars !== undefined) return sample.exemplars;
  return sample.exemplar === undefined ? [] : [sample.exemplar];
}

function exemplarText(exemplars: readonly ExemplarModel[], scheme: EscapingScheme): string {
  let text = '';
  for (const exemplar of exemplars) {
    if (exemplar.timestamp === undefined) continue; // [OM 2.0 "Exemplars"]: MUST have a timestamp
    text += ` # {${renderSpelledPairs(exemplar.labels, scheme)}} ${formatValue(exemplar.value)} ${formatSeconds(exemplar.timestamp)}`;
  }
  return text;
}

/** Whether two label sets hold the same pairs in the same order, each without the label named `skip`. */
function sameLabels(a: readonly LabelPair[], b: readonly LabelPair[], skip: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && a[i]![0] === skip) i++;
    while (j < b.length && b[j]![0] === skip) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i]![0] !== b[j]![0] || a[i]![1] !== b[j]![1]) return false;
    i++;
    j++;
  }
}

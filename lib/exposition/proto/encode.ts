// Model families to Prometheus' delimited protobuf stream (MetricFamily messages, each after its length). For
// collectors, tools and specs: O(samples), a few small objects per series. The registry's own families take the
// cached per-series path in lib/metrics/proto-family.ts, which shares the message writers below.
// Holds: decodeProtobuf(encodeProtobuf(families)) gives the same families, except a classic `+Inf` bucket is
// implied by the count (as the protobuf format leaves it) and created times become `_created` samples again.
import type { ExemplarModel, FamilyModel, LabelPair, MetricType, NativeBucketsModel, SampleModel } from '../model.js';
import * as S from './schema.js';
import { ProtoWriter } from './writer.js';

const TYPE: Record<MetricType, number> = {
  counter: S.COUNTER,
  gauge: S.GAUGE,
  info: S.GAUGE,
  stateset: S.GAUGE,
  unknown: S.UNTYPED,
  summary: S.SUMMARY,
  histogram: S.HISTOGRAM,
  gaugehistogram: S.GAUGE_HISTOGRAM,
};

/** The whole exposition: one length-prefixed MetricFamily per model family, in order. */
export function encodeProtobuf(families: readonly FamilyModel[], writer = new ProtoWriter()): Buffer {
  for (const family of families) writeFamilyMessage(writer, family);
  return writer.copy();
}

/** Appends one length-prefixed MetricFamily. */
export function writeFamilyMessage(w: ProtoWriter, family: FamilyModel): void {
  const start = w.beginDelimited();
  w.string(S.MetricFamily.name, protobufName(family));
  if (family.help !== undefined) w.string(S.MetricFamily.help, family.help);
  w.varintField(S.MetricFamily.type, TYPE[family.type]);
  for (const series of groupSeries(family)) {
    const metric = w.begin(S.MetricFamily.metric);
    writeLabels(w, series.labels, S.Metric.label);
    writeMetricBody(w, family, series.samples);
    const stamped = series.samples.find((sample) => sample.timestamp !== undefined);
    if (stamped !== undefined) {
      w.tag(S.Metric.timestampMs, 0);
      w.int64(Math.round(stamped.timestamp! * 1000));
    }
    w.end(metric);
  }
  if (family.unit !== undefined && family.unit !== '') w.string(S.MetricFamily.unit, family.unit);
  w.end(start);
}

/** The MetricFamily name: a counter's carries `_total` (unless its samples lack it), as Prometheus text does. */
export function protobufName(family: FamilyModel): string {
  if (family.type === 'counter' && !family.samples.some((sample) => sample.name === family.name)) return `${family.name}_total`;
  if (family.type === 'info') return `${family.name}_info`;
  return family.name;
}

export function writeLabels(w: ProtoWriter, labels: readonly LabelPair[], field: number): void {
  for (const [name, value] of labels) {
    const pair = w.begin(field);
    w.string(S.LabelPair.name, name);
    w.string(S.LabelPair.value, value);
    w.end(pair);
  }
}

/** google.protobuf.Timestamp from Unix seconds. */
export function writeTimestamp(w: ProtoWriter, field: number, seconds: number): void {
  const whole = Math.floor(seconds);
  const nanos = Math.round((seconds - whole) * 1e9);
  const at = w.begin(field);
  if (whole !== 0) {
    w.tag(S.Timestamp.seconds, 0);
    w.int64(nanos === 1e9 ? whole + 1 : whole);
  }
  if (nanos !== 0 && nanos !== 1e9) w.varintField(S.Timestamp.nanos, nanos);
  w.end(at);
}

export function writeExemplar(w: ProtoWriter, field: number, exemplar: ExemplarModel): void {
  const at = w.begin(field);
  writeLabels(w, exemplar.labels, S.Exemplar.label);
  w.doubleField(S.Exemplar.value, exemplar.value);
  if (exemplar.timestamp !== undefined) writeTimestamp(w, S.Exemplar.timestamp, exemplar.timestamp);
  w.end(at);
}

/** A count field: the integer one when the count is a whole number, else its float twin. */
export function writeCount(w: ProtoWriter, intField: number, floatField: number, count: number): void {
  if (Number.isInteger(count) && count >= 0) w.varintField(intField, count);
  else w.doubleField(floatField, count);
}

/** The native-histogram fields of a Histogram message: schema, zero bucket, spans, delta-encoded counts. */
export function writeNative(w: ProtoWriter, native: NativeBucketsModel): void {
  const H = S.Histogram;
  w.tag(H.schema, 0);
  w.sint(native.schema);
  w.doubleField(H.zeroThreshold, native.zeroThreshold);
  writeCount(w, H.zeroCount, H.zeroCountFloat, native.zeroCount);
  const whole = [...native.negativeCounts, ...native.positiveCounts].every((count) => Number.isInteger(count));
  writeSide(w, native.negativeSpans, native.negativeCounts, H.negativeSpan, whole ? H.negativeDelta : H.negativeCount, whole);
  // Without any bucket and with a zero threshold of 0, a no-op span marks the histogram native (metrics.proto).
  const empty = native.positiveSpans.length === 0 && native.negativeSpans.length === 0 && native.zeroThreshold === 0;
  const positiveSpans = empty ? [[0, 0] as const] : native.positiveSpans;
  writeSide(w, positiveSpans, native.positiveCounts, H.positiveSpan, whole ? H.positiveDelta : H.positiveCount, whole);
}

function writeSide(w: ProtoWriter, spans: NativeBucketsModel['positiveSpans'], counts: readonly number[], spanField: number, countField: number, deltas: boolean): void {
  for (const [offset, length] of spans) {
    const at = w.begin(spanField);
    w.tag(S.BucketSpan.offset, 0);
    w.sint(offset);
    w.varintField(S.BucketSpan.length, length);
    w.end(at);
  }
  let previous = 0;
  for (const count of counts) {
    if (deltas) {
      w.tag(countField, 0);
      w.sint(count - previous);
      previous = count;
    } else w.doubleField(countField, count);
  }
}

/** An `le` label value as a number: OpenMetrics writes infinities `+Inf`/`-Inf`, which Number() does not read. */
function boundOf(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

interface Series {
  labels: LabelPair[];
  samples: SampleModel[];
}

/** Samples grouped by label set (without `le`/`quantile`), in order of first appearance. */
function groupSeries(family: FamilyModel): Series[] {
  const reserved = family.type === 'histogram' || family.type === 'gaugehistogram' ? 'le' : family.type === 'summary' ? 'quantile' : undefined;
  const scalar = family.type === 'gauge' || family.type === 'unknown' || family.type === 'info' || family.type === 'stateset';
  const byKey = new Map<string, Series>();
  const out: Series[] = [];
  for (const sample of family.samples) {
    const labels = reserved === undefined ? sample.labels : sample.labels.filter(([name]) => name !== reserved);
    // Each scalar sample is a series of its own, even when two share a label set (a 0.0.4 model may hold that).
    const key = scalar ? String(out.length) : JSON.stringify(labels);
    let series = byKey.get(key);
    if (series === undefined) {
      series = { labels, samples: [] };
      byKey.set(key, series);
      out.push(series);
    }
    series.samples.push(sample);
  }
  return out;
}

function writeMetricBody(w: ProtoWriter, family: FamilyModel, samples: readonly SampleModel[]): void {
  const name = family.name;
  const find = (suffix: string): SampleModel | undefined => samples.find((sample) => sample.name === name + suffix);
  switch (family.type) {
    case 'counter': {
      const total = find('_total') ?? find('');
      const created = find('_created');
      const at = w.begin(S.Metric.counter);
      w.doubleField(S.Counter.value, total?.value ?? 0);
      if (total?.exemplar !== undefined) writeExemplar(w, S.Counter.exemplar, total.exemplar);
      if (created !== undefined) writeTimestamp(w, S.Counter.createdTimestamp, created.value);
      return w.end(at);
    }
    case 'summary': {
      const at = w.begin(S.Metric.summary);
      const count = find('_count');
      const sum = find('_sum');
      if (count !== undefined) w.varintField(S.Summary.sampleCount, Math.max(0, Math.round(count.value))); // no float twin here
      if (sum !== undefined) w.doubleField(S.Summary.sampleSum, sum.value);
      for (const sample of samples) {
        const quantile = sample.name === name ? sample.labels.find(([label]) => label === 'quantile') : undefined;
        if (quantile === undefined) continue;
        const q = w.begin(S.Summary.quantile);
        w.doubleField(S.Quantile.quantile, Number(quantile[1]));
        w.doubleField(S.Quantile.value, sample.value);
        w.end(q);
      }
      const created = find('_created');
      if (created !== undefined) writeTimestamp(w, S.Summary.createdTimestamp, created.value);
      return w.end(at);
    }
    case 'histogram':
    case 'gaugehistogram': {
      const gauge = family.type === 'gaugehistogram';
      const count = find(gauge ? '_gcount' : '_count');
      const sum = find(gauge ? '_gsum' : '_sum');
      const buckets = samples.filter((sample) => sample.name === `${name}_bucket`);
      const at = w.begin(S.Metric.histogram);
      const total = count?.value ?? buckets[buckets.length - 1]?.value ?? 0;
      writeCount(w, S.Histogram.sampleCount, S.Histogram.sampleCountFloat, total);
      if (sum !== undefined) w.doubleField(S.Histogram.sampleSum, sum.value);
      for (const bucket of buckets) {
        const bound = boundOf(bucket.labels.find(([label]) => label === 'le')?.[1] ?? '+Inf');
        // The +Inf bucket is implied by the count; it is written only to carry an exemplar.
        if (bound === Infinity && bucket.exemplar === undefined) continue;
        const b = w.begin(S.Histogram.bucket);
        writeCount(w, S.Bucket.cumulativeCount, S.Bucket.cumulativeCountFloat, bucket.value);
        w.doubleField(S.Bucket.upperBound, bound);
        if (bucket.exemplar !== undefined) writeExemplar(w, S.Bucket.exemplar, bucket.exemplar);
        w.end(b);
      }
      if (count?.native !== undefined) writeNative(w, count.native);
      const created = find('_created');
      if (created !== undefined) writeTimestamp(w, S.Histogram.createdTimestamp, created.value);
      return w.end(at);
    }
    default: {
      const field = family.type === 'unknown' ? S.Metric.untyped : S.Metric.gauge;
      const at = w.begin(field);
      w.doubleField(S.Value.value, samples[0]?.value ?? 0);
      return w.end(at);
    }
  }
}

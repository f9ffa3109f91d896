// Prometheus' delimited protobuf exposition into the shared model, for `omen scrape` and `omen lint --format
// protobuf`. Cost: O(bytes), a few objects per series. Holds: any input ends in FamilyModel[] or a ParseError
// (a ProtoParseError with the byte offset): truncated varints, lengths past their message, unknown wire types,
// spans whose lengths disagree with their bucket counts, negative bucket counts, an unknown type, a missing name.
//
// Mapping (as omen's text parser maps Prometheus text): a COUNTER `x_total` is family `x` with sample `x_total`
// (a name without `_total` stays the family and sample name); created timestamps become `_created` samples;
// UNTYPED is `unknown`; a histogram's +Inf bucket, optional on the wire, is added from its count; native fields
// ride on the `_count` (`_gcount`) sample; timestamp_ms becomes every sample's timestamp in seconds.
import type { ExemplarModel, FamilyModel, LabelPair, MetricType, NativeBucketsModel, SampleModel } from '../model.js';
import { formatCanonical } from '../numbers.js';
import * as S from './schema.js';
import { ProtoParseError, ProtoReader } from './reader.js';

const TYPES: Record<number, MetricType> = {
  [S.COUNTER]: 'counter',
  [S.GAUGE]: 'gauge',
  [S.SUMMARY]: 'summary',
  [S.UNTYPED]: 'unknown',
  [S.HISTOGRAM]: 'histogram',
  [S.GAUGE_HISTOGRAM]: 'gaugehistogram',
};

export function decodeProtobuf(bytes: Uint8Array): FamilyModel[] {
  const stream = new ProtoReader(bytes, 0, bytes.length);
  const families: FamilyModel[] = [];
  while (!stream.done) families.push(readFamily(stream.message()));
  return families;
}

interface Side {
  spans: Array<readonly [number, number]>;
  deltas: number[];
  counts: number[];
  at: number;
}

function readFamily(r: ProtoReader): FamilyModel {
  const start = r.pos;
  let name: string | undefined;
  let help: string | undefined;
  let unit: string | undefined;
  let type = S.GAUGE;
  let typeAt = start;
  const metrics: ProtoReader[] = [];
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.MetricFamily.name) (r.expect(wire, 2, 'MetricFamily.name'), (name = r.string()));
    else if (field === S.MetricFamily.help) (r.expect(wire, 2, 'MetricFamily.help'), (help = r.string()));
    else if (field === S.MetricFamily.unit) (r.expect(wire, 2, 'MetricFamily.unit'), (unit = r.string()));
    else if (field === S.MetricFamily.type) (r.expect(wire, 0, 'MetricFamily.type'), (typeAt = r.pos), (type = r.varint()));
    else if (field === S.MetricFamily.metric) (r.expect(wire, 2, 'MetricFamily.metric'), metrics.push(r.message()));
    else r.skip(wire);
  }
  if (name === undefined || name === '') throw new ProtoParseError('bad-field', 'MetricFamily without a name', start);
  const kind = TYPES[type];
  if (kind === undefined) throw new ProtoParseError('bad-type', `MetricFamily ${JSON.stringify(name)} has unknown type ${type}`, typeAt);
  const familyName = kind === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  const samples: SampleModel[] = [];
  for (const metric of metrics) readMetric(metric, kind, familyName, name, samples);
  const family: FamilyModel = { name: familyName, type: kind, samples };
  if (help !== undefined) family.help = help;
  if (unit !== undefined) family.unit = unit;
  return family;
}

function readMetric(r: ProtoReader, kind: MetricType, family: string, exposed: string, out: SampleModel[]): void {
  const labels: LabelPair[] = [];
  let body: ProtoReader | undefined;
  let bodyField = 0;
  let timestamp: number | undefined;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Metric.label) (r.expect(wire, 2, 'Metric.label'), labels.push(readLabel(r.message())));
    else if (field === S.Metric.timestampMs) (r.expect(wire, 0, 'Metric.timestamp_ms'), (timestamp = r.int64() / 1000));
    else if (field === S.Metric.gauge || field === S.Metric.counter || field === S.Metric.summary || field === S.Metric.untyped || field === S.Metric.histogram) {
      r.expect(wire, 2, 'Metric value');
      body = r.message();
      bodyField = field;
    } else r.skip(wire);
  }
  const push = (name: string, extra: LabelPair[], value: number, more: Partial<SampleModel> = {}): void => {
    const sample: SampleModel = { name, labels: extra.length === 0 ? labels : [...labels, ...extra], value, ...more };
    if (timestamp !== undefined) sample.timestamp = timestamp;
    out.push(sample);
  };
  const empty = new ProtoReader(new Uint8Array(0), 0, 0);
  if (kind === 'counter') readCounter(bodyField === S.Metric.counter && body ? body : empty, family, exposed, push);
  else if (kind === 'summary') readSummary(bodyField === S.Metric.summary && body ? body : empty, family, push);
  else if (kind === 'histogram' || kind === 'gaugehistogram') readHistogram(bodyField === S.Metric.histogram && body ? body : empty, family, kind, push);
  else push(exposed, [], readValue(body ?? empty));
}

type Push = (name: string, extra: LabelPair[], value: number, more?: Partial<SampleModel>) => void;

function readLabel(r: ProtoReader): LabelPair {
  let name = '';
  let value = '';
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.LabelPair.name) (r.expect(wire, 2, 'LabelPair.name'), (name = r.string()));
    else if (field === S.LabelPair.value) (r.expect(wire, 2, 'LabelPair.value'), (value = r.string()));
    else r.skip(wire);
  }
  return [name, value];
}

function readValue(r: ProtoReader): number {
  let value = 0;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Value.value) (r.expect(wire, 1, 'value'), (value = r.double()));
    else r.skip(wire);
  }
  return value;
}

function readTimestamp(r: ProtoReader): number {
  let seconds = 0;
  let nanos = 0;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Timestamp.seconds) (r.expect(wire, 0, 'Timestamp.seconds'), (seconds = r.int64()));
    else if (field === S.Timestamp.nanos) (r.expect(wire, 0, 'Timestamp.nanos'), (nanos = r.int64()));
    else r.skip(wire);
  }
  return seconds + nanos / 1e9;
}

function readExemplar(r: ProtoReader): ExemplarModel {
  const exemplar: ExemplarModel = { labels: [], value: 0 };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Exemplar.label) (r.expect(wire, 2, 'Exemplar.label'), exemplar.labels.push(readLabel(r.message())));
    else if (field === S.Exemplar.value) (r.expect(wire, 1, 'Exemplar.value'), (exemplar.value = r.double()));
    else if (field === S.Exemplar.timestamp) (r.expect(wire, 2, 'Exemplar.timestamp'), (exemplar.timestamp = readTimestamp(r.message())));
    else r.skip(wire);
  }
  return exemplar;
}

function readCounter(r: ProtoReader, family: string, exposed: string, push: Push): void {
  let value = 0;
  let exemplar: ExemplarModel | undefined;
  let created: number | undefined;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Counter.value) (r.expect(wire, 1, 'Counter.value'), (value = r.double()));
    else if (field === S.Counter.exemplar) (r.expect(wire, 2, 'Counter.exemplar'), (exemplar = readExemplar(r.message())));
    else if (field === S.Counter.createdTimestamp) (r.expect(wire, 2, 'Counter.created_timestamp'), (created = readTimestamp(r.message())));
    else r.skip(wire);
  }
  push(exposed, [], value, exemplar === undefined ? {} : { exemplar });
  if (created !== undefined) push(`${family}_created`, [], created);
}

function readSummary(r: ProtoReader, family: string, push: Push): void {
  let count = 0;
  let sum = 0;
  let created: number | undefined;
  const quantiles: Array<[number, number]> = [];
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Summary.sampleCount) (r.expect(wire, 0, 'Summary.sample_count'), (count = r.varint()));
    else if (field === S.Summary.sampleSum) (r.expect(wire, 1, 'Summary.sample_sum'), (sum = r.double()));
    else if (field === S.Summary.createdTimestamp) (r.expect(wire, 2, 'Summary.created_timestamp'), (created = readTimestamp(r.message())));
    else if (field === S.Summary.quantile) {
      r.expect(wire, 2, 'Summary.quantile');
      const q = r.message();
      let quantile = 0;
      let value = 0;
      while (!q.done) {
        const [f, w] = q.key();
        if (f === S.Quantile.quantile) (q.expect(w, 1, 'Quantile.quantile'), (quantile = q.double()));
        else if (f === S.Quantile.value) (q.expect(w, 1, 'Quantile.value'), (value = q.double()));
        else q.skip(w);
      }
      quantiles.push([quantile, value]);
    } else r.skip(wire);
  }
  for (const [quantile, value] of quantiles) push(family, [['quantile', formatCanonical(quantile)]], value);
  push(`${family}_sum`, [], sum);
  push(`${family}_count`, [], count);
  if (created !== undefined) push(`${family}_created`, [], created);
}

function readHistogram(r: ProtoReader, family: string, kind: MetricType, push: Push): void {
  const H = S.Histogram;
  let count = 0;
  let sum = 0;
  let created: number | undefined;
  let schema: number | undefined;
  let zeroThreshold = 0;
  let zeroCount = 0;
  const buckets: Array<{ count: number; bound: number; exemplar?: ExemplarModel }> = [];
  const negative: Side = { spans: [], deltas: [], counts: [], at: r.pos };
  const positive: Side = { spans: [], deltas: [], counts: [], at: r.pos };
  while (!r.done) {
    const at = r.pos;
    const [field, wire] = r.key();
    if (field === H.sampleCount) (r.expect(wire, 0, 'Histogram.sample_count'), (count = r.varint()));
    else if (field === H.sampleCountFloat) (r.expect(wire, 1, 'Histogram.sample_count_float'), (count = r.double()));
    else if (field === H.sampleSum) (r.expect(wire, 1, 'Histogram.sample_sum'), (sum = r.double()));
    else if (field === H.bucket) (r.expect(wire, 2, 'Histogram.bucket'), buckets.push(readBucket(r.message())));
    else if (field === H.createdTimestamp) (r.expect(wire, 2, 'Histogram.created_timestamp'), (created = readTimestamp(r.message())));
    else if (field === H.schema) (r.expect(wire, 0, 'Histogram.schema'), (schema = r.sint()));
    else if (field === H.zeroThreshold) (r.expect(wire, 1, 'Histogram.zero_threshold'), (zeroThreshold = r.double()));
    else if (field === H.zeroCount) (r.expect(wire, 0, 'Histogram.zero_count'), (zeroCount = r.varint()));
    else if (field === H.zeroCountFloat) (r.expect(wire, 1, 'Histogram.zero_count_float'), (zeroCount = r.double()));
    else if (field === H.negativeSpan || field === H.positiveSpan) {
      r.expect(wire, 2, 'Histogram span');
      const side = field === H.negativeSpan ? negative : positive;
      side.at = at;
      side.spans.push(readSpan(r.message()));
    } else if (field === H.negativeDelta || field === H.positiveDelta) r.repeated(wire, (x) => x.sint(), (field === H.negativeDelta ? negative : positive).deltas);
    else if (field === H.negativeCount || field === H.positiveCount) r.repeated(wire, (x) => x.double(), (field === H.negativeCount ? negative : positive).counts);
    else r.skip(wire);
  }
  const gauge = kind === 'gaugehistogram';
  let last = -Infinity;
  for (const bucket of buckets) {
    if (!(bucket.bound > last)) throw new ProtoParseError('bucket-order', `bucket upper bound ${bucket.bound} does not increase`, r.pos);
    last = bucket.bound;
    push(`${family}_bucket`, [['le', formatCanonical(bucket.bound)]], bucket.count, bucket.exemplar === undefined ? {} : { exemplar: bucket.exemplar });
  }
  if (last !== Infinity) push(`${family}_bucket`, [['le', '+Inf']], count);
  const isNative = schema !== undefined || zeroThreshold > 0 || zeroCount > 0 || positive.spans.length + negative.spans.length > 0;
  const more: Partial<SampleModel> = {};
  if (isNative) {
    const native: NativeBucketsModel = {
      schema: schema ?? 0,
      zeroThreshold,
      zeroCount,
      positiveSpans: positive.spans.filter(([, length]) => length > 0),
      positiveCounts: sideCounts(positive, 'positive'),
      negativeSpans: negative.spans.filter(([, length]) => length > 0),
      negativeCounts: sideCounts(negative, 'negative'),
    };
    more.native = native;
  }
  push(`${family}${gauge ? '_gsum' : '_sum'}`, [], sum);
  push(`${family}${gauge ? '_gcount' : '_count'}`, [], count, more);
  if (created !== undefined && !gauge) push(`${family}_created`, [], created);
}

function readBucket(r: ProtoReader): { count: number; bound: number; exemplar?: ExemplarModel } {
  const bucket: { count: number; bound: number; exemplar?: ExemplarModel } = { count: 0, bound: Infinity };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.Bucket.cumulativeCount) (r.expect(wire, 0, 'Bucket.cumulative_count'), (bucket.count = r.varint()));
    else if (field === S.Bucket.cumulativeCountFloat) (r.expect(wire, 1, 'Bucket.cumulative_count_float'), (bucket.count = r.double()));
    else if (field === S.Bucket.upperBound) (r.expect(wire, 1, 'Bucket.upper_bound'), (bucket.bound = r.double()));
    else if (field === S.Bucket.exemplar) (r.expect(wire, 2, 'Bucket.exemplar'), (bucket.exemplar = readExemplar(r.message())));
    else r.skip(wire);
  }
  return bucket;
}

function readSpan(r: ProtoReader): readonly [number, number] {
  let offset = 0;
  let length = 0;
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === S.BucketSpan.offset) (r.expect(wire, 0, 'BucketSpan.offset'), (offset = r.sint()));
    else if (field === S.BucketSpan.length) (r.expect(wire, 0, 'BucketSpan.length'), (length = r.varint()));
    else r.skip(wire);
  }
  return [offset, length];
}

/** Absolute counts from deltas (or float counts), checked against the spans' total length. */
function sideCounts(side: Side, which: string): number[] {
  const expected = side.spans.reduce((total, [, length]) => total + length, 0);
  if (side.deltas.length > 0 && side.counts.length > 0) throw new ProtoParseError('bad-field', `${which} buckets carry both deltas and counts`, side.at);
  const given = side.deltas.length > 0 ? side.deltas.length : side.counts.length;
  if (given !== expected) throw new ProtoParseError('span-mismatch', `${which} spans cover ${expected} buckets but ${given} counts follow`, side.at);
  if (side.counts.length > 0) return side.counts;
  const counts: number[] = [];
  let running = 0;
  for (const delta of side.deltas) {
    running += delta;
    if (running < 0) throw new ProtoParseError('bad-value', `${which} bucket ${counts.length} has a negative count (${running})`, side.at);
    counts.push(running);
  }
  return counts;
}

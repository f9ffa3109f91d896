// What an OpenMetrics 2.0 sample's value may be, per family type ([OM 2.0 "MetricFamily Types"]): number or
// composite, counters never NaN or negative, info exactly 1, states 0 or 1, buckets ascending and cumulative
// with count equal to +Inf, native spans matching their buckets, quantiles sorted in [0, 1], and where start
// timestamps and exemplars may appear. Cost: O(fields of the sample). Holds: throws or returns; no state.
import type { MetricType } from '../model.js';
import type { LineScan } from './scan.js';
import type { CompositeValue } from './om2-composite.js';
import type { OM2Sample } from './om2-line.js';
import { quote } from './error.js';
import { formatValue } from '../numbers.js';

const START_TYPES: ReadonlySet<MetricType> = new Set(['counter', 'histogram', 'summary']);
const EXEMPLAR_TYPES: ReadonlySet<MetricType> = new Set(['counter', 'histogram', 'gaugehistogram']);

export function checkSample(scan: LineScan, type: MetricType, family: string, line: OM2Sample): void {
  if (line.start !== undefined && !START_TYPES.has(type)) {
    scan.fail('start-timestamp-not-allowed', `st@ on a ${type} sample of ${quote(family)}: only counters, histograms and summaries have a start timestamp`, line.startAt);
  }
  if (line.exemplars.length > 0 && !EXEMPLAR_TYPES.has(type)) {
    scan.fail('exemplar-not-allowed', `exemplar on a ${type} sample of ${quote(family)}: only counters, histograms and gauge histograms carry exemplars`, line.exemplarAt);
  }
  const composite = line.composite;
  const wantsComposite = type === 'histogram' || type === 'gaugehistogram' || type === 'summary';
  if (composite === undefined) {
    if (wantsComposite) scan.fail('bad-value', `${type} ${quote(family)} has the number ${formatValue(line.value)}: its value must be a composite {${type === 'gaugehistogram' ? 'gcount' : 'count'}:...}`, line.valueAt);
    checkNumber(scan, type, family, line);
    return;
  }
  if (type === 'unknown') {
    scan.fail('bad-value', `a composite value in unknown family ${quote(family)}: OpenMetrics 2.0 allows it, but omen's model keeps unknown samples as numbers; give the family its type`, line.valueAt);
  }
  if (composite.shape !== type) {
    scan.fail('bad-value', `${type} ${quote(family)} has a ${composite.shape} value: ${expected(type)}`, line.valueAt);
  }
  if (composite.shape === 'summary') checkSummary(scan, family, composite);
  else checkHistogram(scan, family, composite, composite.shape === 'gaugehistogram', line.labels);
}

function expected(type: MetricType): string {
  if (type === 'summary') return 'a summary is {count:…,sum:…,quantile:[…]}';
  if (type === 'gaugehistogram') return 'a gauge histogram is {gcount:…,gsum:…,…}';
  if (type === 'histogram') return 'a histogram is {count:…,sum:…,…} with buckets';
  return `a ${type} has a number value`;
}

function checkNumber(scan: LineScan, type: MetricType, family: string, line: OM2Sample): void {
  const v = line.value;
  const fail = (rule: string): never => scan.fail('bad-value', `${quote(family)} has value ${formatValue(v)}: ${rule}`, line.valueAt);
  if (type === 'counter' && (v !== v || v < 0)) fail('a counter is never NaN or negative');
  if (type === 'info' && v !== 1) fail('an info sample is always 1');
  if (type === 'stateset' && v !== 0 && v !== 1) fail('a state is 1 (true) or 0 (false)');
}

function checkHistogram(scan: LineScan, family: string, value: CompositeValue, gauge: boolean, labels: ReadonlyArray<readonly [string, string]>): void {
  const at = value.at;
  const fail = (code: 'bad-value' | 'bucket-order' | 'count-mismatch' | 'bad-native-buckets' | 'unexpected-label', field: string, rule: string): never =>
    scan.fail(code, `${quote(family)}: ${rule}`, at[field] ?? at['count'] ?? 0);
  if (!gauge && (value.count < 0 || value.count === -Infinity)) fail('bad-value', 'count', `count ${formatValue(value.count)} is negative: a histogram's count never is`);
  const buckets = value.buckets;
  if (buckets !== undefined) {
    if (labels.some(([name]) => name === 'le')) fail('unexpected-label', 'bucket', 'a histogram with classic buckets may not have an "le" label: the buckets own it');
    let lastLe = -Infinity;
    let lastCount = -Infinity;
    for (let i = 0; i < buckets.length; i++) {
      const [text, count] = buckets[i]!;
      const le = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
      if (i > 0 && le <= lastLe) fail('bucket-order', 'bucket', `bucket ${text} follows ${formatValue(lastLe)}: thresholds must be unique and increasing`);
      if (!gauge && (count < 0 || count !== count)) fail('bad-value', 'bucket', `bucket ${text} holds ${formatValue(count)}: bucket values are never negative or NaN`);
      if (!gauge && count < lastCount) fail('bucket-order', 'bucket', `bucket ${text} holds ${formatValue(count)}, less than the bucket before it (${formatValue(lastCount)}): classic buckets are cumulative`);
      lastLe = le;
      lastCount = count;
    }
    const inf = buckets[buckets.length - 1]![1];
    if (!Object.is(inf, value.count) && !(inf !== inf && value.count !== value.count)) {
      fail('count-mismatch', 'count', `${gauge ? 'gcount' : 'count'} is ${formatValue(value.count)} but the +Inf bucket holds ${formatValue(inf)}: they must be equal`);
    }
  }
  const native = value.native;
  if (native === undefined) return;
  if (!Number.isInteger(native.schema) || native.schema < -4 || native.schema > 8) {
    fail('bad-native-buckets', 'schema', `schema ${native.schema} is outside -4..8, the standard exponential schemas (others are reserved)`);
  }
  if (native.zeroThreshold < 0) fail('bad-native-buckets', 'zero_threshold', `zero_threshold ${formatValue(native.zeroThreshold)} is negative`);
  let total = native.zeroCount;
  if (!gauge && !(native.zeroCount >= 0)) fail('bad-value', 'zero_count', `zero_count ${formatValue(native.zeroCount)} must be a non-negative number`);
  for (const sign of ['negative', 'positive'] as const) {
    const spans = sign === 'negative' ? native.negativeSpans : native.positiveSpans;
    const counts = sign === 'negative' ? native.negativeCounts : native.positiveCounts;
    const length = spans.reduce((sum, [, n]) => sum + n, 0);
    if (length !== counts.length) {
      fail('bad-native-buckets', `${sign}_buckets`, `${sign}_spans cover ${length} bucket(s) but ${sign}_buckets lists ${counts.length}: the span lengths must add up to the bucket count`);
    }
    for (const count of counts) {
      if (!gauge && !(count >= 0)) fail('bad-value', `${sign}_buckets`, `${sign} bucket value ${formatValue(count)} must be a non-negative number`);
      total += count;
    }
  }
  // [OM 2.0 "Native Buckets"]: count minus the buckets is the number of NaN observations, never negative.
  if (!gauge && value.count === value.count && total > value.count) {
    fail('count-mismatch', 'count', `count ${formatValue(value.count)} is less than the native buckets' total ${formatValue(total)}`);
  }
}

function checkSummary(scan: LineScan, family: string, value: CompositeValue): void {
  const at = value.at;
  const fail = (code: 'bad-value' | 'bad-quantile', field: string, rule: string): never => scan.fail(code, `${quote(family)}: ${rule}`, at[field] ?? 0);
  if (!(value.count >= 0) || !Number.isInteger(value.count)) fail('bad-value', 'count', `count ${formatValue(value.count)}: a summary's count is a non-negative integer`);
  if (!(value.sum >= 0)) fail('bad-value', 'sum', `sum ${formatValue(value.sum)}: a summary's sum is never NaN or negative`);
  let last = -Infinity;
  for (const [text, v] of value.quantiles ?? []) {
    const q = Number(text);
    if (q < 0 || q > 1) fail('bad-quantile', 'quantile', `quantile ${text} is outside [0, 1]`);
    if (q <= last) fail('bad-quantile', 'quantile', `quantile ${text} follows ${formatValue(last)}: quantiles must be unique and increasing`);
    if (v < 0) fail('bad-value', 'quantile', `quantile ${text} has value ${formatValue(v)}: quantile values are never negative`);
    last = q;
  }
}

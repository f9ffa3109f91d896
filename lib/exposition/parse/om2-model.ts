// One OpenMetrics 2.0 family into the shared model (model.ts, which keeps the 1.0 sample shapes): a counter
// `x_total` becomes family `x` with samples `x_total` and, from `st@`, `x_created`; an info `x_info` family
// `x`; a composite value its `_bucket`/quantile samples, `_sum`, `_count` (native buckets ride on it; `_g…`
// for gauge histograms) and `_created`. Exemplars go to the classic bucket whose range holds their value
// (the `_count` sample when there are none). Also holds the metric rules: metrics (and stateset groups)
// contiguous, one sample per metric unless all are timestamped in increasing order (metric-key.ts keys them).
// Cost: O(labels) per sample for the metric key, one model sample per field.
import type { ExemplarModel, FamilyModel, LabelPair, MetricType, SampleModel } from '../model.js';
import type { LineScan } from './scan.js';
import type { OM2Sample } from './om2-line.js';
import { quote } from './error.js';
import { MetricKeys } from './metric-key.js';

export class FamilyMapper {
  #model: FamilyModel = { name: '', type: 'unknown', samples: [] };
  #base = '';
  #keys = new Set<string>();
  #groups = new Set<string>();
  #key: string | undefined;
  #group: string | undefined;
  #lastTs: number | undefined;
  #state = '';
  #created = '';
  readonly #metricKeys = new MetricKeys();
  readonly #groupKeys = new MetricKeys();

  begin(name: string, type: MetricType): void {
    let base = name;
    if (type === 'counter' && name.endsWith('_total') && name.length > 6) base = name.slice(0, -6);
    if (type === 'info') base = name.slice(0, -5);
    this.#base = base;
    this.#created = `${base}_created`;
    this.#state = type === 'stateset' ? name : '';
    this.#model = { name: base, type, samples: [] };
  }

  add(scan: LineScan, line: OM2Sample): void {
    this.#checkMetric(scan, line);
    const model = this.#model;
    const ts = line.timestamp;
    const composite = line.composite;
    if (composite === undefined) {
      const sample = this.#sample(line.name, line.labels, line.value, ts);
      attach(sample, line.exemplars);
      model.samples.push(sample);
      if (line.start !== undefined) model.samples.push(this.#sample(this.#created, line.labels, line.start, ts));
      return;
    }
    const base = this.#base;
    const gauge = composite.shape === 'gaugehistogram';
    const samples = model.samples;
    const buckets: SampleModel[] = [];
    if (composite.quantiles !== undefined) {
      for (const [q, v] of composite.quantiles) samples.push(this.#sample(base, [...line.labels, ['quantile', q]], v, ts));
    }
    for (const [le, v] of composite.buckets ?? []) {
      const bucket = this.#sample(`${base}_bucket`, [...line.labels, ['le', le]], v, ts);
      buckets.push(bucket);
      samples.push(bucket);
    }
    samples.push(this.#sample(`${base}${gauge ? '_gsum' : '_sum'}`, line.labels, composite.sum, ts));
    const count = this.#sample(`${base}${gauge ? '_gcount' : '_count'}`, line.labels, composite.count, ts);
    if (composite.native !== undefined) count.native = composite.native;
    samples.push(count);
    if (line.start !== undefined) samples.push(this.#sample(this.#created, line.labels, line.start, ts));
    if (buckets.length === 0) attach(count, line.exemplars);
    else {
      const limits = (composite.buckets ?? []).map(([le]) => (le === '+Inf' ? Infinity : le === '-Inf' ? -Infinity : Number(le)));
      for (const exemplar of line.exemplars) {
        const v = exemplar.value;
        let index = limits.findIndex((limit) => v <= limit);
        if (index < 0) index = limits.length - 1; // NaN counts in the +Inf bucket
        attach(buckets[index]!, [exemplar]);
      }
    }
  }

  finish(_scan: LineScan): FamilyModel {
    return this.#model;
  }

  #sample(name: string, labels: LabelPair[], value: number, timestamp: number | undefined): SampleModel {
    const sample: SampleModel = { name, labels, value };
    if (timestamp !== undefined) sample.timestamp = timestamp;
    return sample;
  }

  #checkMetric(scan: LineScan, line: OM2Sample): void {
    const key = this.#metricKeys.key(line.labels, -1, undefined);
    if (key === this.#key) {
      const ts = line.timestamp;
      const last = this.#lastTs;
      const series = scan.text.slice(line.nameAt, line.valueAt - 1);
      if (ts === undefined && last === undefined) scan.fail('duplicate-series', `metric ${quote(series)} appears again: without timestamps a metric has one sample`, line.nameAt);
      if (ts === undefined || last === undefined) scan.fail('mixed-timestamps', `metric ${quote(series)} mixes samples with and without timestamps`, ts === undefined ? line.valueAt : line.timestampAt);
      if (ts <= last) scan.fail('timestamp-order', `timestamp ${ts} of ${quote(series)} is not after the previous ${last}: a metric's timestamps must increase`, line.timestampAt);
      this.#lastTs = ts;
      return;
    }
    const keys = this.#keys;
    const size = keys.size;
    if (keys.add(key).size === size) scan.fail('interleaved-metric', `the label set of ${quote(scan.rest(line.nameAt))} already appeared earlier in family ${quote(line.name)}: a metric's samples must be contiguous`, line.nameAt);
    this.#key = key;
    this.#lastTs = line.timestamp;
    if (this.#state === '') return;
    // [OM 2.0 "StateSet"]: a group is the label set without the state label; groups do not interleave either.
    const group = this.#groupKeys.key(line.labels, line.labels.findIndex(([name]) => name === this.#state), undefined);
    if (group === this.#group) return;
    if (this.#groups.has(group)) scan.fail('interleaved-metric', `stateset group ${quote(group)} of ${quote(line.name)} appears again after another group: a group's states must be contiguous`, line.nameAt);
    this.#groups.add(group);
    this.#group = group;
  }
}

/** Sets a sample's exemplars: the first as `exemplar`, all of them in `exemplars` when there are several. */
function attach(sample: SampleModel, exemplars: readonly ExemplarModel[]): void {
  if (exemplars.length === 0) return;
  const all = sample.exemplars ?? (sample.exemplar === undefined ? [] : [sample.exemplar]);
  all.push(...exemplars);
  sample.exemplar = all[0]!;
  if (all.length > 1) sample.exemplars = all;
}

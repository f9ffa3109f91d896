// Each metric type's merge rule, on states exported from real registries (as cluster workers send them,
// JSON round trip included): what adds, what takes the max, min, average or first, what is left out.
import type { FamilyModel, NativeBucketsModel } from '../../lib/exposition/model.js';
import type { FamilyState, GaugeAggregate } from '../../lib/metrics/state/index.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { mergeStates } from '../../lib/cluster/merge.js';
import { ClusterRegistry } from '../../lib/cluster/primary.js';
import { PROTOBUF } from '../../lib/exposition/proto/format.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { decodeProtobuf } from '../../lib/exposition/proto/decode.js';
import { encodeProtobuf } from '../../lib/exposition/proto/encode.js';
import { exportFamilyState, exportModelState } from '../../lib/metrics/state/index.js';
import { Registry } from '../../lib/registry.js';

/** Builds one registry per worker with `define`, exports its families as a worker would, merges them. */
function merged(workers: number, define: (registry: Registry, w: number) => void, aggregate?: Record<string, GaugeAggregate>): { families: FamilyModel[]; errors: number } {
  const parts = Array.from({ length: workers }, (_, w) => {
    const registry = new Registry({ clock: new FakeClock(1_700_000_000_000 + w * 1000), onError: () => {} });
    define(registry, w);
    return JSON.parse(JSON.stringify(registry.families.map((family) => exportFamilyState(family)!))) as FamilyState[];
  });
  const result = mergeStates(parts, { wallSeconds: 1_800_000_000, aggregate: new Map(Object.entries(aggregate ?? {})) });
  parse(writeModel(result.families, OPENMETRICS), { format: 'openmetrics' }); // always strict OpenMetrics
  return result;
}

test('native histogram buckets merge exactly: the merged series equals one process that observed every value', () => {
  const observations = Array.from({ length: 3 }, (_, w) => Array.from({ length: 400 }, (_, i) => ((i * 37 + w * 11) % 997) / 50 - 4));
  // Worker 2 has a coarser schema (its maxBuckets forced halvings), so the merge must bring the others down to it.
  const define = (registry: Registry, w: number) => {
    const h = registry.histogram({ name: 'lat', help: 'L.', buckets: [1], native: { schema: 3, maxBuckets: w === 2 ? 40 : 160 } });
    for (const value of observations[w]!) h.observe(value);
  };
  const { families } = merged(3, define);
  const count = families[0]!.samples.find((sample) => sample.name === 'lat_count')!;
  assert.is(count.value, 1200);
  const mergedNative = count.native!;
  const parts = [0, 1, 2].map((w) => {
    const registry = new Registry({ clock: new FakeClock(), onError: () => {} });
    define(registry, w);
    return (registry.families[0] as unknown as { labels(): { nativeModel(): NativeBucketsModel } }).labels().nativeModel();
  });
  assert.ok(parts[2]!.schema < 3, `worker 2 halved its resolution (schema ${parts[2]!.schema})`);
  assert.is(mergedNative.schema, parts[2]!.schema);
  // The reference: one histogram at the merged schema that saw every value.
  const single = new Registry({ clock: new FakeClock() }).histogram({ name: 'lat', help: 'L.', buckets: [1], native: { schema: mergedNative.schema, maxBuckets: 10_000 } });
  for (const value of observations.flat()) single.observe(value);
  assert.equal(mergedNative, single.labels().nativeModel());
  // What a primary serves Prometheus with native histograms: the merged buckets in the protobuf format.
  const [decoded] = decodeProtobuf(encodeProtobuf(families));
  assert.equal(decoded!.samples.find((sample) => sample.name === 'lat_count')!.native, mergedNative);
});

test("a ClusterRegistry answers protobuf with the merged native buckets (the primary's own registry as the only process)", async () => {
  const registry = new Registry({ clock: new FakeClock() });
  const h = registry.histogram({ name: 'lat', help: 'L.', native: true });
  for (const value of [0.001, 0.01, 0.1, 1, 10]) h.observe(value);
  const primary = new ClusterRegistry({ workers: () => [], registry });
  const [family] = decodeProtobuf(await primary.scrape(PROTOBUF)).filter((f) => f.name === 'lat');
  assert.equal(family!.samples.find((sample) => sample.name === 'lat_count')!.native, h.labels().nativeModel());
});

function values(families: FamilyModel[], sample: string): Array<[string, number]> {
  return families.flatMap((f) => f.samples.filter((s) => s.name === sample).map((s) => [s.labels.map(([k, v]) => `${k}=${v}`).join(','), s.value] as [string, number]));
}

const rules: Array<[GaugeAggregate, number[]]> = [['sum', [9, 12]], ['max', [7, 9]], ['min', [2, 3]], ['average', [4.5, 6]], ['first', [7, 9]]];
for (const [rule, expected] of rules) {
  test(`gauges with aggregate '${rule}' read ${expected.join(' and ')}; a series only two workers have is combined over those two`, () => {
    const { families } = merged(3, (registry, w) => {
      const g = registry.gauge({ name: 'g', help: 'G.', labelNames: ['k'] });
      g.labels('a').set([7, 2, 0][w]!);
      if (w < 2) g.labels('b').set([9, 3][w]!);
    }, { g: rule });
    const a = rule === 'sum' ? 9 : rule === 'max' ? 7 : rule === 'min' ? 0 : rule === 'average' ? 3 : 7;
    assert.equal(values(families, 'g'), [['k=a', a], ['k=b', expected[1]!]]);
  });
}

test("aggregate 'omit' leaves the gauge family out", () => {
  const { families } = merged(2, (registry) => void registry.gauge({ name: 'g', help: 'G.' }).set(1), { g: 'omit' });
  assert.equal(values(families, 'g'), []);
});

test('gauge histograms add bucket by bucket; _gcount and _gsum too', () => {
  const { families } = merged(2, (registry, w) => registry.gaugeHistogram({ name: 'q', help: 'Q.', buckets: [1, 5] }).add(w === 0 ? 0.5 : 3, w + 1));
  assert.equal(values(families, 'q_bucket'), [['le=1.0', 1], ['le=5.0', 3], ['le=+Inf', 3]]);
  assert.equal(values(families, 'q_gcount'), [['', 3]]);
  assert.equal(values(families, 'q_gsum'), [['', 0.5 + 6]]);
});

test('a worker whose histogram bounds differ is left out of that family; _created is the earliest', () => {
  const { families } = merged(3, (registry, w) => registry.histogram({ name: 'h', help: 'H.', buckets: w === 2 ? [2] : [1] }).observe(0.5));
  assert.equal(values(families, 'h_count'), [['', 2]]);
  assert.equal(values(families, 'h_created'), [['', 1_700_000_000]]);
});

test('info series are the union; a state set takes the first worker that has the series', () => {
  const { families } = merged(2, (registry, w) => {
    registry.info({ name: 'build', help: 'B.', labelNames: ['v'] }).labels(`1.${w}`);
    registry.stateSet({ name: 'mode', help: 'M.', states: ['on', 'off'] }).setOnly(w === 0 ? 'on' : 'off');
  });
  assert.equal(values(families, 'build_info'), [['v=1.0', 1], ['v=1.1', 1]]);
  assert.equal(values(families, 'mode'), [['mode=on', 1], ['mode=off', 0]]);
});

test('families with timestamps carry the scrape time; refused records and dropped series add up', () => {
  const { families } = merged(2, (registry) => {
    const c = registry.counter({ name: 'c', help: 'C.', labelNames: ['k'], timestamps: true, maxChildren: 1 });
    c.labels('a').inc();
    c.labels('b').inc(); // dropped: over maxChildren
    c.labels('a').inc(-1); // refused
  });
  const sample = families.find((f) => f.name === 'c')!.samples[0]!;
  assert.is(sample.timestamp, 1_800_000_000);
  assert.equal(values(families, 'omen_series_dropped_total'), [['family=c', 2]]);
  assert.equal(values(families, 'omen_records_rejected_total'), [['family=c', 2]]);
});

test('label values holding NUL, quotes and newlines keep their series apart', () => {
  const { families } = merged(2, (registry, w) => {
    const c = registry.counter({ name: 'c', help: 'C.', labelNames: ['a', 'b'] });
    c.labels('x\u0000', 'y').inc(1);
    c.labels('x', '\u0000y').inc(10);
    c.labels('', '').inc(w + 1);
    c.labels('"\n\\', '').inc(100);
  });
  assert.equal(values(families, 'c_total').map(([, v]) => v), [2, 20, 3, 200]);
});

test('collector families merge by sample; one that would not be valid OpenMetrics is left out and counted', () => {
  const good: FamilyModel = { name: 'ev', type: 'counter', help: 'E.', samples: [{ name: 'ev_total', labels: [], value: 2 }] };
  const histogram = (bound: string): FamilyModel => ({
    name: 'hh', type: 'histogram', help: 'H.',
    samples: [{ name: 'hh_bucket', labels: [['le', bound]], value: 1 }, { name: 'hh_bucket', labels: [['le', '+Inf']], value: 1 }, { name: 'hh_count', labels: [], value: 1 }, { name: 'hh_sum', labels: [], value: 0.5 }],
  });
  const parts = [[exportModelState(good), exportModelState(histogram('1.0'))], [exportModelState(good), exportModelState(histogram('2.0'))]];
  const { families, errors } = mergeStates(JSON.parse(JSON.stringify(parts)) as FamilyState[][], { wallSeconds: 0 });
  assert.equal(values(families, 'ev_total'), [['', 4]]);
  assert.is(families.find((f) => f.name === 'hh'), undefined, 'buckets 1.0 and 2.0 interleave after +Inf: not writable');
  assert.is(errors, 1);
});

test('a family whose sample names clash with an earlier family (x beside x_total) is left out and counted', () => {
  const { families, errors } = merged(2, (registry, w) => {
    if (w === 0) registry.counter({ name: 'x', help: 'X.' }).inc(3);
    else registry.gauge({ name: 'x_total', help: 'A gauge of a clashing name.' }).set(1);
  });
  assert.equal(values(families, 'x_total'), [['', 3]]);
  assert.is(families.filter((f) => f.name === 'x_total').length, 0);
  assert.is(errors, 1);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { exponentialBuckets, linearBuckets } from '../../lib/metrics/buckets.js';
import { Counter } from '../../lib/metrics/counter.js';
import { Gauge } from '../../lib/metrics/gauge.js';
import { GaugeHistogram } from '../../lib/metrics/gaugehistogram.js';
import { Histogram } from '../../lib/metrics/histogram.js';
import { Info } from '../../lib/metrics/info.js';
import { StateSet } from '../../lib/metrics/stateset.js';
import { Unknown } from '../../lib/metrics/unknown.js';
import { collectErrors, render } from './render.js';

const samples = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

test('a counter adds increments and writes _total, with _created only in OpenMetrics', () => {
  const counter = new Counter({ name: 'jobs', help: '', labelNames: ['queue'], clock: new FakeClock(1_500) });
  counter.labels('a').inc();
  counter.labels('a').inc(2.5);
  assert.equal(samples(render(counter, OPENMETRICS)), ['jobs_total{queue="a"} 3.5', 'jobs_created{queue="a"} 1.5']);
  assert.equal(samples(render(counter, PROMETHEUS)), ['jobs_total{queue="a"} 3.5']);
  assert.ok(render(counter, PROMETHEUS).startsWith('# HELP jobs_total \n# TYPE jobs_total counter\n'));
  assert.ok(render(counter, OPENMETRICS).startsWith('# TYPE jobs counter\n# HELP jobs \n'));
});

test('a counter stays exact past 2^32 increments of one', () => {
  const counter = new Counter({ name: 'c', help: '' });
  counter.inc(2 ** 32);
  counter.inc();
  assert.is(counter.value, 2 ** 32 + 1);
});

test('a gauge sets, increments and decrements', () => {
  const gauge = new Gauge({ name: 'g', help: '' });
  gauge.set(10);
  gauge.inc(2);
  gauge.dec(0.5);
  assert.is(gauge.value, 11.5);
});

test('a histogram counts each observation in the first bucket whose bound holds it, written cumulatively', () => {
  const histogram = new Histogram({ name: 'h', help: '', buckets: [1, 2, 5] });
  for (const value of [0, 1, 1.5, 2, 3, 100]) histogram.observe(value);
  assert.equal(samples(render(histogram, PROMETHEUS)), [
    'h_bucket{le="1.0"} 2',
    'h_bucket{le="2.0"} 4',
    'h_bucket{le="5.0"} 5',
    'h_bucket{le="+Inf"} 6',
    'h_sum 107.5',
    'h_count 6',
  ]);
});

test('a histogram with many bounds finds buckets by binary search like the linear scan would', () => {
  const bounds = exponentialBuckets(0.001, 1.5, 40);
  const histogram = new Histogram({ name: 'h', help: '', buckets: bounds });
  const values = [0, 0.001, 0.0015, 0.00151, 1, 2.5, 1e9, ...bounds];
  for (const value of values) histogram.observe(value);
  const child = histogram.labels();
  for (let i = 0; i <= bounds.length; i++) {
    const expected = values.filter((v) => v <= (bounds[i] ?? Infinity) && (i === 0 || v > bounds[i - 1]!)).length;
    assert.is(child.counts[i], expected, `bucket ${i}`);
  }
});

test('histogram bucket helpers build the bounds they describe', () => {
  assert.equal(linearBuckets(1, 2, 3), [1, 3, 5]);
  assert.equal(exponentialBuckets(1, 10, 3), [1, 10, 100]);
  assert.throws(() => linearBuckets(1, 0, 3), /width must be > 0/);
  assert.throws(() => exponentialBuckets(0, 2, 3), /start must be > 0/);
});

test('a gauge histogram adds and removes items and writes _gcount/_gsum', () => {
  const gh = new GaugeHistogram({ name: 'q', help: '', buckets: [1] });
  const errors = collectErrors(gh);
  gh.add(0.5, 2);
  gh.add(3);
  gh.add(0.5, -1);
  gh.add(3, -5);
  gh.add(2, 0.5);
  assert.equal(errors.map((e) => e.code), ['invalid-value', 'invalid-value']);
  assert.equal(samples(render(gh, OPENMETRICS)), ['q_bucket{le="1.0"} 1', 'q_bucket{le="+Inf"} 2', 'q_gsum 3.5', 'q_gcount 2']);
  const prom = render(gh, PROMETHEUS);
  assert.ok(prom.includes('# TYPE q histogram\n'));
  assert.ok(prom.includes('# TYPE q_gcount gauge\nq_gcount 2\n'));
});

test('an info metric writes its labels on a sample of value 1', () => {
  const info = new Info({ name: 'build_info', help: '', labelNames: ['version'] });
  info.labels('1.0');
  assert.is(info.name, 'build');
  assert.equal(samples(render(info, OPENMETRICS)), ['build_info{version="1.0"} 1']);
  assert.ok(render(info, PROMETHEUS).includes('# TYPE build_info gauge\n'));
});

test('a stateset writes one sample per state and refuses unknown states', () => {
  const state = new StateSet({ name: 'door', help: '', states: ['open', 'closed'] });
  const errors = collectErrors(state);
  state.setOnly('open');
  state.setOnly('ajar');
  assert.equal(samples(render(state, OPENMETRICS)), ['door{door="open"} 1', 'door{door="closed"} 0']);
  state.set('closed', true);
  assert.ok(state.labels().isOn('closed') && state.labels().isOn('open'));
  assert.is(errors[0]?.code, 'invalid-value');
  assert.ok(render(state, PROMETHEUS).includes('# TYPE door gauge\n'));
});

test('an unknown metric is untyped in Prometheus text', () => {
  const unknown = new Unknown({ name: 'u', help: '' });
  unknown.set(3);
  assert.ok(render(unknown, OPENMETRICS).startsWith('# TYPE u unknown\n'));
  assert.ok(render(unknown, PROMETHEUS).includes('# TYPE u untyped\nu 3\n'));
});

test.run();

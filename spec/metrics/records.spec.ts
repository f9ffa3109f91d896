// Records with values of the wrong kind, and label values that cannot be written, are refused without
// touching what was recorded before: the host service keeps running and the exposition stays valid.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { Counter } from '../../lib/metrics/counter.js';
import { Gauge } from '../../lib/metrics/gauge.js';
import { GaugeHistogram } from '../../lib/metrics/gaugehistogram.js';
import { Histogram } from '../../lib/metrics/histogram.js';
import { Summary } from '../../lib/metrics/summary.js';
import { MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from '../../lib/metrics/windowed-gauges.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { collectErrors, render } from './render.js';

// undefined is left out: for inc() and add()'s count it means the default, 1.
const junk: unknown[] = ['5', '-1', null, {}, [], true, 5n];
const as = <T>(value: unknown) => value as T;

test('counters, gauges, histograms and summaries refuse values that are not numbers, keeping their totals', () => {
  const clock = new FakeClock();
  const counter = new Counter({ name: 'c', help: '', clock });
  const gauge = new Gauge({ name: 'g', help: '' });
  const histogram = new Histogram({ name: 'h', help: '', buckets: [1], clock });
  const summary = new Summary({ name: 's', help: '', clock });
  const gaugeHistogram = new GaugeHistogram({ name: 'gh', help: '', buckets: [1] });
  const families = [counter, gauge, histogram, summary, gaugeHistogram];
  const errors = families.map(collectErrors);
  counter.inc(2);
  gauge.set(3);
  histogram.observe(0.5);
  summary.observe(0.5);
  gaugeHistogram.add(0.5, 2);
  const before = families.map((family) => render(family, OPENMETRICS));
  for (const value of junk) {
    counter.inc(as<number>(value));
    gauge.set(as<number>(value));
    gauge.inc(as<number>(value));
    gauge.dec(as<number>(value));
    histogram.observe(as<number>(value));
    summary.observe(as<number>(value));
    gaugeHistogram.add(as<number>(value));
    gaugeHistogram.add(0.5, as<number>(value));
  }
  assert.equal(families.map((family) => render(family, OPENMETRICS)), before);
  assert.equal(errors.map((list) => list.length), [junk.length, 3 * junk.length, junk.length, junk.length, 2 * junk.length]);
  assert.ok(errors[1]!.every((error) => error instanceof MetricError && error.message.startsWith('g: cannot')));
  assert.match(errors[0]![0]!.message, /cannot increment by "5": increments must be finite numbers/);
});

test('windowed gauges refuse values that are not numbers, each with the rule that applies', () => {
  const clock = new FakeClock();
  const rate = new RateGauge({ name: 'r', help: '', clock });
  const ratio = new RatioGauge({ name: 'p', help: '', labelNames: ['s'], clock });
  const max = new MaxGauge({ name: 'm', help: '', clock });
  const loop = new UtilizationGauge({ name: 'u', help: '', clock, eventLoop: () => ({ active: 0, idle: 0, utilization: 0 }) });
  const errors = [rate, ratio, max, loop].map(collectErrors);
  rate.mark(as<number>('3'));
  ratio.markTotal(as<number>(null));
  ratio.labels('500').mark(as<number>('1'));
  max.record(as<number>('9'));
  max.record(-4);
  loop.reportBusy(5);
  assert.is(rate.labels().window.count(), 0);
  assert.is(max.labels().window.max(), -4, 'negative values are fine for max/average');
  assert.match(errors[1]![0]!.message, /event counts must be finite numbers >= 0/);
  assert.match(errors[2]![0]!.message, /values must be finite numbers/);
  assert.match(errors[3]![0]!.message, /busy reports need source: "reports"/);
});

test('label values with lone UTF-16 surrogates are refused: they would collapse into one series', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a'] });
  const errors = collectErrors(gauge);
  gauge.labels('\uD800').set(1);
  gauge.labels('\uD801').set(2);
  gauge.labels('ok \uD83D\uDE00').set(3);
  assert.is(gauge.size, 1, 'a well-formed pair is fine');
  assert.equal(errors.map((e) => e.code), ['invalid-label-value', 'invalid-label-value']);
  assert.match(errors[0]!.message, /lone UTF-16 surrogates/);
});

test('removing ratio children releases their windows, and reset() clears the shared total too', () => {
  const clock = new FakeClock();
  const ratio = new RatioGauge({ name: 'p', help: '', labelNames: ['s'], clock });
  for (let i = 0; i < 100; i++) {
    ratio.labels(String(i)).mark();
    ratio.remove(String(i));
  }
  assert.is(ratio.numeratorCount, 0);
  ratio.markTotal(4);
  ratio.labels('500').mark(2);
  ratio.reset();
  assert.is(ratio.numeratorCount, 0);
  ratio.markTotal(2);
  ratio.labels('500').mark(1);
  clock.advance(1000);
  assert.ok(render(ratio, OPENMETRICS).includes('p{s="500"} 50\n'));
});

test('bad summary windows and targets are MetricErrors that name the family and the option', () => {
  for (const options of [{ maxAgeSeconds: -1 }, { ageBuckets: 0 }, { targets: [{ q: 2, error: 0.1 }] }]) {
    assert.throws(
      () => new Summary({ name: 'lat', help: '', ...options }),
      (error: unknown) => error instanceof MetricError && error.code === 'invalid-option' && error.message.startsWith('lat: '),
    );
  }
});

test.run();

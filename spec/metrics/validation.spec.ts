import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Counter } from '../../lib/metrics/counter.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { Gauge } from '../../lib/metrics/gauge.js';
import { Histogram } from '../../lib/metrics/histogram.js';
import { GaugeHistogram } from '../../lib/metrics/gaugehistogram.js';
import { Info } from '../../lib/metrics/info.js';
import { StateSet } from '../../lib/metrics/stateset.js';
import { collectErrors } from './render.js';

/** Asserts that `build` throws a MetricError with `code` whose message quotes `mentions`. */
function refuses(what: string, build: () => unknown, code: string, mentions: string): void {
  test(`definition refuses ${what}`, () => {
    try {
      build();
    } catch (error: unknown) {
      assert.instance(error, MetricError);
      assert.is((error as MetricError).code, code);
      assert.ok((error as MetricError).message.includes(mentions), `message "${(error as Error).message}" should mention ${mentions}`);
      return;
    }
    assert.unreachable(`${what} was accepted`);
  });
}

refuses('a metric name with a space', () => new Gauge({ name: 'http requests', help: '' }), 'invalid-name', '"http requests"');
refuses('a metric name starting with a digit', () => new Gauge({ name: '1x', help: '' }), 'invalid-name', '[a-zA-Z_:]');
refuses('an empty metric name', () => new Gauge({ name: '', help: '' }), 'invalid-name', '""');
refuses('a label name with a dash', () => new Gauge({ name: 'g', help: '', labelNames: ['a-b'] }), 'invalid-label-name', '"a-b"');
refuses('a label name with a colon', () => new Gauge({ name: 'g', help: '', labelNames: ['a:b'] }), 'invalid-label-name', '"a:b"');
refuses('a label name starting with "__"', () => new Gauge({ name: 'g', help: '', labelNames: ['__name'] }), 'reserved-label-name', '"__name"');
refuses('a repeated label name', () => new Gauge({ name: 'g', help: '', labelNames: ['a', 'a'] }), 'duplicate-label-name', '"a"');
refuses('"le" on a histogram', () => new Histogram({ name: 'h', help: '', labelNames: ['le'] }), 'reserved-label-name', '"le"');
refuses('"le" on a gauge histogram', () => new GaugeHistogram({ name: 'h', help: '', labelNames: ['le'] }), 'reserved-label-name', '"le"');
refuses('the family name as a label of a stateset', () => new StateSet({ name: 's', help: '', labelNames: ['s'], states: ['a'] }), 'reserved-label-name', '"s"');
refuses('a unit that is not the name suffix', () => new Gauge({ name: 'latency', help: '', unit: 'seconds' }), 'invalid-unit', 'latency_seconds');
refuses('a unit with a dash', () => new Gauge({ name: 'x_ab', help: '', unit: 'a-b' }), 'invalid-unit', '"a-b"');
refuses('a unit on an info metric', () => new Info({ name: 'build_seconds', help: '', unit: 'seconds' }), 'invalid-unit', 'info');
refuses('a counter name ending in _total twice', () => new Counter({ name: 'requests_total_total', help: '' }), 'invalid-name', '"requests_total_total"');
refuses('help that is not a string', () => new Gauge({ name: 'g', help: 3 as unknown as string }), 'invalid-help', '3');
refuses('maxChildren of zero', () => new Gauge({ name: 'g', help: '', maxChildren: 0 }), 'invalid-option', 'maxChildren');
refuses('bucket bounds that do not increase', () => new Histogram({ name: 'h', help: '', buckets: [1, 1] }), 'invalid-option', 'increase');
refuses('a NaN bucket bound', () => new Histogram({ name: 'h', help: '', buckets: [NaN] }), 'invalid-option', 'NaN');
refuses('a stateset without states', () => new StateSet({ name: 's', help: '', states: [] }), 'invalid-option', 'states');
refuses('a stateset with a repeated state', () => new StateSet({ name: 's', help: '', states: ['a', 'a'] }), 'invalid-option', '"a"');
refuses('a stateset state with a lone surrogate', () => new StateSet({ name: 's', help: '', states: ['ok', 'bad\ud800'] }), 'invalid-option', 'lone UTF-16 surrogate');

test('a counter named with _total drops the suffix for its family name', () => {
  assert.is(new Counter({ name: 'requests_total', help: '' }).name, 'requests');
  assert.is(new Counter({ name: 'requests', help: '' }).name, 'requests');
});

test('a unit that is the name suffix is accepted', () => {
  assert.is(new Gauge({ name: 'latency_seconds', help: '', unit: 'seconds' }).unit, 'seconds');
  assert.is(new Gauge({ name: 'latency', help: '', unit: '' }).unit, undefined);
});

test('the wrong number of label values is reported and records land nowhere', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a', 'b'] });
  const errors = collectErrors(gauge);
  gauge.labels('only-one').set(5);
  gauge.labels('x', 'y', 'z').set(5);
  gauge.set(5);
  assert.equal(errors.map((e) => e.code), ['label-count', 'label-count', 'label-count']);
  assert.ok(errors[0]!.message.includes('got 1 label value(s), expected 2 for [a, b]'));
  assert.is(gauge.size, 0);
  assert.is(gauge.rejectedRecords, 3);
});

test('label values that are neither strings nor finite numbers are refused', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a'] });
  const errors = collectErrors(gauge);
  gauge.labels(undefined as unknown as string).set(1);
  gauge.labels(NaN).set(1);
  gauge.labels({ b: 'x' }).set(1);
  assert.equal(errors.map((e) => e.code), ['invalid-label-value', 'invalid-label-value', 'label-count']);
  assert.ok(errors[0]!.message.includes('undefined'));
  assert.ok(errors[2]!.message.includes('"b"'));
  assert.is(gauge.size, 0);
});

test('a negative counter increment is refused, named, and loses nothing already counted', () => {
  const counter = new Counter({ name: 'c', help: '' });
  const errors = collectErrors(counter);
  counter.inc(5);
  counter.inc(-1);
  counter.inc(NaN);
  counter.inc(Infinity);
  assert.is(counter.value, 5);
  assert.equal(errors.map((e) => e.code), ['negative-increment', 'non-finite-value', 'non-finite-value']);
  assert.ok(errors[0]!.message.includes('-1') && errors[0]!.message.includes('use a gauge'));
});

test('histogram observations that are not finite, or negative without negative bounds, are refused', () => {
  const histogram = new Histogram({ name: 'h', help: '', buckets: [1] });
  const errors = collectErrors(histogram);
  histogram.observe(0.5);
  histogram.observe(NaN);
  histogram.observe(-Infinity);
  histogram.observe(-2);
  assert.equal(errors.map((e) => e.code), ['non-finite-value', 'non-finite-value', 'invalid-value']);
  const withNegative = new Histogram({ name: 'h2', help: '', buckets: [-1, 1] });
  const none = collectErrors(withNegative);
  withNegative.observe(-2);
  assert.equal(none, []);
});

test('the default error sink warns once per family and kind, never throws', async () => {
  const warnings: string[] = [];
  const listener = (warning: Error) => warnings.push(warning.message);
  process.on('warning', listener);
  try {
    const counter = new Counter({ name: 'warned', help: '' });
    for (let i = 0; i < 100; i++) counter.inc(-1);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  assert.is(warnings.length, 1);
  assert.ok(warnings[0]!.startsWith('warned: cannot increment by -1'));
});

test('past maxChildren, new series go to a no-op child and are counted as dropped', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['id'], maxChildren: 2 });
  gauge.labels('a').set(1);
  gauge.labels('b').set(2);
  const overflow = gauge.labels('c');
  overflow.set(3);
  gauge.labels('d').inc();
  assert.is(gauge.size, 2);
  assert.is(gauge.droppedSeries, 2);
  assert.is(gauge.labels('a').value, 1, 'existing series stay reachable');
  gauge.remove('a');
  gauge.labels('c').set(4);
  assert.is(gauge.size, 2, 'room freed by remove() is reused');
});

test.run();

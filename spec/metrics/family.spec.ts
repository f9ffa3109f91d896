import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { Counter } from '../../lib/metrics/counter.js';
import { Gauge } from '../../lib/metrics/gauge.js';
import { render } from './render.js';

test('labels() returns the same child for the same values, positional or by name', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a', 'b'] });
  const child = gauge.labels('x', 'y');
  assert.is(gauge.labels('x', 'y'), child);
  assert.is(gauge.labels({ b: 'y', a: 'x' }), child);
  assert.is.not(gauge.labels('y', 'x'), child);
  assert.is(gauge.size, 2);
});

test('numeric label values are the same series as their decimal strings', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['code'] });
  assert.is(gauge.labels(200), gauge.labels('200'));
});

test('series are written in creation order with labels in declaration order', () => {
  const gauge = new Gauge({ name: 'g', help: 'h', labelNames: ['z', 'a'] });
  gauge.labels('2', 'b').set(2);
  gauge.labels('1', 'a').set(1);
  assert.is(render(gauge), '# HELP g h\n# TYPE g gauge\ng{z="2",a="b"} 2\ng{z="1",a="a"} 1\n');
});

test('remove() forgets one series; a kept handle no longer reaches the output', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a', 'b'] });
  const kept = gauge.labels('x', '1');
  gauge.labels('x', '2').set(2);
  assert.ok(gauge.remove('x', '1'));
  assert.not.ok(gauge.remove('x', '1'), 'a second remove finds nothing');
  assert.not.ok(gauge.remove('nope', '1'));
  kept.set(99);
  assert.not.ok(render(gauge).includes('99'));
  assert.is.not(gauge.labels('x', '1'), kept, 'the same values make a fresh series');
  assert.is(gauge.size, 2);
  assert.ok(gauge.remove({ b: '2', a: 'x' }), 'remove() takes label values by name too');
  assert.is(gauge.size, 1);
});

test('removing many series keeps the remaining prefixes intact after compaction', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['id'], maxChildren: 100_000 });
  for (let i = 0; i < 5000; i++) gauge.labels(`series-${i}-${'x'.repeat(20)}`).set(i);
  for (let i = 0; i < 4990; i++) gauge.remove(`series-${i}-${'x'.repeat(20)}`);
  const lines = render(gauge).split('\n').filter((line) => line.startsWith('g{'));
  assert.is(lines.length, 10);
  assert.is(lines[0], `g{id="series-4990-${'x'.repeat(20)}"} 4990`);
  assert.is(lines[9], `g{id="series-4999-${'x'.repeat(20)}"} 4999`);
});

test('reset() on a labelled family forgets every series', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a'] });
  gauge.labels('x').set(1);
  gauge.reset();
  assert.is(gauge.size, 0);
  assert.is(render(gauge), '# HELP g \n# TYPE g gauge\n');
});

test('reset() on an unlabelled counter zeroes it and restarts its _created time', () => {
  const clock = new FakeClock(1_000_000);
  const counter = new Counter({ name: 'c', help: '', clock });
  counter.inc(4);
  clock.advance(5000);
  counter.reset();
  assert.is(counter.value, 0);
  assert.ok(render(counter, OPENMETRICS).includes('c_created 1005\n'));
});

test('an unlabelled family is written from creation, at zero', () => {
  assert.is(render(new Gauge({ name: 'g', help: '' })), '# HELP g \n# TYPE g gauge\ng 0\n');
});

test('an unchanged family is served from its cache, and a change is seen at the next scrape', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['a'] });
  const child = gauge.labels('x');
  child.set(1);
  const first = render(gauge);
  assert.is(render(gauge), first);
  child.set(2);
  assert.ok(render(gauge).includes('g{a="x"} 2\n'));
  gauge.labels('y');
  assert.ok(render(gauge).includes('g{a="y"} 0\n'));
});

test('the cache is kept per format', () => {
  const counter = new Counter({ name: 'c', help: '', clock: new FakeClock(2000) });
  counter.inc();
  assert.ok(render(counter, OPENMETRICS).includes('c_created 2\n'));
  assert.not.ok(render(counter, PROMETHEUS).includes('c_created'));
  counter.inc();
  assert.ok(render(counter, PROMETHEUS).includes('c_total 2\n'));
  assert.ok(render(counter, OPENMETRICS).includes('c_total 2\n'));
});

test('timestamps: true stamps every sample with the scrape time, in each format\'s unit', () => {
  const gauge = new Gauge({ name: 'g', help: '', timestamps: true });
  gauge.set(1);
  assert.ok(render(gauge, PROMETHEUS, 1692222226141).endsWith('g 1 1692222226141\n'));
  assert.ok(render(gauge, OPENMETRICS, 1692222226141).endsWith('g 1 1692222226.141\n'));
  assert.ok(render(gauge, PROMETHEUS, 1692222227000).endsWith('g 1 1692222227000\n'), 'stamped output is never served stale');
});

test.run();

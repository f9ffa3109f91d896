import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { Summary } from '../../lib/metrics/summary.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { collectErrors, render } from './render.js';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no sample ${series} in:\n${text}`);
  return Number(line!.split(' ')[1]);
};

test('an old burst leaves the median once it ages out of the window (the peer\'s shared-digest bug)', () => {
  const clock = new FakeClock();
  const latency = new Summary({ name: 'latency', help: '', clock, maxAgeSeconds: 100, ageBuckets: 5 });
  for (let i = 0; i < 1000; i++) latency.observe(1000);
  clock.advance(70_000);
  for (let i = 0; i < 1500; i++) latency.observe(1);
  clock.advance(55_000);
  const text = render(latency, OPENMETRICS);
  assert.is(sample(text, 'latency{quantile="0.5"}'), 1);
  assert.is(sample(text, 'latency_count'), 2500, '_count stays cumulative');
  assert.is(sample(text, 'latency_sum'), 1_001_500, '_sum stays cumulative');
});

test('a window that has emptied answers NaN while _sum and _count keep their totals', () => {
  const clock = new FakeClock();
  const latency = new Summary({ name: 'latency', help: '', clock, maxAgeSeconds: 10, ageBuckets: 2 });
  latency.observe(0.2);
  clock.advance(60_000);
  const text = render(latency, PROMETHEUS);
  assert.ok(Number.isNaN(sample(text, 'latency{quantile="0.99"}')));
  assert.is(sample(text, 'latency_count'), 1);
});

test('quantile lines follow the targets, in canonical form, before _sum and _count', () => {
  const latency = new Summary({ name: 'l', help: '', clock: new FakeClock(), targets: [{ q: 0.999, error: 0.0001 }, { q: 0.5, error: 0.05 }], labelNames: ['route'] });
  latency.labels('/').observe(3);
  const lines = render(latency, PROMETHEUS).split('\n').filter((l) => l.startsWith('l'));
  assert.equal(lines, ['l{route="/",quantile="0.5"} 3', 'l{route="/",quantile="0.999"} 3', 'l_sum{route="/"} 3', 'l_count{route="/"} 1']);
});

test('observations that are negative or not finite are refused and change nothing', () => {
  const latency = new Summary({ name: 'l', help: '', clock: new FakeClock() });
  const errors = collectErrors(latency);
  latency.observe(1);
  latency.observe(-1);
  latency.observe(NaN);
  latency.observe(Infinity);
  assert.equal(errors.map((e) => e.code), ['invalid-value', 'non-finite-value', 'non-finite-value']);
  assert.is(latency.labels().count, 1);
  assert.is(latency.labels().quantile(0.5), 1);
});

test('bad window options and targets are refused at definition', () => {
  assert.throws(() => new Summary({ name: 'l', help: '', labelNames: ['quantile'] }), (e: unknown) => e instanceof MetricError && e.code === 'reserved-label-name');
  assert.throws(() => new Summary({ name: 'l', help: '', targets: [{ q: 1.5, error: 0.01 }] }), /1\.5/);
  assert.throws(() => new Summary({ name: 'l', help: '', ageBuckets: 0 }), /ageBuckets/);
  assert.throws(() => new Summary({ name: 'l', help: '', maxAgeSeconds: -5 }), /maxAgeSeconds/);
});

test('reset() restarts the window, the totals and _created', () => {
  const clock = new FakeClock(10_000);
  const latency = new Summary({ name: 'l', help: '', clock });
  latency.observe(5);
  clock.advance(1000);
  latency.reset();
  const text = render(latency, OPENMETRICS);
  assert.is(sample(text, 'l_count'), 0);
  assert.is(sample(text, 'l_created'), 11);
  assert.ok(Number.isNaN(sample(text, 'l{quantile="0.5"}')));
});

test.run();

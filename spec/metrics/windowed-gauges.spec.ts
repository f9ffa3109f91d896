import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { AverageGauge, MaxGauge, RateGauge, RatioGauge, UtilizationGauge } from '../../lib/metrics/windowed-gauges.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { collectErrors, render } from './render.js';

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  assert.ok(line, `no sample ${series} in:\n${text}`);
  return Number(line!.split(' ')[1]);
};

test('a rate gauge reports events per second over its window, stamped with the scrape time', () => {
  const clock = new FakeClock(1_000_000);
  const rate = new RateGauge({ name: 'req_rate', help: '', labelNames: ['svc'], clock, timestamps: true, windowSeconds: 60, slotSeconds: 1 });
  const child = rate.labels('a');
  for (let s = 0; s < 120; s++) {
    child.mark(10);
    clock.advance(1000);
  }
  const text = render(rate, PROMETHEUS, clock.wallMs());
  assert.ok(Math.abs(value(text, 'req_rate{svc="a"}') - 10) < 0.5);
  assert.ok(text.endsWith(` ${clock.wallMs()}\n`));
});

test('a rate gauge is recomputed at each scrape although nothing was recorded', () => {
  const clock = new FakeClock();
  const rate = new RateGauge({ name: 'r', help: '', clock, windowSeconds: 10, slotSeconds: 1 });
  rate.mark(100);
  clock.advance(1000);
  assert.ok(value(render(rate), 'r') > 0);
  clock.advance(20_000);
  assert.is(value(render(rate), 'r'), 0, 'the burst left the window');
});

test('a ratio gauge gives each share in percent of the family total, and 0 at idle', () => {
  const clock = new FakeClock();
  const errors = new RatioGauge({ name: 'errors_rate', help: '', labelNames: ['status'], clock });
  const s500 = errors.labels('500');
  errors.labels('404');
  assert.is(value(render(errors, OPENMETRICS), 'errors_rate{status="500"}'), 0);
  errors.markTotal(200);
  s500.mark(5);
  errors.labels('404').mark(10);
  clock.advance(1000);
  const text = render(errors, OPENMETRICS);
  assert.is(value(text, 'errors_rate{status="500"}'), 2.5);
  assert.is(value(text, 'errors_rate{status="404"}'), 5);
  assert.is(errors.total(), 200);
});

test('max and average gauges read the window and 0 when it is empty', () => {
  const clock = new FakeClock();
  const max = new MaxGauge({ name: 'age_max', help: '', clock, windowSeconds: 10, slotSeconds: 1 });
  const avg = new AverageGauge({ name: 'age_avg', help: '', clock, windowSeconds: 10, slotSeconds: 1 });
  assert.is(value(render(max), 'age_max'), 0);
  assert.is(value(render(avg), 'age_avg'), 0);
  for (const v of [1, 2, 9]) {
    max.record(v);
    avg.record(v);
  }
  assert.is(value(render(max), 'age_max'), 9);
  assert.is(value(render(avg), 'age_avg'), 4);
  clock.advance(30_000);
  assert.is(value(render(max), 'age_max'), 0);
});

test('a utilization gauge reads busy reports or an injected event-loop source', () => {
  const clock = new FakeClock();
  const reports = new UtilizationGauge({ name: 'util', help: '', clock, source: 'reports', windowSeconds: 10, slotSeconds: 1 });
  clock.advance(10_000);
  reports.reportBusy(2500);
  // 2.5 s busy over a window that covers 9-10 s (nine full slots plus the current partial one).
  const busy = value(render(reports), 'util');
  assert.ok(busy >= 25 && busy <= 2500 / 90, `got ${busy}`);
  let active = 0;
  let idle = 0;
  const loop = new UtilizationGauge({ name: 'loop', help: '', clock, eventLoop: () => ({ active, idle, utilization: 0 }) });
  active += 300;
  idle += 700;
  clock.advance(1000);
  assert.is(Math.round(value(render(loop), 'loop')), 30);
  const errors = collectErrors(loop);
  loop.reportBusy(5);
  assert.is(errors[0]?.code, 'invalid-value', 'busy reports make no sense for an event-loop gauge');
});

test('bad amounts are refused and counted, and the window keeps what it had', () => {
  const clock = new FakeClock();
  const rate = new RateGauge({ name: 'r', help: '', clock, windowSeconds: 10, slotSeconds: 1 });
  const errors = collectErrors(rate);
  rate.mark(5);
  rate.mark(-1);
  rate.mark(NaN);
  clock.advance(1000);
  assert.is(errors.length, 2);
  assert.is(rate.labels().window.count(), 5);
});

test('an invalid window is refused at definition, naming the option', () => {
  assert.throws(() => new RateGauge({ name: 'r', help: '', windowSeconds: 10, slotSeconds: 3 }), (e: unknown) => e instanceof MetricError && e.message.includes('whole multiple'));
  assert.throws(() => new RateGauge({ name: 'r', help: '', windowSeconds: -1 }), (e: unknown) => e instanceof MetricError && e.message.includes('windowSeconds'));
});

test.run();

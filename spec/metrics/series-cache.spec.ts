import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { formatValue } from '../../lib/exposition/numbers.js';
import { Counter } from '../../lib/metrics/counter.js';
import { Gauge } from '../../lib/metrics/gauge.js';
import { Histogram } from '../../lib/metrics/histogram.js';
import { render } from './render.js';

test('a gauge is re-rendered when its value changes, 0 to -0 and NaN to NaN included (its cache key is the value)', () => {
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['id'] });
  const other = gauge.labels('b');
  other.set(7);
  const values = [0, -0, -0, 0, NaN, NaN, 5, 5, Infinity, -Infinity, 0.1 + 0.2, -0, 1e21];
  for (const format of [PROMETHEUS, OPENMETRICS]) {
    for (const value of values) {
      gauge.labels('a').set(value);
      const lines = render(gauge, format).split('\n').filter((line) => line.startsWith('g{'));
      assert.equal(lines, [`g{id="b"} 7`, `g{id="a"} ${formatValue(value)}`], `after set(${Object.is(value, -0) ? '-0' : value})`);
    }
  }
  // An unlabelled gauge's reset() goes back to 0, also from -0.
  const single = new Gauge({ name: 's', help: '' });
  for (const value of [-0, 3]) {
    single.set(value);
    assert.ok(render(single, PROMETHEUS).endsWith(`s ${formatValue(value)}\n`));
    single.reset();
    assert.ok(render(single, PROMETHEUS).endsWith('s 0\n'), `reset after ${formatValue(value)}`);
  }
});

test('after any mix of records, adds, removes and resets, the cached output equals the model', () => {
  let seed = 4242;
  const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const gauge = new Gauge({ name: 'g', help: '', labelNames: ['id'] });
  const shadow = new Map<string, number>();
  for (let step = 0; step < 3000; step++) {
    const id = `s${random(60)}`;
    const op = random(20);
    if (op < 14) {
      const pick = random(12);
      const value = pick === 0 ? -0 : pick === 1 ? NaN : pick < 5 ? random(1000) / 8 : random(100);
      gauge.labels(id).set(value);
      shadow.set(id, value);
    } else if (op < 17) {
      gauge.labels(id);
      if (!shadow.has(id)) shadow.set(id, 0);
    } else if (op < 19) {
      gauge.remove(id);
      shadow.delete(id);
    } else if (random(10) === 0) {
      gauge.reset();
      shadow.clear();
    }
    if (random(4) === 0) {
      const expected = [...shadow].map(([key, value]) => `g{id="${key}"} ${formatValue(value)}\n`).join('');
      const format = random(2) === 0 ? OPENMETRICS : PROMETHEUS;
      const header = format === OPENMETRICS ? '# TYPE g gauge\n# HELP g \n' : '# HELP g \n# TYPE g gauge\n';
      assert.is(render(gauge, format), header + expected, `step ${step}`);
    }
  }
});

test('a change to one series among many re-renders that series alone, in each format', () => {
  const clock = new FakeClock(5_000);
  const counter = new Counter({ name: 'c', help: '', labelNames: ['id'], clock });
  const children = Array.from({ length: 500 }, (_, i) => counter.labels(String(i)));
  const before = { om: render(counter, OPENMETRICS), prom: render(counter, PROMETHEUS) };
  children[250]!.inc(7);
  const after = { om: render(counter, OPENMETRICS), prom: render(counter, PROMETHEUS) };
  assert.is(after.prom, before.prom.replace('c_total{id="250"} 0\n', 'c_total{id="250"} 7\n'));
  assert.is(after.om, before.om.replace('c_total{id="250"} 0\n', 'c_total{id="250"} 7\n'));
  children[0]!.inc();
  children[499]!.inc();
  assert.ok(render(counter, PROMETHEUS).startsWith('# HELP c_total \n# TYPE c_total counter\nc_total{id="0"} 1\n'));
  assert.ok(render(counter, PROMETHEUS).endsWith('c_total{id="499"} 1\n'));
});

/** A gauge that counts how many series it formats, to see what the cache spares. */
class CountingGauge extends Gauge {
  rendered = 0;
  protected override writeChild(...args: Parameters<Gauge['writeChild']>): void {
    this.rendered++;
    super.writeChild(...args);
  }
}

test('a scrape formats only the series recorded since the last one; an idle family formats none', () => {
  const gauge = new CountingGauge({ name: 'g', help: '', labelNames: ['id'] });
  const children = Array.from({ length: 300 }, (_, i) => gauge.labels(String(i)));
  render(gauge, PROMETHEUS);
  assert.is(gauge.rendered, 300, 'the first scrape formats everything');
  render(gauge, PROMETHEUS);
  assert.is(gauge.rendered, 300, 'nothing changed: nothing formatted');
  children[7]!.set(1);
  children[123]!.set(2);
  gauge.labels('new');
  render(gauge, PROMETHEUS);
  assert.is(gauge.rendered, 303, 'two changed series and one new one');
  render(gauge, OPENMETRICS);
  assert.is(gauge.rendered, 604, 'each format keeps its own cache');
  gauge.remove('0');
  render(gauge, PROMETHEUS);
  assert.is(gauge.rendered, 904, 'a removal shifts the series: everything is formatted again');
});

test('a reset unlabelled series is re-rendered with its new _created time', () => {
  const clock = new FakeClock(1_000);
  const histogram = new Histogram({ name: 'h', help: '', buckets: [1], clock });
  histogram.observe(0.5);
  assert.ok(render(histogram, OPENMETRICS).includes('h_created 1\n'));
  clock.advance(2_000);
  histogram.reset();
  const text = render(histogram, OPENMETRICS);
  assert.ok(text.includes('h_created 3\n') && text.includes('h_count 0\n'), text);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../lib/exposition/formats.js';
import { parse } from '../lib/exposition/parse/parser.js';
import { Gauge } from '../lib/metrics/gauge.js';
import { MetricError } from '../lib/metrics/errors.js';
import { Registry } from '../lib/registry.js';

const quiet = () => new Registry({ clock: new FakeClock(), onError: () => {} });

function refusesRegistration(what: string, build: (registry: Registry) => void, code: string): void {
  test(`registration refuses ${what}`, () => {
    const registry = quiet();
    try {
      build(registry);
    } catch (error: unknown) {
      assert.instance(error, MetricError);
      assert.is((error as MetricError).code, code);
      return;
    }
    assert.unreachable('accepted');
  });
}

refusesRegistration('a family name used twice', (r) => { r.gauge({ name: 'a', help: '' }); r.counter({ name: 'a', help: '' }); }, 'duplicate-family');
refusesRegistration('a gauge named like a counter\'s _created sample', (r) => { r.counter({ name: 'a', help: '' }); r.gauge({ name: 'a_created', help: '' }); }, 'name-clash');
refusesRegistration('a counter whose _total sample is an existing gauge', (r) => { r.gauge({ name: 'jobs_total', help: '' }); r.counter({ name: 'jobs', help: '' }); }, 'name-clash');
refusesRegistration('a histogram whose _bucket sample is taken', (r) => { r.gauge({ name: 'h_bucket', help: '' }); r.histogram({ name: 'h', help: '' }); }, 'name-clash');
refusesRegistration('a name the registry writes about itself', (r) => { r.counter({ name: 'omen_series_dropped_total', help: '' }); }, 'duplicate-family');

test('families are written in registration order, and unregister frees the name', async () => {
  const registry = quiet();
  registry.gauge({ name: 'b', help: '' });
  const a = registry.gauge({ name: 'a', help: '' });
  assert.equal(parse(await registry.scrape(OPENMETRICS)).map((f) => f.name), ['b', 'a']);
  assert.ok(registry.unregister(a));
  assert.not.ok(registry.unregister(a));
  registry.counter({ name: 'a', help: '' });
  assert.is(registry.get('a')?.type, 'counter');
});

test('a family built elsewhere can be registered, and takes the registry error sink', () => {
  const seen: MetricError[] = [];
  const registry = new Registry({ onError: (e) => seen.push(e) });
  const gauge = registry.register(new Gauge({ name: 'g', help: '', labelNames: ['a'] }));
  gauge.labels().set(1);
  assert.is(seen.length, 1);
});

test('collectors run at every scrape, sync or async, and may add families', async () => {
  const registry = quiet();
  const gauge = registry.gauge({ name: 'queue', help: '' });
  let depth = 0;
  registry.addCollector('queue', () => gauge.set(++depth));
  registry.addCollector('extra', async () => [{ name: 'extra', type: 'gauge', help: 'from a collector', samples: [{ name: 'extra', labels: [], value: depth * 10 }] }]);
  await registry.scrape();
  const text = (await registry.scrape(PROMETHEUS)).toString();
  assert.ok(text.includes('queue 2\n'));
  assert.ok(text.includes('# TYPE extra gauge\nextra 20\n'));
});

test('a failing collector is counted and reported while every other family is still written', async () => {
  const errors: MetricError[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e) });
  registry.gauge({ name: 'still_here', help: '' }).set(5);
  registry.addCollector('broken', () => {
    throw new Error('database unreachable');
  });
  registry.addCollector('rejected', async () => Promise.reject(new Error('timeout')));
  registry.addCollector('clashing', () => [{ name: 'still_here', type: 'gauge', samples: [] }]);
  const families = parse(await registry.scrape(OPENMETRICS));
  assert.ok(families.some((f) => f.name === 'still_here' && f.samples[0]!.value === 5));
  const failures = families.find((f) => f.name === 'omen_collector_errors')!;
  assert.equal(failures.samples.map((s) => [s.labels[0]![1], s.value]), [['broken', 1], ['rejected', 1], ['clashing', 1]]);
  assert.equal(errors.map((e) => e.message.includes('database unreachable') || e.message.includes('timeout') || e.code === 'name-clash'), [true, true, true]);
});

test('a collector that never answers fails after collectorTimeoutMs and the scrape still completes', async () => {
  const errors: MetricError[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e), collectorTimeoutMs: 20 });
  registry.gauge({ name: 'alive', help: '' }).set(1);
  registry.addCollector('stuck', () => new Promise(() => {}));
  const families = parse(await registry.scrape(OPENMETRICS));
  assert.ok(families.some((f) => f.name === 'alive'));
  assert.is(families.find((f) => f.name === 'omen_collector_errors')?.samples[0]?.value, 1);
  assert.match(errors[0]!.message, /stuck.*no answer within 20 ms/);
});

test('a collector returning families that cannot be written is refused, naming the problem', async () => {
  const errors: MetricError[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e) });
  registry.addCollector('bad-name', () => [{ name: 'has space', type: 'gauge', samples: [] }]);
  registry.addCollector('bad-sample', () => [{ name: 'ok', type: 'gauge', samples: [{ name: 'other', labels: [], value: 1 }] }]);
  registry.addCollector('bad-label', () => [{ name: 'ok2', type: 'gauge', samples: [{ name: 'ok2', labels: [['a-b', 'x']], value: 1 }] }]);
  const families = parse(await registry.scrape(OPENMETRICS));
  assert.equal(families.map((f) => f.name), ['omen_collector_errors']);
  assert.equal(errors.map((e) => e.code), ['invalid-name', 'invalid-name', 'invalid-label-name']);
});

test('a collector family whose values or series are invalid is refused by the strict check, not written', async () => {
  const errors: MetricError[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e) });
  registry.gauge({ name: 'kept', help: '' }).set(1);
  registry.addCollector('string-value', () => [{ name: 'a', type: 'gauge', samples: [{ name: 'a', labels: [], value: 'abc' as unknown as number }] }]);
  const twice = { name: 'b', labels: [['x', '1']] as [string, string][], value: 1 };
  registry.addCollector('same-series', () => [{ name: 'b', type: 'gauge', samples: [twice, twice] }]);
  registry.addCollector('negative-counter', () => [{ name: 'c', type: 'counter', samples: [{ name: 'c_total', labels: [], value: -1 }] }]);
  const families = parse(await registry.scrape(OPENMETRICS));
  assert.equal(families.map((f) => f.name), ['kept', 'omen_collector_errors']);
  assert.is(errors.length, 3);
  assert.match(errors[1]!.message, /"same-series".*not valid OpenMetrics/);
});

test('a collector still running from an earlier scrape is not started again', async () => {
  const registry = new Registry({ clock: new FakeClock(), onError: () => {}, collectorTimeoutMs: 5 });
  let started = 0;
  let finish = () => {};
  registry.addCollector('slow', () => {
    started++;
    return new Promise<void>((resolve) => (finish = resolve));
  });
  await registry.scrape();
  await registry.scrape();
  await registry.scrape();
  assert.is(started, 1);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  await registry.scrape();
  assert.is(started, 2, 'once it has finished, the next scrape starts it again');
});

test('overlapping scrapes share an async collector\'s run: each gets its families and no error is counted', async () => {
  const errors: Error[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e) });
  let started = 0;
  registry.addCollector('async', async () => {
    started++;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return [{ name: 'from_collector', type: 'gauge', help: '', samples: [{ name: 'from_collector', labels: [], value: 1 }] }];
  });
  const first = registry.scrape(OPENMETRICS);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = registry.scrape(OPENMETRICS);
  for (const bytes of await Promise.all([first, second])) {
    assert.equal(parse(bytes).map((f) => f.name), ['from_collector'], 'both scrapes carry the collector family');
  }
  assert.is(started, 1, 'one run, shared');
  assert.equal(errors, []);
});

test('four scrapes started in one tick all get a synchronous collector\'s families', async () => {
  const errors: Error[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (e) => errors.push(e) });
  registry.addCollector('sync', () => [{ name: 'sync_family', type: 'gauge', help: '', samples: [{ name: 'sync_family', labels: [], value: 2 }] }]);
  const all = await Promise.all([1, 2, 3, 4].map(() => registry.scrape(OPENMETRICS)));
  for (const bytes of all) assert.equal(parse(bytes).map((f) => f.name), ['sync_family']);
  assert.equal(errors, []);
});

test('a HELP text holding carriage returns is written so the parser reads it back, in both formats', async () => {
  const registry = quiet();
  const help = 'line one\r\nquote " backslash \\ ends in CR\r';
  registry.gauge({ name: 'cr_help', help }).set(1);
  registry.stateSet({ name: 'cr_state', help: 'states\r', states: ['a\rb'] }).setOnly('a\rb');
  const om = parse(await registry.scrape(OPENMETRICS));
  const prom = parse(await registry.scrape(PROMETHEUS), { format: 'prometheus' });
  for (const families of [om, prom]) {
    assert.is(families[0]?.help, help);
    assert.is(families[0]?.samples[0]?.value, 1);
  }
  assert.is(om[1]?.help, 'states\r');
  assert.equal(om[1]?.samples[0]?.labels, [['cr_state', 'a\rb']]);
});

test('concurrent scrapes each get a complete, independent exposition', async () => {
  const registry = quiet();
  const gauge = registry.gauge({ name: 'g', help: '', labelNames: ['i'] });
  for (let i = 0; i < 2000; i++) gauge.labels(String(i)).set(i);
  registry.addCollector('slow', () => new Promise((resolve) => setTimeout(resolve, 1)));
  const [a, b, c] = await Promise.all([registry.scrape(OPENMETRICS), registry.scrape(PROMETHEUS), registry.scrape(OPENMETRICS)]);
  assert.is(parse(a!)[0]!.samples.length, 2000);
  assert.is(parse(b!, { format: 'prometheus' })[0]!.samples.length, 2000);
  assert.ok(a!.equals(c!));
  a!.fill(0);
  assert.ok((await registry.scrape(OPENMETRICS)).equals(c!), 'a returned buffer is the caller\'s own');
});

test('a scrape longer than yieldEveryMs lets the event loop run between families', async () => {
  const ranDuringScrape = async (yieldEveryMs: number) => {
    const registry = new Registry({ clock: new FakeClock(), yieldEveryMs });
    for (let i = 0; i < 5; i++) registry.gauge({ name: `g${i}`, help: '' });
    let scraping = true;
    let ran = false;
    setImmediate(() => (ran = scraping));
    await registry.scrape();
    scraping = false;
    return ran;
  };
  assert.ok(await ranDuringScrape(0), 'yields when every family exceeds the budget');
  assert.not.ok(await ranDuringScrape(60_000), 'a scrape within budget runs in one stretch');
});

test('scrape() copies a large exposition in slices, letting the event loop run between them', async () => {
  const registry = new Registry({ clock: new FakeClock(), yieldEveryMs: 0 });
  const gauge = registry.gauge({ name: 'g', help: '', labelNames: ['path'], maxChildren: 40_000 });
  const padding = 'x'.repeat(80);
  for (let i = 0; i < 35_000; i++) gauge.labels(`/${padding}/${i}`).set(i + 0.5);
  let turns = 0;
  let scraping = true;
  const count = (): void => {
    if (!scraping) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  const copy = await registry.scrape();
  scraping = false;
  assert.ok(copy.length > 3 << 20, `the exposition is ${copy.length} bytes, meant to be over 3 MiB`);
  // With no budget, a turn before each 64 KiB slice of the copy (at least 48 here).
  assert.ok(turns >= Math.floor(copy.length / (64 * 1024)), `the loop ran ${turns} times during the scrape`);
  const lease = await registry.lease();
  assert.ok(lease.bytes.equals(copy), 'the sliced copy holds every byte');
  lease.release();
});

test('a lease lends the same bytes a scrape copies, stays intact until released, and is reused after', async () => {
  const registry = quiet();
  const gauge = registry.gauge({ name: 'g', help: '', labelNames: ['i'] });
  for (let i = 0; i < 100; i++) gauge.labels(String(i)).set(i);
  const copy = await registry.scrape(OPENMETRICS);
  const first = await registry.lease(OPENMETRICS);
  const second = await registry.lease(PROMETHEUS);
  assert.ok(first.bytes.equals(copy));
  assert.is.not(first.bytes.buffer, second.bytes.buffer, 'concurrent leases never share memory');
  gauge.labels('0').set(-1);
  const third = await registry.lease(OPENMETRICS);
  assert.ok(first.bytes.equals(copy), 'a held lease is not overwritten by later scrapes');
  first.release();
  first.release();
  const fourth = await registry.lease(OPENMETRICS);
  assert.is(fourth.bytes.buffer, first.bytes.buffer, 'a released buffer is reused');
  assert.ok(fourth.bytes.toString().includes('g{i="0"} -1\n'));
  for (const lease of [second, third, fourth]) lease.release();
});

test.run();

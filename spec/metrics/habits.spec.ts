// prom-client habits: startTimer on histograms and summaries, registry-wide default labels, typed label
// names (checked by the compiler: the @ts-expect-error lines fail the build if a wrong call compiles), and
// registry.get() by a counter's sample name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Counter } from '../../lib/metrics/counter.js';
import { Registry } from '../../lib/registry.js';

const busy = (ms: number): void => {
  for (const end = performance.now() + ms; performance.now() < end; );
};

test('histogram.startTimer(labels) observes the seconds until end(), merging the end labels', () => {
  const registry = new Registry();
  const latency = registry.histogram({ name: 'job_seconds', help: 'Jobs.', labelNames: ['queue', 'outcome'], buckets: [0.001, 1] });
  const end = latency.startTimer({ queue: 'mail' });
  busy(3);
  const seconds = end({ outcome: 'ok' });
  assert.ok(seconds >= 0.003 && seconds < 1, `${seconds}`);
  const child = latency.labels('mail', 'ok');
  assert.is(child.count, 1);
  assert.is(child.sum, seconds);
  assert.is(child.counts[0], 0, 'not in the 1 ms bucket');
});

test('an unlabelled summary times with startTimer() too', () => {
  const registry = new Registry();
  const duration = registry.summary({ name: 'render_seconds', help: 'Render.' });
  const end = duration.startTimer();
  busy(1);
  const seconds = end();
  assert.is(duration.labels().count, 1);
  assert.is(duration.labels().sum, seconds);
});

test('a timer missing a label reports the refused record and does not throw', () => {
  const errors: string[] = [];
  const registry = new Registry({ onError: (error) => errors.push(error.code) });
  const latency = registry.histogram({ name: 'req_seconds', help: 'Req.', labelNames: ['route'] });
  latency.startTimer()();
  assert.equal(errors, ['label-count']);
  assert.is(latency.rejectedRecords, 1);
});

test('default labels go first on every series, collectors and self metrics included, in both formats', async () => {
  const registry = new Registry({ clock: new FakeClock(), defaultLabels: { service: 'api', zone: 'b' }, onError: () => {} });
  registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['route'] }).labels('/').inc();
  registry.gauge({ name: 'up', help: 'Up.' }).set(1);
  registry.counter({ name: 'fails', help: 'Fails.' }).inc(-1); // refused: omen_records_rejected appears
  registry.addCollector('extra', () => [{ name: 'queue_depth', type: 'gauge', help: 'Depth.', samples: [{ name: 'queue_depth', labels: [], value: 3 }] }]);
  const text = (await registry.scrape(PROMETHEUS)).toString();
  assert.ok(text.includes('hits_total{service="api",zone="b",route="/"} 1\n'), text);
  assert.ok(text.includes('up{service="api",zone="b"} 1\n'), text);
  assert.ok(text.includes('queue_depth{service="api",zone="b"} 3\n'), text);
  assert.ok(text.includes('omen_records_rejected_total{service="api",zone="b",family="fails"} 1\n'), text);
  parse(text, { format: 'prometheus' });
  parse((await registry.scrape(OPENMETRICS)).toString(), { format: 'openmetrics' });
});

test('default labels are refused when invalid or when a family uses the same name', () => {
  assert.throws(() => new Registry({ defaultLabels: { 'bad-name': 'x' } }), /invalid label name "bad-name"/);
  assert.throws(() => new Registry({ defaultLabels: { n: 1 as unknown as string } }), /default label values must be strings/);
  const registry = new Registry({ defaultLabels: { service: 'api' } });
  assert.throws(() => registry.counter({ name: 'c', help: 'C.', labelNames: ['service'] }), /label name "service" appears twice/);
  const family = new Counter({ name: 'early', help: 'E.', labelNames: ['a'] });
  family.labels('x').inc();
  assert.throws(() => registry.register(family), /register the family before creating labelled series/);
});

test('typed label names check positional and named values at compile time; untyped string[] still compiles', () => {
  const errors: string[] = [];
  const registry = new Registry({ onError: (error) => errors.push(error.code) });
  const typed = registry.counter({ name: 'typed_total', help: 'T.', labelNames: ['route', 'code'] });
  typed.labels('/', '200').inc();
  typed.labels({ route: '/', code: 200 }).inc();
  // @ts-expect-error: one value for two names
  typed.labels('/');
  // @ts-expect-error: `path` is not a label name
  typed.labels({ path: '/', code: '200' });
  const names: string[] = ['a', 'b'];
  const untyped = registry.gauge({ name: 'untyped', help: 'U.', labelNames: names });
  untyped.labels('x', 'y').set(1);
  untyped.labels({ a: 'x', b: 'y' }).set(2);
  assert.is(typed.labels('/', '200').value, 2);
  assert.is(untyped.labels('x', 'y').value, 2);
  assert.equal(errors, ['label-count', 'label-count'], 'the calls the compiler refuses are refused at run time too');
});

test('registry.get finds a counter by its family name and by its _total sample name', () => {
  const registry = new Registry();
  const counter = registry.counter({ name: 'http_requests_total', help: 'Requests.' });
  const histogram = registry.histogram({ name: 'latency_seconds', help: 'Latency.' });
  assert.is(registry.get('http_requests'), counter);
  assert.is(registry.get('http_requests_total'), counter);
  assert.is(registry.get('latency_seconds_bucket'), histogram);
  assert.is(registry.get('nope'), undefined);
});

test.run();

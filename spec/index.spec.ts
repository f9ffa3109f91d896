import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as omen from '../lib/index.js';
import * as internals from '../lib/internals.js';

// The root export, value by value: adding or removing a name is a decision, made here. Types are not
// values; the pack spec type-checks a consumer against them. Keep it sorted.
const ROOT_VALUES = [
  'AverageGauge', 'Counter', 'DEFAULT_BUCKETS', 'FakeClock', 'Gauge', 'GaugeHistogram', 'Histogram', 'Info',
  'METRIC_TYPES', 'MaxGauge', 'MetricError', 'OPENMETRICS', 'PROMETHEUS', 'ParseError', 'RateGauge', 'RatioGauge',
  'Registry', 'StateSet', 'Summary', 'Unknown', 'UtilizationGauge', 'collectDefaultMetrics', 'exponentialBuckets',
  'linearBuckets', 'metricsHandler', 'negotiateFormat', 'parse', 'systemClock', 'writeModel',
  // beyond one process (cluster, Pushgateway) and the modern formats (OpenMetrics 2.0, protobuf, escaping)
  'ClusterRegistry', 'DEFAULT_CLUSTER_TIMEOUT_MS', 'DEFAULT_PUSH_TIMEOUT_MS', 'OPENMETRICS2', 'PROMETHEUS_TEXT_1',
  'PROTOBUF', 'PushError', 'clusterWorker', 'decodeProtobuf', 'encodeProtobuf', 'pushToGateway', 'withEscaping',
];

// omen/internals: the machinery metric types are built from, documented in lib/internals.ts.
const INTERNAL_VALUES = [
  'Child', 'CkmsStream', 'CoarseClock', 'DEFAULT_AGE_BUCKETS', 'DEFAULT_BUFFER_SIZE', 'DEFAULT_MAX_AGE_SECONDS',
  'DEFAULT_MAX_CHILDREN', 'DEFAULT_SLOT_MS', 'DEFAULT_TARGETS', 'DEFAULT_WINDOW_MS', 'EventLoopUtilizationWindow',
  'Family', 'MaxAvgWindow', 'RateWindow', 'RatioNumerator', 'RatioWindow', 'UtilizationWindow', 'WindowedQuantiles',
  'formatById', 'formatCanonical', 'formatValue', 'nodeEventLoop', 'validateTargets',
];

test('the root export is exactly the pinned list of values', () => {
  assert.equal(Object.keys(omen).sort(), [...ROOT_VALUES].sort());
  for (const name of ROOT_VALUES) assert.ok((omen as Record<string, unknown>)[name] !== undefined, `${name} is defined`);
});

test('omen/internals is exactly its pinned list, and shares nothing with the root', () => {
  assert.equal(Object.keys(internals).sort(), [...INTERNAL_VALUES].sort());
  for (const name of INTERNAL_VALUES) assert.not.ok(ROOT_VALUES.includes(name), `${name} is in one place only`);
});

test('package.json exports the root and omen/internals to import, require and types', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, Record<string, string>> };
  for (const [path, file] of [['.', 'index'], ['./internals', 'internals']] as const) {
    const entry = manifest.exports[path]!;
    assert.is(entry.types, `./dist/lib/${file}.d.ts`);
    for (const condition of ['import', 'require', 'default']) assert.is(entry[condition], `./dist/lib/${file}.js`, `${path} ${condition}`);
  }
});

test('the README example flow: record on bound children, negotiate, scrape, parse back', async () => {
  const registry = new omen.Registry({ clock: new omen.FakeClock() });
  const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: ['route', 'code'] });
  const latency = registry.summary({ name: 'http_request_duration_seconds', help: 'Latency.', unit: 'seconds', labelNames: ['route'] });
  const ok = requests.labels('/hello', '200');
  for (let i = 0; i < 10; i++) {
    ok.inc();
    latency.labels('/hello').observe(0.01 * (i + 1));
  }
  const format = omen.negotiateFormat('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2');
  assert.is(format, omen.OPENMETRICS);
  const families = omen.parse(await registry.scrape(format), { format: format.id });
  const counter = families.find((f) => f.name === 'http_requests')!;
  assert.equal(counter.samples[0]!.labels, [['route', '/hello'], ['code', '200']]);
  assert.is(counter.samples[0]!.value, 10);
  const summary = families.find((f) => f.name === 'http_request_duration_seconds')!;
  assert.is(summary.unit, 'seconds');
  assert.is(summary.samples.find((s) => s.name.endsWith('_count'))!.value, 10);
});

test('UTF-8 names: opt in on the registry, negotiate OpenMetrics 2.0, parse back the quoted names', async () => {
  const registry = new omen.Registry({ clock: new omen.FakeClock(), nameValidation: 'utf-8' });
  registry.counter({ name: 'http.server.requests', help: 'Requests.', labelNames: ['http.route'] }).labels('/a').inc(2);
  const format = omen.negotiateFormat('application/openmetrics-text;version=2.0.0;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5');
  assert.is(format, omen.OPENMETRICS2);
  const body = (await registry.scrape(format)).toString();
  assert.match(body, '{"http.server.requests_total","http.route"="/a"} 2 st@');
  const [family] = omen.parse(body, { format: format.id });
  assert.equal([family!.name, family!.samples[0]!.labels, family!.samples[0]!.value], ['http.server.requests', [['http.route', '/a']], 2]);
});

test('native histograms and the protobuf format: negotiate as Prometheus with native histograms, scrape, decode', async () => {
  const registry = new omen.Registry({ clock: new omen.FakeClock() });
  const latency = registry.histogram({ name: 'rpc_seconds', help: 'RPC latency.', native: true });
  latency.observe(0.25);
  const format = omen.negotiateFormat('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8');
  assert.is(format, omen.PROTOBUF);
  const [family] = omen.decodeProtobuf(await registry.scrape(format));
  const count = family!.samples.find((s) => s.name === 'rpc_seconds_count')!;
  assert.equal(count.native!.positiveCounts, [1]);
  assert.equal(omen.decodeProtobuf(omen.encodeProtobuf([family!])), [family]);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as omen from '../lib/index.js';

test('the public API names every metric type, the registry, the formats and the parser', () => {
  for (const name of ['Registry', 'Counter', 'Gauge', 'Histogram', 'Summary', 'GaugeHistogram', 'Info', 'StateSet', 'Unknown', 'RateGauge', 'RatioGauge', 'MaxGauge', 'AverageGauge', 'UtilizationGauge', 'CkmsStream', 'WindowedQuantiles', 'RateWindow', 'negotiateFormat', 'parse', 'ParseError', 'writeModel', 'OPENMETRICS', 'PROMETHEUS', 'FakeClock', 'MetricError', 'OPENMETRICS2', 'PROMETHEUS_TEXT_1', 'withEscaping', 'ClusterRegistry', 'clusterWorker', 'pushToGateway']) {
    assert.ok((omen as Record<string, unknown>)[name] !== undefined, `${name} is exported`);
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

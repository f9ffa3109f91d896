import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import type { InstrumentationOptions } from '../../lib/catalog/instrumentation.js';
import { grpcStatusOf } from '../../lib/catalog/grpc-status.js';
import { LATENCY_BUCKETS, RAW } from '../../lib/catalog/raw-names.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { value } from '../support/samples.js';

const HERE = 'aws_region="us-west-2",server_group_name="blue"';
const FS = 'feature_service_id="fs-1",feature_service_name="fraud"';
const FV = 'workspace="prod",feature_view_name="clicks",feature_view_id="fv-9"';
const VIEW = { workspace: 'prod', featureViewName: 'clicks', featureViewId: 'fv-9' };

function setup(options: Partial<InstrumentationOptions> = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new Registry({ clock });
  const raw = new Registry({ clock });
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', utilization: 'reports', raw, serverGroup: 'blue', ...options });
  return { clock, registry, raw, metrics, scrapeRaw: async () => (await raw.scrape()).toString() };
}

test('get-features records count calls by service, answers by HTTP status and gRPC code, and latency from 100 µs', async () => {
  const { metrics, scrapeRaw } = setup();
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', status: 200, latencySeconds: 0.0003 });
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', status: 200, latencySeconds: 0.002, rows: 10 });
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', status: 404, latencySeconds: 0.00005 });
  metrics.recordGetFeatures({ featureServiceId: 'unknown', featureServiceName: 'unknown', status: 401 }); // refused before serving: no latency
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', status: 503, region: 'eu-west-1', latencySeconds: 1 });
  const text = await scrapeRaw();
  assert.is(value(text, `${RAW.calls}_total{${HERE},${FS}}`), 12, 'a batch of 10 rows is 10 calls');
  assert.is(value(text, `${RAW.calls}_total{aws_region="eu-west-1",server_group_name="blue",${FS}}`), 1);
  assert.is(value(text, `${RAW.responses}_total{${HERE},status="200"}`), 2, 'answers are requests, not calls');
  assert.is(value(text, `${RAW.responses}_total{${HERE},status="404"}`), 1);
  assert.is(value(text, `${RAW.responses}_total{${HERE},status="401"}`), 1);
  assert.is(value(text, `${RAW.grpcResponses}_total{${HERE},grpc_code="0"}`), 2);
  assert.is(value(text, `${RAW.grpcResponses}_total{${HERE},grpc_code="5"}`), 1);
  assert.is(value(text, `${RAW.grpcResponses}_total{aws_region="eu-west-1",server_group_name="blue",grpc_code="14"}`), 1);
  assert.is(value(text, `${RAW.latency}_bucket{${HERE},${FS},le="0.0001"}`), 1, 'the 50 µs answer is in the first bucket');
  assert.is(value(text, `${RAW.latency}_bucket{${HERE},${FS},le="0.0005"}`), 2);
  assert.is(value(text, `${RAW.latency}_bucket{${HERE},${FS},le="+Inf"}`), 3);
  assert.is(value(text, `${RAW.latency}_count{${HERE},${FS}}`), 3);
  assert.not.ok(text.includes('unknown",le='), 'a request refused before serving has no latency');
  assert.not.ok(/instance=|job=/.test(text), 'the engine adds instance and job; the raw series never carry them');
  assert.is(LATENCY_BUCKETS[0], 0.0001);
});

test('busy time is a counter of seconds, from reports or from event-loop active time read at scrape', async () => {
  const reported = setup();
  reported.metrics.reportServerBusy(250);
  reported.metrics.reportServerBusy(1500);
  assert.is(value(await reported.scrapeRaw(), `${RAW.busy}_total{${HERE}}`), 1.75);

  let active = 1000;
  const loop = setup({ utilization: 'event-loop', eventLoop: () => ({ active, idle: 0 }) });
  active = 1400;
  assert.is(value(await loop.scrapeRaw(), `${RAW.busy}_total{${HERE}}`), 0.4);
  active = 1300; // a source that went back counts nothing, and the counter never decreases
  assert.is(value(await loop.scrapeRaw(), `${RAW.busy}_total{${HERE}}`), 0.4);
  active = 1900;
  assert.is(value(await loop.scrapeRaw(), `${RAW.busy}_total{${HERE}}`), 1.0);
});

test('ingest requests by status, latency and rows per feature view', async () => {
  const { metrics, scrapeRaw } = setup();
  metrics.recordIngest({ status: 200, latencySeconds: 0.004, rowsByFeatureView: [{ ...VIEW, onlineRows: 3, offlineRows: 2 }] });
  metrics.recordIngest({ status: 400, latencySeconds: 0.001 });
  metrics.recordIngest({ status: 413 });
  const text = await scrapeRaw();
  assert.is(value(text, `${RAW.ingestRequests}_total{${HERE},status="200"}`), 1);
  assert.is(value(text, `${RAW.ingestRequests}_total{${HERE},status="413"}`), 1);
  assert.is(value(text, `${RAW.ingestLatency}_count{${HERE}}`), 2);
  assert.is(value(text, `${RAW.ingestOnlineRows}_total{${HERE},${FV}}`), 3);
  assert.is(value(text, `${RAW.ingestOfflineRows}_total{${HERE},${FV}}`), 2);
});

test('a Spark micro-batch sets the event-age gauges and event times, and adds its reported rates and rows', async () => {
  const { metrics, scrapeRaw } = setup();
  const at = Date.parse('2024-05-01T12:00:10.000Z');
  metrics.recordStreamProgress({
    ...VIEW,
    timestamp: at,
    numInputRows: 5,
    inputRowsPerSecond: 50,
    processedRowsPerSecond: 80,
    rowsWritten: 5,
    eventTime: { min: at - 8000, avg: at - 4000, max: at - 1000 },
  });
  // An older batch arriving late leaves the newest event time where it was.
  metrics.recordStreamProgress({ ...VIEW, timestamp: at + 1000, numInputRows: 1, inputRowsPerSecond: 10, eventTime: { min: at - 20_000, avg: at - 20_000, max: at - 20_000 } });
  const text = await scrapeRaw();
  assert.is(value(text, `${RAW.sparkOldestAge}{${HERE},${FV}}`), 21, 'the last batch: processed at +1 s, oldest event at -20 s');
  assert.is(value(text, `${RAW.sparkNewestAge}{${HERE},${FV}}`), 21);
  assert.is(value(text, `${RAW.sparkNewestEventTime}{${HERE},${FV}}`), (at - 1000) / 1000);
  assert.is(value(text, `${RAW.sparkLastBatchTime}{${HERE},${FV}}`), (at + 1000) / 1000);
  assert.is(value(text, `${RAW.sparkAverageAge}_sum{${HERE},${FV}}`), 4 + 21);
  assert.is(value(text, `${RAW.sparkInputRate}_sum{${HERE},${FV}}`), 60);
  assert.is(value(text, `${RAW.sparkInputRate}_count{${HERE},${FV}}`), 2);
  assert.is(value(text, `${RAW.sparkProcessingRate}_count{${HERE},${FV}}`), 1);
  assert.is(value(text, `${RAW.sparkOnlineRows}_total{${HERE},${FV}}`), 5);
});

test('without a raw registry nothing raw is recorded; the server group defaults to "default" and must not be empty', async () => {
  const plain = instrumentCatalog(new Registry(), { region: 'us-west-2' });
  assert.is(plain.raw, undefined);
  plain.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', status: 200, latencySeconds: 0.001 });
  const raw = new Registry();
  instrumentCatalog(new Registry(), { region: 'us-west-2', raw }).recordGetFeatures({ featureServiceId: 'a', featureServiceName: 'b', status: 200 });
  assert.ok((await raw.scrape()).toString().includes('server_group_name="default"'));
  assert.throws(() => instrumentCatalog(new Registry(), { region: 'us-west-2', raw: new Registry(), serverGroup: '' }), /invalid serverGroup ""/);
});

test('no raw name is a catalog name', () => {
  const catalog = new Set<string>(CATALOG_0_7.metrics.map((metric) => metric.name));
  for (const name of Object.values(RAW)) assert.not.ok(catalog.has(name), name);
});

test('HTTP statuses map to the canonical gRPC codes', () => {
  // The numbers gRPC defines: OK 0, INVALID_ARGUMENT 3, UNAUTHENTICATED 16, PERMISSION_DENIED 7, NOT_FOUND 5,
  // RESOURCE_EXHAUSTED 8, INTERNAL 13, UNAVAILABLE 14, DEADLINE_EXCEEDED 4, UNKNOWN 2.
  const cases: [number, string][] = [[200, '0'], [204, '0'], [302, '0'], [400, '3'], [401, '16'], [403, '7'], [404, '5'], [413, '8'], [429, '8'], [500, '13'], [503, '14'], [504, '4'], [418, '2'], [599, '13']];
  for (const [status, code] of cases) assert.is(grpcStatusOf(status), code, String(status));
});

test.run();

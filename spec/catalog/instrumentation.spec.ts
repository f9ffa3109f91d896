import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { loadCatalog } from '../../lib/catalog/catalog.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import type { InstrumentationOptions } from '../../lib/catalog/instrumentation.js';
import type { MetricError } from '../../lib/metrics/errors.js';
import { sample, seriesOf, value } from './scrape-text.js';

const FS = 'feature_service_id="fs-1",feature_service_name="fraud"';
const FV = 'workspace="prod",feature_view_name="clicks",feature_view_id="fv-9"';
const VIEW = { workspace: 'prod', featureViewName: 'clicks', featureViewId: 'fv-9' };

function setup(options: Partial<InstrumentationOptions> = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const errors: MetricError[] = [];
  const registry = new Registry({ clock, onError: (error) => errors.push(error) });
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', utilization: 'reports', ...options });
  const scrape = async () => (await registry.scrape()).toString();
  return { clock, registry, metrics, scrape, errors };
}

/** A seeded PRNG (mulberry32), so random traffic is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('steady get-features traffic reads as its request rate, per region and per feature service', async () => {
  const { clock, metrics, scrape } = setup();
  for (let second = 0; second < 600; second++) {
    for (let i = 0; i < 8; i++) metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status: 200 });
    clock.advance(1000);
  }
  const text = await scrape();
  const total = value(text, 'feature_service_requests_total_rate{aws_region="us-west-2"}');
  const byService = value(text, `feature_service_requests_rate{aws_region="us-west-2",${FS}}`);
  assert.ok(Math.abs(total - 8) <= 8 * 0.02, `total ${total} ≈ 8/s`);
  assert.is(byService, total);
  assert.is(sample(text, 'feature_service_requests_total_rate{aws_region="us-west-2"}').timestamp, clock.wallMs());
});

test('a GetFeaturesBatch of N rows counts as N calls in the request rates', async () => {
  const { clock, metrics, scrape } = setup();
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.2, status: 200, rows: 50 });
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.1, status: 200 });
  clock.advance(300_000 - 1);
  const text = await scrape();
  assert.ok(Math.abs(value(text, 'feature_service_requests_total_rate{aws_region="us-west-2"}') * 300 - 51) < 0.01);
  assert.is(value(text, 'feature_service_total_latency_count'), 2, 'latency counts requests, not rows');
});

test('errors rate is the percent of all requests answered with each error status', async () => {
  const { metrics, scrape } = setup();
  const random = prng(7);
  const counts = new Map<number, number>();
  const statuses = [200, 200, 200, 200, 200, 404, 500, 503];
  for (let i = 0; i < 2000; i++) {
    const status = statuses[Math.floor(random() * statuses.length)]!;
    counts.set(status, (counts.get(status) ?? 0) + 1);
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status });
  }
  const text = await scrape();
  for (const status of [404, 500, 503]) {
    assert.ok(Math.abs(value(text, `feature_server_errors_rate{status="${status}"}`) - (100 * counts.get(status)!) / 2000) < 1e-9);
  }
  const series = seriesOf(text, 'feature_server_errors_rate').map((line) => line.split(' ')[0]);
  assert.equal(series.sort(), ['404', '500', '503'].map((s) => `feature_server_errors_rate{status="${s}"}`), 'successes are not a series');
});

test('latency summaries hold every request, overall and by feature service', async () => {
  const { metrics, scrape } = setup();
  const latencies = [0.005, 0.01, 0.02, 0.04, 0.08];
  for (const latencySeconds of latencies) {
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds, status: 200 });
  }
  const text = await scrape();
  const sum = latencies.reduce((a, b) => a + b, 0);
  assert.is(value(text, 'feature_service_total_latency_count'), 5);
  assert.ok(Math.abs(value(text, 'feature_service_total_latency_sum') - sum) < 1e-12);
  assert.is(value(text, `feature_service_latency_count{${FS}}`), 5);
  assert.is(value(text, `feature_service_latency{${FS},quantile="0.5"}`), 0.02);
});

test('ingest requests feed the request rate, latency, error classes and store write rates', async () => {
  const { clock, metrics, scrape } = setup();
  const rows = [{ ...VIEW, onlineRows: 30, offlineRows: 30 }];
  for (let i = 0; i < 10; i++) metrics.recordIngest({ latencySeconds: 0.05, status: 200, rowsByFeatureView: rows });
  metrics.recordIngest({ latencySeconds: 0.05, status: 429 });
  metrics.recordIngest({ latencySeconds: 0.05, status: 502 });
  metrics.recordIngest({ latencySeconds: 0.05, status: 503 });
  clock.advance(300_000 - 1);
  const text = await scrape();
  const perWindow = (series: string) => Math.round(value(text, series) * 300);
  assert.is(perWindow('stream_ingestapi_request_rate{aws_region="us-west-2"}'), 13);
  assert.is(perWindow('stream_ingestapi_request_processing_error_rate{aws_region="us-west-2",error_code="4xx"}'), 1);
  assert.is(perWindow('stream_ingestapi_request_processing_error_rate{aws_region="us-west-2",error_code="5xx"}'), 2);
  assert.is(perWindow(`stream_ingestapi_online_store_write_rate{${FV}}`), 300);
  assert.is(perWindow(`stream_ingestapi_offline_store_write_rate{${FV}}`), 300);
  assert.is(value(text, 'stream_ingestapi_request_processing_latency_count{aws_region="us-west-2"}'), 13);
});

test('Spark progress gives max and average event ages from the batch event times (ISO strings)', async () => {
  const { clock, metrics, scrape } = setup();
  const at = (msAgo: number) => new Date(clock.wallMs() - msAgo).toISOString();
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 100, eventTime: { min: at(90_000), avg: at(40_000), max: at(2_000), watermark: at(120_000) }, rowsWritten: 100 });
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 100, eventTime: { min: at(30_000), avg: at(20_000), max: at(1_000) }, rowsWritten: 100 });
  const text = await scrape();
  assert.is(value(text, `spark_stream_max_processed_event_age{${FV}}`), 90);
  assert.is(value(text, `spark_stream_average_processed_event_age{${FV}}`), 30);
});

test('served feature age counts from the newest event written and grows between scrapes', async () => {
  const { clock, metrics, scrape } = setup();
  const newest = clock.wallMs() - 5_000;
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 10, eventTime: { min: newest - 1000, avg: newest - 500, max: newest } });
  assert.is(value(await scrape(), `spark_stream_served_feature_age{${FV}}`), 5);
  clock.advance(60_000);
  assert.is(value(await scrape(), `spark_stream_served_feature_age{${FV}}`), 65);
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 10, eventTime: { max: newest - 100_000 } });
  assert.is(value(await scrape(), `spark_stream_served_feature_age{${FV}}`), 65, 'an older batch does not make features look fresher or staler');
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 0, eventTime: { max: clock.wallMs() } });
  assert.is(value(await scrape(), `spark_stream_served_feature_age{${FV}}`), 65, 'an empty batch wrote nothing');
});

test('event times later than the processing time read as age 0, not negative', async () => {
  const { clock, metrics, scrape } = setup();
  metrics.recordStreamProgress({ ...VIEW, eventTime: { min: clock.wallMs() + 3000, avg: clock.wallMs() + 4000, max: clock.wallMs() + 5000 } });
  const text = await scrape();
  assert.is(value(text, `spark_stream_max_processed_event_age{${FV}}`), 0);
  assert.is(value(text, `spark_stream_served_feature_age{${FV}}`), 0);
});

test('Spark input and processing rates average the per-batch rates Spark reports', async () => {
  const { clock, metrics, scrape } = setup();
  const batches = [
    { input: 120, processed: 900 },
    { input: 80, processed: 700 },
    { input: 100, processed: 800 },
  ];
  for (const batch of batches) {
    metrics.recordStreamProgress({ ...VIEW, numInputRows: batch.input * 10, inputRowsPerSecond: batch.input, processedRowsPerSecond: batch.processed, rowsWritten: batch.input * 10 });
    clock.advance(10_000);
  }
  const text = await scrape();
  assert.is(value(text, `spark_stream_input_rate{${FV}}`), 100);
  assert.is(value(text, `spark_stream_processing_rate{${FV}}`), 800);
  assert.ok(Math.abs(value(text, `spark_stream_online_store_write_rate{${FV}}`) - 3000 / 30) < 1e-9, 'rows written over the 30 s elapsed');
});

test('busy-time reports give the feature server utilization in percent', async () => {
  const { clock, metrics, scrape } = setup();
  for (let second = 0; second < 300; second++) {
    metrics.reportServerBusy(250);
    clock.advance(1000);
  }
  assert.ok(Math.abs(value(await scrape(), 'feature_server_utilization{aws_region="us-west-2"}') - 25) < 0.5);
});

test('event-loop utilization is the default source and reads the injected counters', async () => {
  let active = 0;
  let idle = 0;
  const { clock, scrape } = setup({ utilization: 'event-loop', eventLoop: () => ({ active, idle }) });
  active += 600;
  idle += 1400;
  clock.advance(2000);
  assert.is(value(await scrape(), 'feature_server_utilization{aws_region="us-west-2"}'), 30);
});

test('region-level series exist before any traffic, at 0', async () => {
  const text = await setup().scrape();
  assert.is(value(text, 'feature_service_requests_total_rate{aws_region="us-west-2"}'), 0);
  assert.is(value(text, 'stream_ingestapi_request_rate{aws_region="us-west-2"}'), 0);
  assert.is(value(text, 'feature_server_utilization{aws_region="us-west-2"}'), 0);
});

test('bad numbers are refused and reported, never thrown', async () => {
  const { metrics, scrape, errors } = setup();
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: Number.NaN, status: 200 });
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status: 200, rows: -3 });
  metrics.recordStreamProgress({ ...VIEW, eventTime: { min: 'not a time' } });
  assert.ok(errors.length >= 3, `${errors.length} errors reported`);
  assert.is(value(await scrape(), 'feature_service_total_latency_count'), 1);
});

test('a catalog without some metrics skips their records and feeds the rest', async () => {
  const data = JSON.parse(JSON.stringify(CATALOG_0_7)) as { metrics: { name: string }[] };
  data.metrics = data.metrics.filter((m) => !m.name.startsWith('spark_'));
  const { metrics, scrape } = setup({ catalog: loadCatalog(data) });
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 5, inputRowsPerSecond: 1, eventTime: { min: 0, avg: 0, max: 0 } });
  metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status: 200 });
  const text = await scrape();
  assert.not.ok(text.includes('spark_'));
  assert.is(value(text, 'feature_service_total_latency_count'), 1);
});

test('an empty region is refused at construction', () => {
  assert.throws(() => setup({ region: '' }), /invalid region "": pass the aws_region label/);
});

test.run();

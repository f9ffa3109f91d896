import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { loadCatalog } from '../../lib/catalog/catalog.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import type { InstrumentationOptions } from '../../lib/catalog/instrumentation.js';
import type { MetricError } from '../../lib/metrics/errors.js';
import { sample, seriesOf, value } from '../support/samples.js';
import { prng } from '../support/prng.js';

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
  const series = seriesOf(text, 'feature_server_errors_rate');
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

test('malformed records are refused, counted and reported, never thrown', async () => {
  const { clock, metrics, scrape, errors } = setup();
  const records: (() => void)[] = [
    () => metrics.recordGetFeatures(null as never),
    () => metrics.recordGetFeatures(undefined as never),
    () => metrics.recordIngest(null as never),
    () => metrics.recordIngest('503' as never),
    () => metrics.recordIngest({ latencySeconds: 0.01, status: 200, rowsByFeatureView: null as never }),
    () => metrics.recordIngest({ latencySeconds: 0.01, status: 200, rowsByFeatureView: {} as never }),
    () => metrics.recordIngest({ latencySeconds: 0.01, status: 200, rowsByFeatureView: [null as never, { ...VIEW, onlineRows: 300 }] }),
    () => metrics.recordStreamProgress(null as never),
    () => metrics.recordStreamProgress({ ...VIEW, eventTime: null as never, timestamp: {} as never }),
  ];
  for (const [i, record] of records.entries()) {
    const before = errors.length;
    try {
      record();
    } catch (error: unknown) {
      assert.unreachable(`record ${i} threw: ${(error as Error).message}`);
    }
    if (i !== 8) assert.is(errors.length, before + 1, `record ${i} reported once`);
  }
  assert.match(errors[0]!.message, /^feature_service_requests_total_rate: cannot recordGetFeatures null: a record must be an object/);
  assert.match(errors[4]!.message, /cannot recordIngest null: rowsByFeatureView must be an array/);
  assert.match(errors[6]!.message, /cannot recordIngest null: rowsByFeatureView\[0\] must be an object/);
  clock.advance(300_000 - 1);
  const text = await scrape();
  assert.is(Math.round(value(text, `stream_ingestapi_online_store_write_rate{${FV}}`) * 300), 300, 'the good view after the null one still counts');
  assert.is(Math.round(value(text, 'stream_ingestapi_request_rate{aws_region="us-west-2"}') * 300), 3, 'requests with bad rows still count as requests');
  assert.is(value(text, 'omen_records_rejected_total{family="feature_service_requests_total_rate"}'), 2);
});

test('negative Spark rates are refused; zero is a rate', async () => {
  const { metrics, scrape, errors } = setup();
  metrics.recordStreamProgress({ ...VIEW, inputRowsPerSecond: -1, processedRowsPerSecond: -1 });
  assert.is(errors.length, 2);
  assert.match(errors[1]!.message, /spark_stream_processing_rate: cannot record -1: processedRowsPerSecond must be >= 0 rows per second/);
  assert.equal(seriesOf(await scrape(), 'spark_stream_processing_rate'), [], 'nothing recorded');
  metrics.recordStreamProgress({ ...VIEW, inputRowsPerSecond: 0, processedRowsPerSecond: 0 });
  assert.is(value(await scrape(), `spark_stream_processing_rate{${FV}}`), 0);
  assert.is(errors.length, 2);
});

test('an ingest request refused before it was served counts as a request and an error, not as a latency', async () => {
  const { clock, metrics, scrape, errors } = setup();
  metrics.recordIngest({ status: 401 });
  metrics.recordIngest({ status: 413 });
  metrics.recordIngest({ latencySeconds: 0.05, status: 200 });
  clock.advance(300_000 - 1);
  const text = await scrape();
  assert.is(Math.round(value(text, 'stream_ingestapi_request_rate{aws_region="us-west-2"}') * 300), 3);
  assert.is(Math.round(value(text, 'stream_ingestapi_request_processing_error_rate{aws_region="us-west-2",error_code="4xx"}') * 300), 2);
  assert.is(value(text, 'stream_ingestapi_request_processing_latency_count{aws_region="us-west-2"}'), 1);
  assert.equal(errors, [], 'an omitted latency is not a bad one');
});

test('records for other regions, services and views land in their own series', async () => {
  const { clock, metrics, scrape } = setup();
  const mix = [
    { region: undefined, id: 'fs-1', name: 'fraud', n: 3 },
    { region: 'us-west-2', id: 'fs-1', name: 'fraud', n: 2 },
    { region: 'eu-west-1', id: 'fs-1', name: 'fraud', n: 4 },
    { region: undefined, id: 'fs-2', name: 'fraud', n: 5 },
    { region: undefined, id: 'fs-1', name: 'renamed', n: 6 },
  ];
  for (const { region, id, name, n } of mix) {
    for (let i = 0; i < n; i++) metrics.recordGetFeatures({ featureServiceId: id, featureServiceName: name, latencySeconds: 0.01, status: i === 0 ? 503 : 200, ...(region === undefined ? {} : { region }) });
  }
  for (const [view, rows] of [[VIEW, 7], [{ ...VIEW, featureViewId: 'fv-10' }, 11]] as const) metrics.recordIngest({ status: 200, rowsByFeatureView: [{ ...view, onlineRows: rows }] });
  metrics.recordIngest({ region: 'eu-west-1', status: 502 });
  clock.advance(300_000 - 1);
  const text = await scrape();
  const count = (series: string) => Math.round(value(text, series) * 300);
  assert.is(count('feature_service_requests_total_rate{aws_region="us-west-2"}'), 16);
  assert.is(count('feature_service_requests_total_rate{aws_region="eu-west-1"}'), 4);
  assert.is(count(`feature_service_requests_rate{aws_region="us-west-2",${FS}}`), 5);
  assert.is(count('feature_service_requests_rate{aws_region="eu-west-1",feature_service_id="fs-1",feature_service_name="fraud"}'), 4);
  assert.is(count('feature_service_requests_rate{aws_region="us-west-2",feature_service_id="fs-2",feature_service_name="fraud"}'), 5);
  assert.is(count('feature_service_requests_rate{aws_region="us-west-2",feature_service_id="fs-1",feature_service_name="renamed"}'), 6);
  assert.is(value(text, `feature_service_latency_count{${FS}}`), 9, 'latency by service has no region label');
  assert.ok(Math.abs(value(text, 'feature_server_errors_rate{status="503"}') - (100 * 5) / 20) < 1e-9);
  assert.is(count(`stream_ingestapi_online_store_write_rate{${FV}}`), 7);
  assert.is(count('stream_ingestapi_online_store_write_rate{workspace="prod",feature_view_name="clicks",feature_view_id="fv-10"}'), 11);
  assert.is(count('stream_ingestapi_request_processing_error_rate{aws_region="eu-west-1",error_code="5xx"}'), 1);
});

test('a refused label value is reported at every record, not remembered', () => {
  const { metrics, errors } = setup();
  const record = { featureServiceId: undefined as unknown as string, featureServiceName: 'fraud', latencySeconds: 0.01, status: 200 };
  metrics.recordGetFeatures(record);
  const once = errors.length;
  assert.ok(once > 0);
  metrics.recordGetFeatures(record);
  assert.is(errors.length, 2 * once);
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

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { InstrumentationOptions } from '../../lib/catalog/instrumentation.js';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { catalogVersion } from '../../lib/catalog/versions.js';
import { grpcCodeForHttp } from '../../lib/catalog/grpc-status.js';
import { seriesOf, value } from '../support/samples.js';

const FS = 'feature_service_id="fs-1",feature_service_name="fraud"';
const VIEW = { workspace: 'prod', featureViewName: 'clicks', featureViewId: 'fv-9' };
const FV = 'workspace="prod",feature_view_name="clicks",feature_view_id="fv-9"';
const REGION = '{aws_region="us-west-2"}';

function setup(options: Partial<InstrumentationOptions> = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new Registry({ clock, onError: () => {} });
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', utilization: 'reports', catalog: catalogVersion('1.1'), ...options });
  const scrape = async () => (await registry.scrape()).toString();
  return { clock, registry, metrics, scrape };
}

const get = (status: number, extra: object = {}) => ({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status, ...extra });

test('per-server-group rates count the calls of this server group, labelled with serverGroup', async () => {
  const { clock, metrics, scrape } = setup({ serverGroup: 'blue' });
  for (let second = 0; second < 300; second++) {
    for (let i = 0; i < 4; i++) metrics.recordGetFeatures(get(200));
    metrics.recordGetFeatures(get(200, { rows: 6 }));
    clock.advance(1000);
  }
  const text = await scrape();
  const total = value(text, 'feature_service_requests_total_rate{aws_region="us-west-2"}');
  assert.ok(Math.abs(total - 10) < 0.2, `total ${total} ≈ 10 calls/s`);
  assert.is(value(text, 'feature_service_requests_total_rate_per_server_group{aws_region="us-west-2",server_group_name="blue"}'), total);
  assert.is(value(text, `feature_service_requests_rate_per_server_group{aws_region="us-west-2",server_group_name="blue",${FS}}`), total);
});

test('the server group defaults to "default" and records for another region land in their own series', async () => {
  const { metrics, scrape } = setup();
  metrics.recordGetFeatures(get(200, { region: 'eu-central-1' }));
  const text = await scrape();
  assert.is(value(text, 'feature_service_requests_total_rate_per_server_group{aws_region="us-west-2",server_group_name="default"}'), 0, 'exists at 0 before traffic');
  assert.ok(value(text, 'feature_service_requests_total_rate_per_server_group{aws_region="eu-central-1",server_group_name="default"}') > 0);
  assert.ok(value(text, `feature_service_requests_rate_per_server_group{aws_region="eu-central-1",server_group_name="default",${FS}}`) > 0);
});

test('HTTP statuses map to the gRPC codes the error body carries', () => {
  const cases: [number, number][] = [[200, 0], [204, 0], [400, 3], [401, 16], [403, 7], [404, 5], [413, 8], [429, 8], [418, 2], [500, 13], [503, 14], [599, 13]];
  for (const [status, code] of cases) assert.is(grpcCodeForHttp(status), code, String(status));
});

test('gRPC errors rate is the percent of all requests answered with each non-OK code', async () => {
  const { metrics, scrape } = setup();
  for (let i = 0; i < 90; i++) metrics.recordGetFeatures(get(200));
  for (let i = 0; i < 6; i++) metrics.recordGetFeatures(get(404));
  for (let i = 0; i < 3; i++) metrics.recordGetFeatures(get(400));
  metrics.recordGetFeatures(get(503, { grpcCode: 4 })); // a transport that knows its code (DEADLINE_EXCEEDED)
  const text = await scrape();
  assert.is(value(text, 'feature_server_errors_rate_grpc{status="5"}'), 6);
  assert.is(value(text, 'feature_server_errors_rate_grpc{status="3"}'), 3);
  assert.is(value(text, 'feature_server_errors_rate_grpc{status="4"}'), 1);
  assert.equal(seriesOf(text, 'feature_server_errors_rate_grpc').length, 3, 'OK and the unused 14 have no series');
  assert.is(value(text, 'feature_server_errors_rate{status="503"}'), 1, 'the HTTP errors rate still says 503');
});

test('one process is a fleet of one: its maximum, average and minimum utilization are the same reports', async () => {
  const { clock, metrics, scrape } = setup();
  for (let second = 0; second < 300; second++) {
    metrics.reportServerBusy(second % 2 === 0 ? 400 : 100);
    clock.advance(1000);
  }
  const text = await scrape();
  const max = value(text, `feature_server_utilization${REGION}`);
  assert.ok(Math.abs(max - 25) < 0.5, `utilization ${max} ≈ 25`);
  assert.is(value(text, `feature_server_average_utilization${REGION}`), max);
  assert.is(value(text, `feature_server_minimum_utilization${REGION}`), max);
});

test('busy time reported for another region feeds that region\'s three utilizations alike', async () => {
  const { clock, metrics, scrape } = setup();
  for (let second = 0; second < 10; second++) {
    metrics.reportServerBusy(300, 'eu-central-1');
    clock.advance(1000);
  }
  const text = await scrape();
  const max = value(text, 'feature_server_utilization{aws_region="eu-central-1"}');
  assert.ok(max > 20 && max <= 30, `utilization ${max}`);
  assert.is(value(text, 'feature_server_average_utilization{aws_region="eu-central-1"}'), max);
  assert.is(value(text, 'feature_server_minimum_utilization{aws_region="eu-central-1"}'), max);
  assert.is(value(text, `feature_server_minimum_utilization${REGION}`), 0, 'this region is idle');
});

test('measured from the event loop, the three utilizations read one sample per scrape and agree exactly', async () => {
  let active = 0;
  let idle = 0;
  let reads = 0;
  // Like the real counters, every reading has moved on a little since the one before.
  const eventLoop = () => ({ active: (active += 0.25 * ++reads), idle: (idle += 0.5) });
  const { clock, scrape } = setup({ utilization: 'event-loop', eventLoop });
  for (let step = 1; step <= 40; step++) {
    active += 37 * step;
    idle += 1000 - 37 * (step % 20);
    clock.advance(7_300);
    const text = await scrape();
    const max = value(text, `feature_server_utilization${REGION}`);
    assert.ok(max > 0 && max < 100, `utilization ${max}`);
    assert.is(value(text, `feature_server_average_utilization${REGION}`), max, `average at step ${step}`);
    assert.is(value(text, `feature_server_minimum_utilization${REGION}`), max, `minimum at step ${step}`);
  }
});

test('the minimum event age is the newest event of each batch, the smallest over the window', async () => {
  const { clock, metrics, scrape } = setup();
  const at = clock.wallMs();
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 3, timestamp: new Date(at).toISOString(), eventTime: { min: new Date(at - 9000).toISOString(), avg: new Date(at - 6000).toISOString(), max: new Date(at - 4000).toISOString() } });
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 3, timestamp: at, eventTime: { min: at - 5000, avg: at - 3000, max: at - 1500 } });
  let text = await scrape();
  assert.is(value(text, `spark_stream_min_processed_event_age{${FV}}`), 1.5);
  assert.is(value(text, `spark_stream_max_processed_event_age{${FV}}`), 9);
  clock.advance(301_000);
  text = await scrape();
  assert.is(value(text, `spark_stream_min_processed_event_age{${FV}}`), 0, 'both batches left the window');
});

test('only the metrics the selected catalog lists are registered and written', async () => {
  const { registry, metrics, scrape } = setup({ catalog: catalogVersion('0.7') });
  metrics.recordGetFeatures(get(404));
  metrics.reportServerBusy(10);
  metrics.recordStreamProgress({ ...VIEW, numInputRows: 1, eventTime: { min: 0, avg: 0, max: 0 } });
  const text = await scrape();
  for (const name of ['feature_server_errors_rate_grpc', 'feature_server_average_utilization', 'feature_server_minimum_utilization', 'feature_service_requests_total_rate_per_server_group', 'feature_service_requests_rate_per_server_group', 'spark_stream_min_processed_event_age']) {
    assert.is(registry.get(name), undefined, name);
    assert.not.ok(text.includes(name), `${name} is not written`);
  }
  assert.ok(text.includes('feature_server_errors_rate{status="404"}'));
});

test('an empty or non-string serverGroup is refused at construction, naming it', () => {
  assert.throws(() => setup({ serverGroup: '' }), /invalid serverGroup "": pass the server_group_name label/);
  assert.throws(() => setup({ serverGroup: 7 as unknown as string }), /invalid serverGroup 7/);
});

test.run();

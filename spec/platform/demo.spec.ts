import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FamilyModel } from '../../lib/exposition/model.js';
import type { Rig } from './harness.js';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { DEMO_KEY_FILE, demoAccount } from '../../lib/platform/demo-account.js';
import { createDemo } from '../../lib/platform/demo.js';
import { readOfflineRows } from '../../lib/platform/offline-store.js';
import { SHORT_CATALOG, samples, startRig, valueOf, waitFor } from './harness.js';
import { near } from '../support/near.js';

const FAST = { getFeaturesPerSecond: 100, ingestPerSecond: 10, invalidIngestEvery: 5, streamEventsPerSecond: 80, notFoundEvery: 20, malformedEvery: 30 };
const TRIGGER_MS = 250;

/** GETs the metrics endpoint as Prometheus would, with `apiKey`, and parses it. */
async function scrapeOverHttp(rig: Rig, apiKey: string): Promise<FamilyModel[]> {
  const answer = await rig.get(METRICS_PATH, { Authorization: `Tecton-key ${apiKey}`, Accept: 'application/openmetrics-text; version=1.0.0' });
  assert.is(answer.status, 200, answer.text);
  return parse(answer.text);
}


test('the demo moves all 17 catalog metrics with values measured from its own traffic', async () => {
  const rig = await startRig({ catalog: SHORT_CATALOG, utilization: 'reports' });
  try {
    const run = await createDemo({ triggerMs: TRIGGER_MS, traffic: FAST })(rig.context);
    const started = performance.now();
    const traffic = run.platform.traffic!;
    // 5.5 s of traffic fills the 4 s windows, so every rate reads over a full window.
    await waitFor('5.5 s of get-features traffic', () => traffic.getFeatures.calls >= 550, 15_000);
    const families = await scrapeOverHttp(rig, run.account.apiKey);
    const scrapedAt = Date.now();
    const seconds = (performance.now() - started) / 1000;

    for (const metric of CATALOG_0_7.metrics) {
      const family = families.find((candidate) => candidate.name === metric.name);
      assert.ok(family, `${metric.name} is missing`);
      assert.is(family!.type, metric.type, metric.name);
      assert.ok(family!.samples.length > 0, `${metric.name} has no samples`);
      for (const sample of family!.samples) {
        const names = sample.labels.map(([name]) => name).filter((name) => name !== 'quantile');
        assert.equal(names, [...metric.labels], `${sample.name} labels`);
        assert.ok(Number.isFinite(sample.value) && sample.value >= 0, `${sample.name} = ${sample.value}`);
      }
    }

    const region = { aws_region: 'us-west-2' };
    const sentCallRate = traffic.getFeatures.calls / seconds;
    const total = valueOf(families, 'feature_service_requests_total_rate', region);
    near(total, sentCallRate, 'feature_service_requests_total_rate against the calls the generator sent', 0.2);
    let byService = 0;
    for (const service of run.platform.workspace.services.values()) {
      const rate = valueOf(families, 'feature_service_requests_rate', { feature_service_name: service.name, feature_service_id: service.id });
      assert.ok(rate > 0, `${service.name} rate`);
      byService += rate;
    }
    byService += valueOf(families, 'feature_service_requests_rate', { feature_service_name: 'unknown' });
    // Each series' window started at its first request, so their slots cut the traffic at different times:
    // a batch (5 calls at once) on one side of a boundary moves one series by up to 5 calls per window.
    near(byService, total, 'per-service rates add up to the total', 0.05);

    const p50 = valueOf(families, 'feature_service_total_latency', { quantile: '0.5' });
    const p99 = valueOf(families, 'feature_service_total_latency', { quantile: '0.99' });
    assert.ok(p50 > 0 && p99 >= p50 && p99 < 1, `get-features latency p50=${p50} p99=${p99}`);
    for (const service of ['fvfs_1', 'fvfs_2', 'fvfs_3']) {
      assert.ok(valueOf(families, 'feature_service_latency', { feature_service_name: service, quantile: '0.5' }) > 0, `${service} latency`);
    }

    // The errors rate is a share of HTTP requests; compare with the share of answers the generator saw.
    for (const status of [404, 400]) {
      const share = (100 * (traffic.getFeatures.byStatus[status] ?? 0)) / traffic.getFeatures.requests;
      const reported = valueOf(families, 'feature_server_errors_rate', { status: String(status) });
      assert.ok(reported > 0 && reported > share / 2 && reported < share * 2, `errors rate ${status}: ${reported}% vs ${share}% answered`);
    }
    const utilization = valueOf(families, 'feature_server_utilization', region);
    assert.ok(utilization > 0 && utilization <= 100, `utilization ${utilization}`);

    const eventRate = traffic.streamEvents / seconds;
    for (const view of run.platform.workspace.stream.featureViews) {
      const labels = { feature_view_name: view.name, feature_view_id: view.id, workspace: 'prod' };
      const maxAge = valueOf(families, 'spark_stream_max_processed_event_age', labels);
      const avgAge = valueOf(families, 'spark_stream_average_processed_event_age', labels);
      // Events wait at most one trigger interval (plus scheduling delay) before their batch runs.
      assert.ok(avgAge > 0 && maxAge >= avgAge && maxAge < 2, `${view.name} ages avg=${avgAge} max=${maxAge}`);
      const input = valueOf(families, 'spark_stream_input_rate', labels);
      near(input, eventRate, `${view.name} input rate against the events produced`, 0.25);
      // Spark's processing rate, per batch: numInputRows over the batch's whole-ms duration, at least 1 ms. The
      // gauge averages the reports of its 4 s window (and the slot in progress), so it lies within the range of
      // the reports of the last 6 s: a superset, which can only widen the range.
      const recent = run.platform.processor.recentProgress(view).filter((report) => Date.parse(report.timestamp) >= scrapedAt - 6_000);
      assert.ok(recent.length >= 16, `${recent.length} reports in the last 6 s of ${TRIGGER_MS} ms triggers`);
      const formula = recent.map((report) => (report.numInputRows * 1000) / Math.max(1, report.durationMs!.triggerExecution!));
      recent.forEach((report, i) => assert.is(report.processedRowsPerSecond, formula[i], `${view.name} batch ${report.batchId} reports Spark's formula`));
      const processing = valueOf(families, 'spark_stream_processing_rate', labels);
      assert.ok(processing >= Math.min(...formula) && processing <= Math.max(...formula), `${view.name} processing rate ${processing} outside the reports' [${Math.min(...formula)}, ${Math.max(...formula)}]`);
      const served = valueOf(families, 'spark_stream_served_feature_age', labels);
      assert.ok(served > 0 && served < 2, `${view.name} served age ${served}`);
      assert.ok(valueOf(families, 'spark_stream_online_store_write_rate', labels) > 0, `${view.name} writes`);
    }

    near(valueOf(families, 'stream_ingestapi_request_rate', region), traffic.ingest.requests / seconds, 'ingest request rate', 0.2);
    assert.ok(valueOf(families, 'stream_ingestapi_request_processing_latency', { quantile: '0.5' }) > 0, 'ingest latency');
    const invalidRate = (traffic.ingest.byStatus[400] ?? 0) / seconds;
    const errorRate = valueOf(families, 'stream_ingestapi_request_processing_error_rate', { error_code: '4xx' });
    assert.ok(errorRate > invalidRate / 2 && errorRate < invalidRate * 2, `ingest 4xx rate ${errorRate} vs ${invalidRate} sent`);
    let online = 0;
    let offline = 0;
    for (const source of run.platform.workspace.pushSources.values()) {
      const labels = { feature_view_name: source.featureViews[0]!.name };
      online += valueOf(families, 'stream_ingestapi_online_store_write_rate', labels);
      offline += valueOf(families, 'stream_ingestapi_offline_store_write_rate', labels);
    }
    near(offline, traffic.ingest.okCalls / seconds, 'offline write rate against the records acknowledged', 0.2);
    near(online, offline, 'every ingested row reaches both stores', 0.01);
    assert.is(samples(families, 'stream_ingestapi_request_processing_error_rate', { error_code: '5xx' }).length, 0, 'no 5xx');

    await run.stop();
    assert.is(traffic.inFlight, 0, 'stop() waited for the answers in flight');
    const { rows, tornBytes } = await readOfflineRows(run.platform.offline.path);
    assert.is(tornBytes, 0);
    assert.is(rows.length, traffic.ingest.okCalls, 'every acknowledged record is in the offline store');
    assert.ok(rig.lines.some((line) => line.includes(`curl -H "Authorization: Tecton-key ${run.account.apiKey}" ${run.platform.url}`)), 'banner has a curl');
    assert.ok(
      rig.lines.includes(`omen demo: traffic: 100 get-features calls/s, 10 ingest requests/s, 80 stream events/s in 0.25 s micro-batches; Ctrl-C stops it`),
      'banner states the rates the generator runs at',
    );
  } finally {
    await rig.stop();
  }
});

test('a later run reuses the demo account from its 0600 key file and still prints a working curl', async () => {
  const first = await startRig();
  let second: Rig | undefined;
  try {
    const one = await createDemo({ traffic: false })(first.context);
    await one.stop();
    assert.ok(one.account.created);
    assert.is(statSync(one.account.keyFile).mode & 0o777, 0o600);
    await first.server.close(1000);

    second = await startRig({ dataDir: first.dataDir });
    const two = await createDemo({ traffic: false })(second.context);
    await two.stop();
    assert.not.ok(two.account.created);
    assert.is(two.account.apiKey, one.account.apiKey);
    assert.is((await second.store.list()).filter((account) => account.name === 'demo').length, 1, 'no second demo account');
    const curl = second.lines.find((line) => line.includes('curl -H'))!;
    const key = /Tecton-key (\S+)"/.exec(curl)![1]!;
    assert.is((await second.get(METRICS_PATH, { Authorization: `Tecton-key ${key}` })).status, 200, 'the printed key works');
  } finally {
    await second?.stop();
    await first.stop();
  }
});

test('a key file whose account was deleted is replaced by a new account, and the run says why', async () => {
  const first = await startRig();
  let second: Rig | undefined;
  try {
    const one = await createDemo({ traffic: false })(first.context);
    await one.stop();
    await first.server.close(1000);
    await first.store.delete(one.account.id);

    second = await startRig({ dataDir: first.dataDir });
    const two = await createDemo({ traffic: false })(second.context);
    await two.stop();
    assert.ok(two.account.created);
    assert.is.not(two.account.id, one.account.id);
    assert.match(two.account.replaced ?? '', /no longer in/);
    assert.ok(second.lines.some((line) => line.includes(`the old key file ${two.account.keyFile} was not usable`)), 'the banner says why');
    const saved = JSON.parse(readFileSync(join(first.dataDir, DEMO_KEY_FILE), 'utf8')) as { accountId: string };
    assert.is(saved.accountId, two.account.id, 'the key file names the new account');
    assert.is((await second.get(METRICS_PATH, { Authorization: `Tecton-key ${two.account.apiKey}` })).status, 200);
  } finally {
    await second?.stop();
    await first.stop();
  }
});

test('a key file that is not the demo\'s JSON is replaced, and world-readable key files are made private again', async () => {
  const rig = await startRig();
  try {
    writeFileSync(join(rig.dataDir, DEMO_KEY_FILE), 'not json');
    const run = await createDemo({ traffic: false })(rig.context);
    await run.stop();
    assert.ok(run.account.created);
    assert.is(run.account.replaced, 'it is not {"accountId": ..., "apiKey": ...}');
    chmodSync(run.account.keyFile, 0o644);
    const again = await demoAccount(rig.store);
    assert.not.ok(again.created);
    assert.is(statSync(again.keyFile).mode & 0o777, 0o600);
  } finally {
    await rig.stop();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FamilyModel } from '../../lib/exposition/model.js';
import { loadCatalog } from '../../lib/catalog/catalog.js';
import { CATALOGS } from '../../lib/catalog/versions.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { createDemo } from '../../lib/platform/demo.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { samples, startRig, valueOf, waitFor } from './harness.js';

const FAST = { getFeaturesPerSecond: 100, ingestPerSecond: 10, invalidIngestEvery: 5, streamEventsPerSecond: 80, notFoundEvery: 20, malformedEvery: 30 };
const REGION = { aws_region: 'us-west-2' };

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= expected * tolerance, `${what}: ${actual} is not within ${tolerance * 100}% of ${expected}`);

for (const version of ['0.9', '1.1'] as const) {
  test(`with catalog ${version}, the demo moves every metric of that version, each with exactly its labels`, async () => {
    const catalog = loadCatalog({ ...CATALOGS[version], windowSeconds: 4, slotSeconds: 1 });
    const rig = await startRig({ catalog, utilization: 'reports' });
    try {
      const run = await createDemo({ triggerMs: 250, traffic: FAST })(rig.context);
      const traffic = run.platform.traffic!;
      // 5.5 s of traffic fills the 4 s windows, so series that started at their first request read over a full window.
      await waitFor('5.5 s of get-features traffic', () => traffic.getFeatures.calls >= 550, 15_000);
      const answer = await rig.get(METRICS_PATH, { Authorization: `Tecton-key ${run.account.apiKey}`, Accept: 'application/openmetrics-text; version=1.0.0' });
      assert.is(answer.status, 200, answer.text);
      const families: FamilyModel[] = parse(answer.text);
      assert.equal(families.map((f) => f.name).filter((name) => !name.startsWith('omen_')), catalog.metrics.map((m) => m.name), 'every metric, in catalog order');
      for (const metric of catalog.metrics) {
        const family = families.find((candidate) => candidate.name === metric.name)!;
        assert.is(family.type, metric.type, metric.name);
        assert.ok(family.samples.length > 0, `${metric.name} has no samples`);
        for (const sample of family.samples) {
          assert.equal(sample.labels.map(([name]) => name).filter((name) => name !== 'quantile'), [...metric.labels], `${sample.name} labels`);
          assert.ok(Number.isFinite(sample.value) && sample.value >= 0, `${sample.name} = ${sample.value}`);
        }
      }

      // Errors by gRPC code are the demo's 404s (NOT_FOUND, 5) and 400s (INVALID_ARGUMENT, 3), as their bodies say.
      for (const [status, code] of [[404, '5'], [400, '3']] as const) {
        const share = (100 * (traffic.getFeatures.byStatus[status] ?? 0)) / traffic.getFeatures.requests;
        const byCode = valueOf(families, 'feature_server_errors_rate_grpc', { status: code });
        assert.ok(byCode > share / 2 && byCode < share * 2, `gRPC ${code}: ${byCode}% vs ${share}% answered ${status}`);
        assert.is(byCode, valueOf(families, 'feature_server_errors_rate', { status: String(status) }), `one HTTP status, one gRPC code: ${status}`);
      }

      const total = valueOf(families, 'feature_service_requests_total_rate', REGION);
      const group = { ...REGION, server_group_name: 'default' };
      assert.is(valueOf(families, 'feature_service_requests_total_rate_per_server_group', group), total, 'one server: its group carries all calls');
      const byService = samples(families, 'feature_service_requests_rate_per_server_group', group).reduce((sum, s) => sum + s.value, 0);
      near(byService, total, 0.05, 'per-service rates of the group add up to its total');

      const utilization = valueOf(families, 'feature_server_utilization', REGION);
      assert.ok(utilization > 0 && utilization <= 100, `utilization ${utilization}`);
      assert.is(valueOf(families, 'feature_server_average_utilization', REGION), utilization, 'a fleet of one: average = maximum');
      assert.is(valueOf(families, 'feature_server_minimum_utilization', REGION), utilization, 'a fleet of one: minimum = maximum');

      if (version === '1.1') {
        for (const view of run.platform.workspace.stream.featureViews) {
          const labels = { feature_view_name: view.name, feature_view_id: view.id, workspace: 'prod' };
          const min = valueOf(families, 'spark_stream_min_processed_event_age', labels);
          const avg = valueOf(families, 'spark_stream_average_processed_event_age', labels);
          const max = valueOf(families, 'spark_stream_max_processed_event_age', labels);
          assert.ok(min >= 0 && min <= avg && avg <= max && max < 2, `${view.name} ages min=${min} avg=${avg} max=${max}`);
        }
      }
      await run.stop();
    } finally {
      await rig.stop();
    }
  });
}

test.run();

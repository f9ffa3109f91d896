// The catalog as PromQL, for every name of the 0.7, 0.9 and 1.1 catalogs: the rules file passes
// `promtool check rules`, and `promtool test rules` (Prometheus' own evaluator) computes each catalog metric
// from hand-made raw series of three instances in two server groups to the values worked out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { loadCatalog } from '../../lib/catalog/catalog.js';
import { RAW } from '../../lib/catalog/raw-names.js';
import { FleetQueryError, GAUGE_QUERIES, SUMMARY_QUERIES, catalogQueries } from '../../lib/fleet/queries.js';
import { recordingRules } from '../../lib/fleet/rules.js';
import { findOnPath } from '../support/processes.js';
import { tempDir } from '../server/harness.js';

/** The names later catalogs add (0.9 and 1.1), with the labels their pages give. */
const LATER = [
  { name: 'feature_server_errors_rate_grpc', kind: 'ratio', unit: 'percent', labels: ['status'] },
  { name: 'feature_server_average_utilization', kind: 'utilization', unit: 'percent', labels: ['aws_region'] },
  { name: 'feature_server_minimum_utilization', kind: 'utilization', unit: 'percent', labels: ['aws_region'] },
  { name: 'feature_service_requests_total_rate_per_server_group', kind: 'rate', unit: 'requests per second', labels: ['aws_region', 'server_group_name'] },
  { name: 'feature_service_requests_rate_per_server_group', kind: 'rate', unit: 'requests per second', labels: ['aws_region', 'server_group_name'] },
  { name: 'spark_stream_min_processed_event_age', kind: 'max', unit: 'seconds', labels: ['workspace', 'feature_view_name', 'feature_view_id'] },
];

/** Every name of 0.7, 0.9 and 1.1 in one catalog (the union; 1.1's page drops feature_service_total_latency from GA). */
const ALL = loadCatalog({
  ...CATALOG_0_7,
  metrics: [...CATALOG_0_7.metrics, ...LATER.map((m) => ({ ...m, type: 'gauge', description: `${m.name} (spec)`, stage: 'Preview' }))],
});

test('every catalog name of 0.7, 0.9 and 1.1 has PromQL, and a name without any is refused by name', () => {
  assert.is(ALL.metrics.length, 23);
  for (const metric of ALL.metrics) assert.ok(Object.hasOwn(metric.type === 'summary' ? SUMMARY_QUERIES : GAUGE_QUERIES, metric.name), metric.name);
  const queries = catalogQueries(ALL, 300_000);
  assert.is(queries.length, 20 + 3 * 5, 'a gauge is one query, a summary three quantiles, _sum and _count');
  for (const query of queries) assert.ok(query.expr.includes(query.sample.endsWith('_sum') || query.sample.endsWith('_count') ? '' : '[5m]') || query.expr.startsWith('time()'), query.expr);
  const unknown = loadCatalog({ ...CATALOG_0_7, metrics: [{ ...CATALOG_0_7.metrics[0], name: 'made_up_rate' }] });
  assert.throws(() => catalogQueries(unknown, 300_000), (error: Error) => error instanceof FleetQueryError && error.message.includes('made_up_rate'));
});

test('each expression groups by exactly the catalog labels and never by instance', () => {
  for (const query of catalogQueries(ALL, 60_000)) {
    const by = [...query.expr.matchAll(/ by \(([^)]*)\)/g)].map((m) => m[1]);
    assert.ok(by.length > 0, query.expr);
    for (const labels of by) {
      const names = labels!.split(', ').filter((name) => name !== '' && name !== 'le');
      assert.equal(names, [...query.metric.labels], `${query.sample}: ${query.expr}`);
    }
    assert.not.ok(/instance|job/.test(query.expr), query.expr);
  }
});

const promtool = findOnPath('promtool');
if (promtool === undefined) {
  console.log('fleet/queries: promtool checks skipped: no "promtool" on PATH (apt-get install -y prometheus)');
  test.skip('promtool accepts the rules of every catalog name and computes each from raw series as expected');
} else {
  test('promtool accepts the rules of every catalog name and computes each from raw series as expected', () => {
    const dir = tempDir('omen-rules-');
    try {
      writeFileSync(join(dir, 'rules.yml'), recordingRules(ALL, { windowMs: 300_000 }));
      const check = spawnSync(promtool, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
      assert.is(check.status, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /SUCCESS: 35 rules found/);
      writeFileSync(join(dir, 'test.yml'), unitTests('rules.yml'));
      const run = spawnSync(promtool, ['test', 'rules', join(dir, 'test.yml')], { encoding: 'utf8', cwd: dir });
      assert.is(run.status, 0, run.stdout + run.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Three instances: a and b in server group g1, c in g2, one region. Samples every minute; rules over 5m;
// checked at 10m, where a series `0+Nx10` has risen N per minute throughout, so its rate is N/60 exactly.
const PLACE = (instance: string, group: string) => `aws_region="r",server_group_name="${group}",instance="${instance}"`;
const A = PLACE('a', 'g1');
const B = PLACE('b', 'g1');
const C = PLACE('c', 'g2');
const S1 = 'feature_service_id="s1",feature_service_name="one"';
const S2 = 'feature_service_id="s2",feature_service_name="two"';
const V = 'workspace="w",feature_view_name="v",feature_view_id="v1"';

const INPUT: [string, string][] = [
  [`${RAW.calls}_total{${A},${S1}}`, '0+60x10'], // 1/s
  [`${RAW.calls}_total{${B},${S1}}`, '0+120x10'], // 2/s
  [`${RAW.calls}_total{${C},${S2}}`, '0+180x10'], // 3/s
  [`${RAW.responses}_total{${A},status="200"}`, '0+54x10'],
  [`${RAW.responses}_total{${A},status="404"}`, '0+6x10'], // 0.1/s of 4/s in all: 2.5 %
  [`${RAW.responses}_total{${B},status="200"}`, '0+120x10'],
  [`${RAW.responses}_total{${C},status="500"}`, '0+60x10'], // 1/s of 4/s: 25 %
  [`${RAW.grpcResponses}_total{${A},grpc_code="0"}`, '0+54x10'],
  [`${RAW.grpcResponses}_total{${A},grpc_code="5"}`, '0+6x10'],
  [`${RAW.grpcResponses}_total{${B},grpc_code="0"}`, '0+120x10'],
  [`${RAW.grpcResponses}_total{${C},grpc_code="13"}`, '0+60x10'],
  [`${RAW.busy}_total{${A}}`, '0+36x10'], // 60 % busy
  [`${RAW.busy}_total{${B}}`, '0+12x10'], // 20 %
  [`${RAW.busy}_total{${C}}`, '0+90x10'], // 150 %: overlapping requests, clamped to 100
  ...histogram(RAW.latency, `${A},${S1}`),
  ...histogram(RAW.ingestLatency, A),
  [`${RAW.ingestRequests}_total{${A},status="200"}`, '0+240x10'],
  [`${RAW.ingestRequests}_total{${A},status="400"}`, '0+60x10'],
  [`${RAW.ingestRequests}_total{${B},status="503"}`, '0+30x10'],
  [`${RAW.ingestOnlineRows}_total{${A},${V}}`, '0+120x10'],
  [`${RAW.ingestOfflineRows}_total{${B},${V}}`, '0+60x10'],
  [`${RAW.sparkOnlineRows}_total{${A},${V}}`, '0+300x10'],
  [`${RAW.sparkOnlineRows}_total{${C},${V}}`, '0+300x10'],
  // Reported per-batch figures: a reports 10 per batch, c 30; the fleet average is 20 (not a sum).
  [`${RAW.sparkInputRate}_sum{${A},${V}}`, '0+600x10'],
  [`${RAW.sparkInputRate}_count{${A},${V}}`, '0+60x10'],
  [`${RAW.sparkInputRate}_sum{${C},${V}}`, '0+1800x10'],
  [`${RAW.sparkInputRate}_count{${C},${V}}`, '0+60x10'],
  [`${RAW.sparkProcessingRate}_sum{${A},${V}}`, '0+1200x10'],
  [`${RAW.sparkProcessingRate}_count{${A},${V}}`, '0+60x10'],
  [`${RAW.sparkAverageAge}_sum{${A},${V}}`, '0+90x10'],
  [`${RAW.sparkAverageAge}_count{${A},${V}}`, '0+60x10'],
  [`${RAW.sparkOldestAge}{${A},${V}}`, '1 2 3 4 5 6 7 8 9 10 11'],
  [`${RAW.sparkOldestAge}{${C},${V}}`, '5x10'],
  [`${RAW.sparkNewestAge}{${A},${V}}`, '1x10'],
  [`${RAW.sparkNewestAge}{${C},${V}}`, '3 3 3 3 3 3 0.5 3 3 3 3'],
  [`${RAW.sparkNewestEventTime}{${A},${V}}`, '100x10'],
  [`${RAW.sparkNewestEventTime}{${C},${V}}`, '200x10'],
];

const EXPECTED: [string, number][] = [
  ['feature_service_requests_total_rate{aws_region="r"}', 6],
  [`feature_service_requests_rate{aws_region="r",${S1}}`, 3],
  [`feature_service_requests_rate{aws_region="r",${S2}}`, 3],
  ['feature_service_requests_total_rate_per_server_group{aws_region="r",server_group_name="g1"}', 3],
  ['feature_service_requests_total_rate_per_server_group{aws_region="r",server_group_name="g2"}', 3],
  ['feature_server_errors_rate{status="404"}', 2.5],
  ['feature_server_errors_rate{status="500"}', 25],
  ['feature_server_errors_rate_grpc{status="5"}', 2.5],
  ['feature_server_errors_rate_grpc{status="13"}', 25],
  ['feature_server_utilization{aws_region="r"}', 100],
  ['feature_server_average_utilization{aws_region="r"}', 60],
  ['feature_server_minimum_utilization{aws_region="r"}', 20],
  ['feature_service_total_latency{quantile="0.5"}', 0.00075],
  ['feature_service_total_latency_count', 600],
  [`feature_service_latency{${S1},quantile="0.5"}`, 0.00075],
  ['stream_ingestapi_request_processing_latency{aws_region="r",quantile="0.5"}', 0.00075],
  ['stream_ingestapi_request_rate{aws_region="r"}', 5.5],
  ['stream_ingestapi_request_processing_error_rate{aws_region="r",error_code="4xx"}', 1],
  ['stream_ingestapi_request_processing_error_rate{aws_region="r",error_code="5xx"}', 0.5],
  [`stream_ingestapi_online_store_write_rate{${V}}`, 2],
  [`stream_ingestapi_offline_store_write_rate{${V}}`, 1],
  [`spark_stream_online_store_write_rate{${V}}`, 10],
  [`spark_stream_input_rate{${V}}`, 20],
  [`spark_stream_processing_rate{${V}}`, 20],
  [`spark_stream_average_processed_event_age{${V}}`, 1.5],
  [`spark_stream_max_processed_event_age{${V}}`, 11],
  [`spark_stream_min_processed_event_age{${V}}`, 0.5],
  [`spark_stream_served_feature_age{${V}}`, 400],
];

/** A latency histogram whose 60 observations a minute all fall in (0.5 ms, 1 ms]: the median is 0.75 ms. */
function histogram(name: string, labels: string): [string, string][] {
  return [
    [`${name}_bucket{${labels},le="0.0005"}`, '0x10'],
    [`${name}_bucket{${labels},le="0.001"}`, '0+60x10'],
    [`${name}_bucket{${labels},le="+Inf"}`, '0+60x10'],
    [`${name}_sum{${labels}}`, '0+0.045x10'],
    [`${name}_count{${labels}}`, '0+60x10'],
  ];
}

function unitTests(rules: string): string {
  const lines = [`rule_files: [${rules}]`, 'evaluation_interval: 1m', 'tests:', '  - interval: 1m', '    input_series:'];
  for (const [series, values] of INPUT) lines.push(`      - series: '${series}'`, `        values: '${values}'`);
  lines.push('    promql_expr_test:');
  for (const [series, value] of EXPECTED) {
    lines.push(`      - expr: '${series}'`, '        eval_time: 10m', '        exp_samples:', `          - labels: '${series}'`, `            value: ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

test.run();

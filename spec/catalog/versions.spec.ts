import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { CatalogError, helpText } from '../../lib/catalog/catalog.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { CATALOG_VERSIONS, DEFAULT_CATALOG_VERSION, catalogFromFlag, catalogVersion } from '../../lib/catalog/versions.js';

interface Row {
  name: string;
  type: string;
  unit: string;
  labels: string[];
  stage: string;
}

/** The hand-written table of `version`, in page order (comment lines skipped). */
function fixture(version: string): Row[] {
  return readFileSync(new URL(`../../../fixtures/catalog-${version}.tsv`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [name, type, unit, labels, stage] = line.split('\t');
      return { name: name!, type: type!, unit: unit!, labels: labels === '-' ? [] : labels!.split(','), stage: stage! };
    });
}

const names = (version: string) => catalogVersion(version).metrics.map((metric) => metric.name);

test('the built-in versions are 0.7, 0.9 and 1.1, and 0.7 is the default', () => {
  assert.equal([...CATALOG_VERSIONS], ['0.7', '0.9', '1.1']);
  assert.is(DEFAULT_CATALOG_VERSION, '0.7');
  assert.equal(catalogVersion('0.7').metrics.map((m) => m.name), CATALOG_0_7.metrics.map((m) => m.name));
  assert.is(catalogVersion('0.9'), catalogVersion('0.9'), 'validated once, then kept');
});

for (const [version, count] of [['0.7', 17], ['0.9', 22], ['1.1', 23]] as const) {
  test(`the ${version} catalog has exactly the ${count} metrics of its hand-written fixture, field for field and in page order`, () => {
    const catalog = catalogVersion(version);
    const rows = fixture(version);
    assert.is(catalog.version, version);
    assert.is(rows.length, count);
    if (version !== '0.7') assert.equal(catalog.metrics.map((m) => m.name), rows.map((row) => row.name));
    for (const row of rows) {
      const metric = catalog.get(row.name);
      assert.ok(metric, `${version} lacks ${row.name}`);
      assert.equal({ type: metric!.type, unit: metric!.unit, labels: [...metric!.labels], stage: metric!.stage }, { type: row.type, unit: row.unit, labels: row.labels, stage: row.stage }, `${version} ${row.name}`);
      assert.ok(metric!.description.length > 10, `${version} ${row.name} has a description`);
    }
    assert.is(catalog.windowSeconds, 300, 'rates are over five minutes');
  });
}

test('0.9 adds gRPC errors, average and minimum utilization and the per-server-group rates to 0.7', () => {
  const added = names('0.9').filter((name) => !names('0.7').includes(name));
  assert.equal(added.sort(), [
    'feature_server_average_utilization',
    'feature_server_errors_rate_grpc',
    'feature_server_minimum_utilization',
    'feature_service_requests_rate_per_server_group',
    'feature_service_requests_total_rate_per_server_group',
  ]);
  assert.equal(names('0.7').filter((name) => !names('0.9').includes(name)), [], '0.9 drops nothing');
  assert.is(helpText(catalogVersion('0.9').get('feature_server_utilization')!), 'Maximum utilization among all feature server instances (percent). Release stage: GA.');
});

test('1.1 adds the minimum event age, makes utilization and the Spark ages GA, and moves total latency out of GA', () => {
  const v11 = catalogVersion('1.1');
  assert.equal(names('1.1').filter((name) => !names('0.9').includes(name)), ['spark_stream_min_processed_event_age']);
  assert.equal(names('0.9').filter((name) => !names('1.1').includes(name)), [], '1.1 drops nothing');
  for (const name of ['feature_server_average_utilization', 'feature_server_minimum_utilization', 'spark_stream_max_processed_event_age', 'spark_stream_min_processed_event_age', 'spark_stream_average_processed_event_age']) {
    assert.is(v11.get(name)!.stage, 'GA', name);
  }
  assert.is(catalogVersion('0.9').get('feature_service_total_latency')!.stage, 'GA');
  assert.is(v11.get('feature_service_total_latency')!.stage, 'Preview');
  const ga = v11.metrics.filter((m) => m.stage === 'GA').map((m) => m.name);
  assert.equal(v11.metrics.slice(0, ga.length).map((m) => m.name), ga, 'the GA group comes first, as on the page');
  assert.is(v11.get('spark_stream_min_processed_event_age')!.kind, 'min');
  assert.is(helpText(v11.get('spark_stream_min_processed_event_age')!), 'Minimum age of events processed for Spark streaming (seconds). Release stage: GA.');
});

test('an unknown version is an error naming it and the built-in versions', () => {
  for (const bad of ['0.8', '1.0', '', 'latest', '__proto__', 'toString']) {
    assert.throws(() => catalogVersion(bad), (error: unknown) => error instanceof CatalogError && error.message.includes(`unknown catalog version ${JSON.stringify(bad)}`) && error.message.includes('0.7, 0.9, 1.1'), bad);
  }
});

test('--catalog takes a built-in version, or else a catalog file; a version-like name with no file is an unknown version', () => {
  assert.is(catalogFromFlag('1.1').version, '1.1');
  assert.throws(() => catalogFromFlag('0.8'), /unknown catalog version "0.8": the built-in versions are 0.7, 0.9, 1.1/);
  const dir = mkdtempSync(join(tmpdir(), 'omen-versions-'));
  try {
    const file = join(dir, '0.9');
    writeFileSync(file, JSON.stringify({ ...CATALOG_0_7, version: 'custom' }));
    assert.is(catalogFromFlag(file).version, 'custom', 'a path is a file even when it ends like a version');
    assert.throws(() => catalogFromFlag(join(dir, 'missing.json')), (error: unknown) => error instanceof CatalogError && error.message.includes('missing.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const version of CATALOG_VERSIONS) {
  test(`with catalog ${version}, the instrumentation registers exactly its metrics and the strict parser reads every one back with its labels`, async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new Registry({ clock });
    const catalog = catalogVersion(version);
    const metrics = instrumentCatalog(registry, { region: 'us-west-2', catalog, utilization: 'reports', serverGroup: 'blue' });
    const view = { workspace: 'prod', featureViewName: 'clicks', featureViewId: 'fv-9' };
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.02, status: 200 });
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.01, status: 404 });
    metrics.recordIngest({ status: 200, latencySeconds: 0.01, rowsByFeatureView: [{ ...view, onlineRows: 2, offlineRows: 2 }] });
    metrics.recordIngest({ status: 400 });
    metrics.reportServerBusy(100);
    const at = clock.wallMs();
    metrics.recordStreamProgress({ ...view, numInputRows: 4, inputRowsPerSecond: 4, processedRowsPerSecond: 8, rowsWritten: 4, timestamp: at, eventTime: { min: at - 3000, avg: at - 2000, max: at - 1000 } });
    clock.advance(10_000);
    const catalogNames = catalog.metrics.map((m) => m.name);
    assert.equal(registry.families.map((f) => f.name).filter((name) => !name.startsWith('omen_')), catalogNames, 'registered in catalog order');
    for (const [format, name] of [[OPENMETRICS, 'openmetrics'], [PROMETHEUS, 'prometheus']] as const) {
      const families = parse((await registry.scrape(format)).toString(), { format: name });
      assert.equal(families.map((f) => f.name).filter((n) => !n.startsWith('omen_')), catalogNames, `${name}: written in catalog order`);
      for (const metric of catalog.metrics) {
        const family = families.find((f) => f.name === metric.name)!;
        assert.is(family.help, helpText(metric), metric.name);
        assert.ok(family.samples.length > 0, `${metric.name} has samples`);
        for (const sample of family.samples) {
          assert.equal(sample.labels.map(([label]) => label).filter((label) => label !== 'quantile'), [...metric.labels], `${sample.name} labels`);
        }
      }
    }
  });
}

test.run();

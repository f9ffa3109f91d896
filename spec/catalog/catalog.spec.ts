import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { CatalogError, helpText, loadCatalog, loadCatalogFile } from '../../lib/catalog/catalog.js';
import { CatalogFamilies } from '../../lib/catalog/families.js';

const fixture = readFileSync(new URL('../../../fixtures/catalog-0.7.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [name, type, unit, labels, stage] = line.split('\t');
    return { name: name!, type: type!, unit: unit!, labels: labels === '-' ? [] : labels!.split(','), stage: stage! };
  });

/** A deep copy of the 0.7 data that a case may change. */
const editable = (): { version: string; windowSeconds: number; slotSeconds: number; metrics: Record<string, unknown>[] } =>
  JSON.parse(JSON.stringify(CATALOG_0_7));

test('the 0.7 catalog has exactly the 17 metrics of the hand-written fixture, field for field', () => {
  const catalog = loadCatalog(CATALOG_0_7);
  assert.is(catalog.version, '0.7');
  assert.is(fixture.length, 17);
  assert.equal(
    catalog.metrics.map((m) => m.name).sort(),
    fixture.map((row) => row.name).sort(),
  );
  for (const row of fixture) {
    const metric = catalog.get(row.name)!;
    assert.equal({ type: metric.type, unit: metric.unit, labels: [...metric.labels], stage: metric.stage }, { type: row.type, unit: row.unit, labels: row.labels, stage: row.stage }, row.name);
    assert.ok(metric.description.length > 10, `${row.name} has a description`);
  }
});

test('HELP carries the description, the unit in parentheses and the release stage', () => {
  const catalog = loadCatalog(CATALOG_0_7);
  const metric = catalog.get('feature_service_requests_rate')!;
  assert.is(helpText(metric), 'Count of get features requests by feature service (requests per second). Release stage: GA.');
  assert.is(helpText(catalog.get('spark_stream_served_feature_age')!), 'The served feature age for Spark streaming (seconds). Release stage: Preview.');
});

test('a Deprecated metric carries its end-of-support date in HELP', () => {
  const data = editable();
  Object.assign(data.metrics[0]!, { stage: 'Deprecated', endOfSupport: '2025-06-30' });
  const metric = loadCatalog(data).get('feature_service_requests_total_rate')!;
  assert.ok(helpText(metric).endsWith('Release stage: Deprecated, end of support 2025-06-30.'), helpText(metric));
});

const bad = (what: string, edit: (data: ReturnType<typeof editable>) => void, message: RegExp) =>
  test(`the loader refuses ${what}`, () => {
    const data = editable();
    edit(data);
    assert.throws(() => loadCatalog(data), (error: unknown) => error instanceof CatalogError && message.test(error.message));
  });

bad('a name defined twice', (d) => d.metrics.push({ ...d.metrics[0] }), /feature_service_requests_total_rate" is defined twice/);
bad('an invalid metric name', (d) => (d.metrics[0]!.name = 'requests rate'), /invalid metric name/);
bad('a name ending in a sample suffix', (d) => (d.metrics[0]!.name = 'requests_total'), /ends in "_total"/);
bad('a summary kind on a gauge', (d) => (d.metrics[0]!.kind = 'summary'), /kind "summary" cannot have type "gauge"/);
bad('an unknown kind', (d) => (d.metrics[0]!.kind = 'histogram'), /kind must be one of rate, ratio/);
bad('a ratio whose unit is not percent', (d) => (d.metrics[4]!.unit = 'requests per second'), /must be "percent"/);
bad('a unit that is not lower-case words', (d) => (d.metrics[0]!.unit = 'req/s'), /unit "req\/s" must be lower-case words/);
bad('a label name with "__"', (d) => (d.metrics[0]!.labels = ['__region']), /invalid label name "__region"/);
bad('a duplicated label', (d) => (d.metrics[0]!.labels = ['a', 'a']), /label "a" appears twice/);
bad('a "quantile" label on a summary', (d) => (d.metrics[2]!.labels = ['quantile']), /cannot have a "quantile" label/);
bad('a Deprecated metric without a date', (d) => (d.metrics[0]!.stage = 'Deprecated'), /needs endOfSupport as YYYY-MM-DD, got undefined/);
bad('an end-of-support date on a GA metric', (d) => (d.metrics[0]!.endOfSupport = '2025-01-01'), /endOfSupport is only for Deprecated/);
bad('an unknown stage', (d) => (d.metrics[0]!.stage = 'Beta'), /stage must be one of GA, Preview, Deprecated, got "Beta"/);
bad('a window that slots do not divide', (d) => (d.slotSeconds = 7), /windowSeconds=300 is not a multiple of slotSeconds=7/);
bad('an empty metric list', (d) => (d.metrics = []), /metrics must be a non-empty array/);
bad('a two-line description', (d) => (d.metrics[0]!.description = 'a\nb'), /description must be one line/);

test('a later catalog adds a metric and moves a stage with data alone', () => {
  const data = editable();
  data.version = '0.8';
  data.metrics.find((m) => m.name === 'spark_stream_input_rate')!.stage = 'GA';
  data.metrics.push({ name: 'feature_server_minimum_utilization', type: 'gauge', kind: 'utilization', unit: 'percent', description: 'Minimum utilization', labels: ['aws_region'], stage: 'Preview' });
  const dir = mkdtempSync(join(tmpdir(), 'omen-catalog-'));
  try {
    const file = join(dir, 'catalog-0.8.json');
    writeFileSync(file, JSON.stringify(data));
    const registry = new Registry({ clock: new FakeClock() });
    new CatalogFamilies(registry, loadCatalogFile(file), { utilization: 'reports' });
    assert.is(registry.families.length, 18);
    assert.is(registry.get('spark_stream_input_rate')!.help, 'The stream request input rate for Spark streaming (requests per second). Release stage: GA.');
    assert.ok(registry.get('feature_server_minimum_utilization'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a catalog file that is not JSON is an error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omen-catalog-'));
  try {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "version": ');
    assert.throws(() => loadCatalogFile(file), (error: unknown) => error instanceof CatalogError && error.message.includes(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('registered families write TYPE and HELP but never a UNIT line, and stamp computed gauges', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new Registry({ clock });
  const families = new CatalogFamilies(registry, loadCatalog(CATALOG_0_7), { utilization: 'reports' });
  families.get('feature_service_requests_total_rate', 'rate', ['aws_region'])!.labels('us-west-2').mark(3);
  families.get('feature_service_total_latency', 'summary', [])!.observe(0.25);
  const om = (await registry.scrape(OPENMETRICS)).toString();
  const text = (await registry.scrape(PROMETHEUS)).toString();
  assert.not.ok(/^# UNIT/m.test(om), 'no # UNIT line');
  for (const row of fixture) {
    assert.ok(om.includes(`# TYPE ${row.name} ${row.type}\n`), `${row.name} TYPE`);
    assert.ok(text.includes(`# HELP ${row.name} `), `${row.name} HELP`);
  }
  assert.ok(text.includes(`feature_service_requests_total_rate{aws_region="us-west-2"} `));
  assert.ok(text.split('\n').find((l) => l.startsWith('feature_service_requests_total_rate{'))!.endsWith(` ${clock.wallMs()}`), 'gauge stamped in ms');
  assert.ok(om.split('\n').find((l) => l.startsWith('feature_service_requests_total_rate{'))!.endsWith(` ${clock.wallMs() / 1000}`), 'OpenMetrics stamp in s');
  assert.is(text.split('\n').find((l) => l.startsWith('feature_service_total_latency_count'))!, 'feature_service_total_latency_count 1');
});

test('the strict parser accepts both expositions of the whole catalog with traffic in it', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new Registry({ clock });
  const families = new CatalogFamilies(registry, loadCatalog(CATALOG_0_7), { utilization: 'reports' });
  for (const metric of loadCatalog(CATALOG_0_7).metrics) {
    const values = metric.labels.map((label) => `${label}-"x"\\`);
    const family = families.get(metric.name, metric.kind, metric.labels)!;
    if ('touch' in family) family.touch(values, clock.wallMs() - 3000);
    else if ('observe' in family) family.labels(...values).observe(0.5);
    else if ('record' in family.labels(...values)) (family.labels(...values) as { record(v: number): void }).record(2);
    else if ('mark' in family.labels(...values)) (family.labels(...values) as { mark(n: number): void }).mark(2);
  }
  clock.advance(10_000);
  const om = parse((await registry.scrape(OPENMETRICS)).toString(), { format: 'openmetrics' });
  const text = parse((await registry.scrape(PROMETHEUS)).toString(), { format: 'prometheus' });
  for (const families of [om, text]) {
    assert.equal(families.map((f) => f.name).filter((name) => !name.startsWith('omen_')).sort(), fixture.map((row) => row.name).sort());
    for (const family of families) assert.ok(family.samples.length > 0, `${family.name} has samples`);
    for (const family of families) assert.is(family.unit, undefined);
  }
});

test('asking for a metric as the wrong kind or labels is an error naming both', () => {
  const families = new CatalogFamilies(new Registry({ clock: new FakeClock() }), loadCatalog(CATALOG_0_7), { utilization: 'reports' });
  assert.throws(() => families.get('feature_server_errors_rate', 'rate', ['status']), /has kind "ratio", but the instrumentation feeds it as "rate"/);
  assert.throws(() => families.get('feature_server_errors_rate', 'ratio', ['code']), /has labels \[status\], but the instrumentation sets \[code\]/);
  assert.is(families.get('no_such_metric', 'rate', []), undefined);
});

test.run();

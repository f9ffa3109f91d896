// End to end on Debian's Prometheus: three `omen serve --demo` instances in two server groups (10 s windows),
// Prometheus scraping their raw series every second with the rules `omen catalog rules` prints, and
// `omen serve --source prometheus` answering the Metrics API from it. The fleet catalog must be the instances'
// catalogs combined, the recorded series must equal what the fleet source computes, and an engine that stops
// answering must turn scrapes into 503s (and back into 200s when it returns).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FamilyModel } from '../../lib/exposition/model.js';
import type { Engine, Proc } from './support.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { helpText, loadCatalog } from '../../lib/catalog/catalog.js';
import { PROMETHEUS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { FleetSource } from '../../lib/fleet/fleet-source.js';
import { PrometheusClient } from '../../lib/fleet/prometheus-client.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { findOnPath } from '../support/processes.js';
import { waitFor } from '../support/wait.js';
import { tempDir } from '../server/harness.js';
import { compareFleet, directQueries } from './compare.js';
import { CLI, get, omenServe, portOf, scrapeJob, seriesOf, settledEvaluations, startInstances, startPrometheus, until } from './support.js';

const WINDOW = '20s';
const QUERY_TIMEOUT_MS = 2000;
const binary = findOnPath('prometheus');
const catalog = loadCatalog(CATALOG_0_7);

interface Rig {
  dir: string;
  instances: Proc[];
  ports: number[];
  groups: string[];
  apiKey: string;
  engine: Engine;
  config: string;
  fleet: Proc;
  fleetPort: number;
  client: PrometheusClient;
}
let rig: Rig | undefined;

async function setUp(): Promise<Rig> {
  const dir = tempDir('omen-fleet-');
  const dataDir = join(dir, 'data');
  const { procs, ports, apiKey, groups } = await startInstances(dataDir, WINDOW);
  const keyFile = join(dir, 'tecton-api-key');
  writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'rules.yml'), execFileSync(process.execPath, [CLI, 'catalog', 'rules', '--window', WINDOW]));
  // Rules every 1.3 s against scrapes every 1 s: Prometheus fixes each target's scrape phase and the group's
  // evaluation phase, so with equal intervals one target scraping just before every evaluation would leave no
  // settled evaluation to compare exactly (see settledEvaluations); unequal intervals make the phases drift.
  const config = ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1300ms', 'rule_files:', `  - ${join(dir, 'rules.yml')}`, scrapeJob(ports, keyFile), ''].join('\n');
  mkdirSync(join(dir, 'prometheus'));
  const engine = await startPrometheus(binary!, join(dir, 'prometheus'), config);
  const fleet = omenServe(['--source', 'prometheus', '--prometheus-url', engine.url, '--data-dir', dataDir, '--window', WINDOW, '--cache-ttl', '1s', '--query-timeout', `${QUERY_TIMEOUT_MS}ms`]);
  const fleetPort = await portOf(fleet);
  const client = new PrometheusClient({ url: engine.url, timeoutMs: 5000 });
  return { dir, instances: procs, ports, groups, apiKey, engine, config, fleet, fleetPort, client };
}

async function tearDown(): Promise<void> {
  if (rig === undefined) return;
  rig.client.close();
  await Promise.all([rig.fleet.stop(), rig.engine.proc.stop(), ...rig.instances.map((proc) => proc.stop())]);
  rmSync(rig.dir, { recursive: true, force: true });
  rig = undefined;
}

const auth = () => ({ Authorization: `Tecton-key ${rig!.apiKey}` });

if (binary === undefined) {
  console.log('prometheus-fleet: skipped: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('a fleet of three instances on Prometheus serves the instances\' catalogs combined');
} else {
  test.after(tearDown);

  test("a fleet of three instances on Prometheus serves the instances' catalogs combined", async () => {
    rig = await setUp();
    const { client, engine } = rig;
    await until('Prometheus to scrape all three instances', async () => (await client.query('count(up == 1)', Date.now() / 1000))[0]?.value === 3, 30_000, () => engine.proc.output().slice(-2000));
    // A full window of data on every side: the instances' own windows and the engine's range.
    await new Promise((resolve) => setTimeout(resolve, 21_000));

    // Everything at one moment: the fleet's answer, the instances' own catalogs, the later catalogs' queries.
    const now = Date.now() / 1000;
    const [direct, fleetAnswer, ...localAnswers] = await Promise.all([
      directQueries((expr) => client.query(expr, now), WINDOW),
      get(rig.fleetPort, METRICS_PATH, auth()),
      ...rig.ports.map((port) => get(port, METRICS_PATH, auth())),
    ]);
    assert.is(fleetAnswer!.status, 200, fleetAnswer!.text);
    const fleet = seriesOf(fleetAnswer!.text);
    const locals = localAnswers.map((answer) => seriesOf(answer.text));
    const failures = compareFleet({ locals, fleet, groups: rig.groups, direct });
    assert.equal(failures, [], failures.join('\n'));

    // Families in catalog order, each with the catalog's HELP; a series the engine lacks is absent, not 0.
    const helps = [...fleetAnswer!.text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1], m[2]]);
    assert.equal(helps, catalog.metrics.map((metric) => [metric.name, helpText(metric)]));
    assert.not.ok(fleet.some((s) => s.name === 'stream_ingestapi_request_processing_error_rate' && s.labels.error_code === '5xx'), 'no 5xx happened, so no 5xx series');
    assert.not.ok(fleet.some((s) => s.labels.instance !== undefined || s.labels.job !== undefined), 'no engine labels leak into the catalog');
  });

  test('the recorded series equal what the fleet source computes at the rules\' evaluation time', async () => {
    const { client, engine } = rig!;
    const source = new FleetSource({ engine: client, engineName: 'prometheus', catalog, windowMs: 20_000, cacheTtlMs: 0 });
    // Only evaluations no scrape was still arriving at compare exactly: a sample stored after the rules ran
    // is in a later evaluation but not in the recorded one.
    // On a loaded machine a scrape can still be arriving at every evaluation for a while: look again for 30 s.
    let settled: number[] = [];
    await waitFor('a settled rule evaluation', async () => (settled = await settledEvaluations(engine.url, 'feature_service_requests_total_rate')).length > 0, 30_000).catch(() => {});
    assert.ok(settled.length > 0, `a rule evaluation with every scrape stored before it:\n${engine.proc.output().slice(-2000)}`);
    const stamp = settled[0]!;
    const served = seriesOf(renderPrometheus(await source.evaluate(stamp * 1000)));
    const mismatches: string[] = [];
    let compared = 0;
    for (const metric of catalog.metrics) {
      const recorded = await client.query(`{__name__=~"${metric.name}(_sum|_count)?"}`, stamp);
      for (const series of recorded) {
        const { __name__: name, ...labels } = series.labels;
        const twin = served.find((s) => s.name === name && sameLabels(s.labels, labels));
        compared++;
        if (twin === undefined || !same(twin.value, series.value)) mismatches.push(`${name}${JSON.stringify(labels)}: recorded ${series.value}, served ${twin?.value}`);
      }
      const servedCount = served.filter((s) => s.name === metric.name || s.name === `${metric.name}_sum` || s.name === `${metric.name}_count`).length;
      if (servedCount !== recorded.length) mismatches.push(`${metric.name}: ${recorded.length} recorded series, ${servedCount} served`);
    }
    assert.ok(compared > 30, `compared ${compared} recorded series`);
    assert.equal(mismatches, [], mismatches.join('\n'));
  });

  test('concurrent scrapes share one evaluation, and scrapes within the cache TTL reuse it', async () => {
    const { client } = rig!;
    let queries = 0;
    const counting = { query: (expr: string, time: number) => (queries++, client.query(expr, time)) };
    const source = new FleetSource({ engine: counting, engineName: 'prometheus', catalog, windowMs: 20_000, cacheTtlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => source.scrape(PROMETHEUS)));
    assert.is(queries, source.queries.length, 'one evaluation for ten concurrent scrapes');
    for (const answer of answers) assert.is(answer, answers[0], 'the same bytes');
    assert.is(await source.scrape(PROMETHEUS), answers[0]);
    assert.is(queries, source.queries.length, 'a later scrape within the TTL queries nothing');
  });

  test('engine paused: 503 with Retry-After within the query timeout + 1 s; resumed: 200; stopped and restarted: 503, then 200', async () => {
    const { fleetPort, engine } = rig!;
    const scrape = () => get(fleetPort, METRICS_PATH, auth());
    assert.is((await scrape()).status, 200);
    assert.match((await get(fleetPort, '/healthz')).text, /^ok: prometheus-api engine at http:\/\/127\.0\.0\.1:\d+ answered the last evaluation/);

    engine.proc.child.kill('SIGSTOP'); // accepts connections, answers nothing: the timeout path
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s cache
      const started = Date.now();
      const paused = await scrape();
      const elapsed = Date.now() - started;
      assert.is(paused.status, 503, paused.text);
      assert.ok(elapsed <= QUERY_TIMEOUT_MS + 1000, `503 after ${elapsed} ms`);
      assert.is(paused.headers['retry-after'], '1');
      assert.match(paused.text, new RegExp(`^prometheus-api engine at ${engine.url} failed query for \\S+ \\(.+\\): no answer within ${QUERY_TIMEOUT_MS} ms\\n$`));
      const health = await get(fleetPort, '/healthz');
      assert.is(health.status, 503);
      assert.match(health.text, /^engine down: /);
    } finally {
      engine.proc.child.kill('SIGCONT');
    }
    await until('scrapes to answer 200 after the engine resumed', async () => (await scrape()).status === 200, 10_000);

    await engine.proc.stop();
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s cache
    const refused = await scrape();
    assert.is(refused.status, 503, refused.text);
    assert.match(refused.text, /ECONNREFUSED/);
    rig!.engine = await startPrometheus(binary, join(rig!.dir, 'prometheus'), rig!.config, engine.port);
    let last = '';
    let direct = '';
    await until('scrapes to answer 200 after the engine restarted', async () => ((direct = await rig!.client.query('vector(1)', Date.now() / 1000).then((r) => `direct ${r.length}`, (e: Error) => `direct ${e.message}`)), (last = (await scrape()).text), last.startsWith('# HELP')), 30_000, () => `${last}\n${direct}\n${rig!.engine.proc.output().slice(-2000)}`);
    assert.match((await get(fleetPort, '/healthz')).text, /^ok: /);
  });
}

const renderPrometheus = (families: FamilyModel[]): string => writeModel(families, PROMETHEUS).toString('utf8');

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Equal, NaN equal to NaN, with room for the last bits a float's text form drops. */
function same(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}


test.run();

// The Grafana dashboards in examples/grafana/: each loads as a Grafana dashboard (schemaVersion, version,
// panels with gridPos, datasource and targets, variables defined before use), the catalog one covers every
// metric of every catalog version with its release stage; and every panel's PromQL, run by a real Prometheus
// 2.42 scraping `omen serve --demo --catalog 1.1`, returns data. The runtime dashboard's queries run against
// a server exposing collectDefaultMetrics' families.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import type { DemoProcess } from '../support/demo-process.js';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_VERSIONS, catalogVersion } from '../../lib/catalog/versions.js';
import { negotiateFormat } from '../../lib/exposition/negotiate.js';
import { collectDefaultMetrics } from '../../lib/runtime/default-metrics.js';
import { Registry } from '../../lib/registry.js';
import { startDemoProcess } from '../support/demo-process.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';

const ROOT = new URL('../../../', import.meta.url);
const CATALOG = new URL('examples/grafana/metrics-api-catalog.json', ROOT);
const RUNTIME = new URL('examples/grafana/nodejs-runtime.json', ROOT);
const PROMETHEUS_EXAMPLE = new URL('examples/prometheus/prometheus.yml', ROOT);
const BOUND_MS = 120_000;

interface Target {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  options?: { content?: string };
  panels?: Panel[];
}
interface Dashboard {
  title: string;
  uid: string;
  schemaVersion: number;
  version: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; definition?: string }[] };
}

const load = (url: URL) => JSON.parse(readFileSync(url, 'utf8')) as Dashboard;
const queryPanels = (board: Dashboard) => board.panels.filter((panel) => panel.type !== 'row' && panel.type !== 'text');

/** Checks the shape Grafana's dashboard model requires of a file imported through the UI or provisioning. */
function checkModel(board: Dashboard, file: string): void {
  assert.type(board.title, 'string', `${file}: title`);
  assert.match(board.uid, /^[a-zA-Z0-9_-]{1,40}$/, `${file}: uid (at most 40 characters)`);
  assert.ok(Number.isInteger(board.schemaVersion) && board.schemaVersion >= 36, `${file}: schemaVersion ${board.schemaVersion}`);
  assert.ok(Number.isInteger(board.version), `${file}: version`);
  const variables = new Set(board.templating.list.map((variable) => variable.name));
  assert.ok(variables.has('datasource'), `${file}: a datasource variable, so the board imports into any Grafana`);
  const ids = new Set<number>();
  const cells = new Set<string>();
  for (const panel of board.panels) {
    const at = `${file}: panel ${panel.id} "${panel.title}"`;
    assert.ok(Number.isInteger(panel.id) && !ids.has(panel.id), `${at}: unique id`);
    ids.add(panel.id);
    const { h, w, x, y } = panel.gridPos;
    assert.ok([h, w, x, y].every(Number.isInteger) && w >= 1 && x >= 0 && x + w <= 24 && h >= 1 && y >= 0, `${at}: gridPos inside 24 columns`);
    for (let row = y; row < y + h; row++) {
      for (let col = x; col < x + w; col++) {
        assert.not.ok(cells.has(`${row},${col}`), `${at}: overlaps another panel at ${row},${col}`);
        cells.add(`${row},${col}`);
      }
    }
    if (panel.type === 'row') {
      assert.equal(panel.panels, [], `${at}: an expanded row holds no panels of its own`);
      continue;
    }
    if (panel.type === 'text') {
      assert.type(panel.options?.content, 'string', `${at}: content`);
      continue;
    }
    assert.is(panel.datasource?.type, 'prometheus', `${at}: datasource`);
    assert.is(panel.datasource?.uid, '${datasource}', `${at}: datasource from the variable`);
    assert.ok((panel.targets?.length ?? 0) > 0, `${at}: targets`);
    const refIds = new Set<string>();
    for (const target of panel.targets ?? []) {
      assert.ok(target.refId !== '' && !refIds.has(target.refId), `${at}: unique refId`);
      refIds.add(target.refId);
      assert.type(target.expr, 'string', `${at}: expr`);
      for (const [, name] of target.expr.matchAll(/\$(\w+)/g)) {
        assert.ok(name!.startsWith('__') || variables.has(name!), `${at}: $${name} is not a dashboard variable`);
      }
    }
  }
}

/** PromQL as Grafana sends it with every variable set to "All" (the `.*` regex) and a one-minute rate window. */
const expand = (expr: string): string => expr.replaceAll('$__rate_interval', '1m').replace(/\$\w+/g, '.*');

/** `label_values(selector, label)` as the instant query Grafana's variable editor amounts to. */
const labelValuesQuery = (definition: string): string => {
  const match = /^label_values\((.*), (\w+)\)$/.exec(definition);
  assert.ok(match !== null, `variable query ${definition} is label_values(selector, label)`);
  return `group by (${match![2]}) (${expand(match![1]!)})`;
};

test('both dashboards load as Grafana dashboards', () => {
  checkModel(load(CATALOG), 'metrics-api-catalog.json');
  checkModel(load(RUNTIME), 'nodejs-runtime.json');
});

test('the catalog dashboard: a row per group, every metric of every catalog version, stages in descriptions, the warnings', () => {
  const board = load(CATALOG);
  assert.equal(
    board.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title),
    ['Feature serving', 'Spark streaming', 'Stream Ingest API'],
  );
  const variables = board.templating.list.map((variable) => variable.name);
  for (const name of ['region', 'feature_service', 'feature_view']) assert.ok(variables.includes(name), `variable ${name}`);
  const text = board.panels.find((panel) => panel.type === 'text')?.options?.content ?? '';
  assert.match(text, /never apply `rate\(\)`/i);
  assert.match(text, /never average percentages or quantiles across instances/i);
  const panels = queryPanels(board);
  for (const version of CATALOG_VERSIONS) {
    for (const metric of catalogVersion(version).metrics) {
      const uses = new RegExp(`\\b${metric.name}(?!\\w)`);
      const panel = panels.find((candidate) => candidate.targets!.some((target) => uses.test(target.expr)));
      assert.ok(panel !== undefined, `catalog ${version}: ${metric.name} has a panel`);
      const stage = new RegExp(`\`${metric.name}\`: [^\\n]*Release stage: [^\\n]*${metric.stage} in [0-9., ]*${version.replace('.', '\\.')}`);
      assert.match(panel!.description ?? '', stage, `${metric.name}'s stage in ${version}`);
    }
  }
  for (const panel of panels) {
    for (const target of panel.targets!) assert.not.match(target.expr, /\b(rate|irate|increase|avg)\s*\(/, `${panel.title}: no rate() or avg() on windowed gauges`);
  }
});

const prometheus = findOnPath('prometheus');
if (prometheus === undefined) {
  console.log('grafana: skipped the PromQL runs: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('every dashboard query returns data from a real Prometheus scraping omen serve --demo');
} else {
  test('every dashboard query returns data from a real Prometheus scraping omen serve --demo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omen-grafana-'));
    let demo: DemoProcess | undefined;
    let child: ChildProcess | undefined;
    let runtimeServer: Server | undefined;
    let log = '';
    try {
      demo = await startDemoProcess(['--catalog', '1.1']);
      const runtime = await runtimeTarget();
      runtimeServer = runtime.server;
      const keyFile = join(dir, 'tecton-api-key');
      writeFileSync(keyFile, `${demo.apiKey}\n`, { mode: 0o600 });
      let config = readFileSync(PROMETHEUS_EXAMPLE, 'utf8')
        .replaceAll('scrape_interval: 30s', 'scrape_interval: 1s')
        .replace('scrape_timeout: 10s', 'scrape_timeout: 1s')
        .replace('/etc/prometheus/tecton-api-key', keyFile)
        .replace("'127.0.0.1:8080'", `'127.0.0.1:${demo.port}'`);
      config += `  - job_name: node-runtime\n    static_configs:\n      - targets: ['127.0.0.1:${runtime.port}']\n`;
      writeFileSync(join(dir, 'prometheus.yml'), config);
      mkdirSync(join(dir, 'tsdb'));
      const web = `127.0.0.1:${await freePort()}`;
      child = spawn(prometheus, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=${web}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
      const query = async (promql: string): Promise<number> => {
        const res = await fetch(`http://${web}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined);
        if (res?.ok !== true) return -1;
        return ((await res.json()) as { data: { result: unknown[] } }).data.result.length;
      };

      const boards: [string, Dashboard][] = [['catalog', load(CATALOG)], ['runtime', load(RUNTIME)]];
      const pending = new Map<string, string>();
      for (const [name, board] of boards) {
        for (const panel of queryPanels(board)) for (const target of panel.targets!) pending.set(expand(target.expr), `${name}: "${panel.title}" ${target.refId}`);
        for (const variable of board.templating.list) if (variable.definition !== undefined) pending.set(labelValuesQuery(variable.definition), `${name}: variable $${variable.name}`);
      }
      const deadline = Date.now() + BOUND_MS;
      while (pending.size > 0 && Date.now() < deadline) {
        for (const promql of [...pending.keys()]) if ((await query(promql)) > 0) pending.delete(promql);
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      assert.equal([...pending].map(([promql, where]) => `${where}: ${promql}`), [], `queries with no data after ${BOUND_MS / 1000} s\n${log}`);
    } finally {
      await stopChild(child);
      runtimeServer?.closeAllConnections();
      runtimeServer?.close();
      await demo?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A registry with the default runtime families on a plain HTTP server, for the runtime dashboard's queries. */
async function runtimeTarget(): Promise<{ server: Server; port: number }> {
  const registry = new Registry();
  collectDefaultMetrics(registry);
  const server = createServer((req, res) => {
    const format = negotiateFormat(req.headers.accept);
    registry.scrape(format).then(
      (body) => res.writeHead(200, { 'Content-Type': format.contentType }).end(body),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0 };
}

test.run();

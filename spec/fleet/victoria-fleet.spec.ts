// The same fleet on Debian's VictoriaMetrics instead of Prometheus, proving the engine is replaceable: it
// scrapes the three instances with its own -promscrape.config, and `omen serve --source prometheus` evaluates
// the catalog's expressions on it directly (no recording rules: VictoriaMetrics runs those only in vmalert,
// and the Metrics API does not need them). Checks as in prometheus-fleet.spec.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine, Proc } from './support.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { helpText, loadCatalog } from '../../lib/catalog/catalog.js';
import { PrometheusClient } from '../../lib/fleet/prometheus-client.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { findOnPath } from '../support/processes.js';
import { tempDir } from '../server/harness.js';
import { compareFleet, directQueries } from './compare.js';
import { get, omenServe, portOf, scrapeJob, seriesOf, startInstances, startVictoriaMetrics, until } from './support.js';

const WINDOW = '20s';
const binary = findOnPath('victoria-metrics');
const catalog = loadCatalog(CATALOG_0_7);
const running: { dir?: string; procs: Proc[]; engine?: Engine; client?: PrometheusClient } = { procs: [] };

if (binary === undefined) {
  console.log('victoria-fleet: skipped: no "victoria-metrics" binary on PATH (apt-get install -y victoria-metrics)');
  test.skip("a fleet of three instances on VictoriaMetrics serves the instances' catalogs combined");
} else {
  test.after(async () => {
    running.client?.close();
    await Promise.all([...running.procs, ...(running.engine ? [running.engine.proc] : [])].map((proc) => proc.stop()));
    if (running.dir !== undefined) rmSync(running.dir, { recursive: true, force: true });
  });

  test("a fleet of three instances on VictoriaMetrics serves the instances' catalogs combined", async () => {
    const dir = (running.dir = tempDir('omen-vm-fleet-'));
    const dataDir = join(dir, 'data');
    const { procs, ports, apiKey, groups } = await startInstances(dataDir, WINDOW);
    running.procs.push(...procs);
    const keyFile = join(dir, 'tecton-api-key');
    writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
    mkdirSync(join(dir, 'vm'));
    const engine = (running.engine = await startVictoriaMetrics(binary, join(dir, 'vm'), ['global:', '  scrape_interval: 1s', scrapeJob(ports, keyFile), ''].join('\n')));
    const client = (running.client = new PrometheusClient({ url: engine.url, timeoutMs: 5000 }));
    await until('VictoriaMetrics to store all three instances', async () => (await client.query('count(up == 1)', Date.now() / 1000))[0]?.value === 3, 30_000, () => engine.proc.output().slice(-2000));
    const fleet = omenServe(['--source', 'prometheus', '--prometheus-url', engine.url, '--data-dir', dataDir, '--window', WINDOW, '--cache-ttl', '1s']);
    running.procs.push(fleet);
    const fleetPort = await portOf(fleet);
    await new Promise((resolve) => setTimeout(resolve, 21_000)); // a full window everywhere

    const auth = { Authorization: `Tecton-key ${apiKey}` };
    const now = Date.now() / 1000;
    const [direct, fleetAnswer, ...localAnswers] = await Promise.all([
      directQueries((expr) => client.query(expr, now), WINDOW),
      get(fleetPort, METRICS_PATH, auth),
      ...ports.map((port) => get(port, METRICS_PATH, auth)),
    ]);
    assert.is(fleetAnswer!.status, 200, fleetAnswer!.text);
    const failures = compareFleet({ locals: localAnswers.map((answer) => seriesOf(answer.text)), fleet: seriesOf(fleetAnswer!.text), groups, direct });
    assert.equal(failures, [], failures.join('\n'));
    const helps = [...fleetAnswer!.text.matchAll(/^# HELP (\S+) (.*)$/gm)].map((m) => [m[1], m[2]]);
    assert.equal(helps, catalog.metrics.map((metric) => [metric.name, helpText(metric)]));
  });
}

test.run();

// Fleet mode: how long a Metrics API scrape takes when the catalog comes from a real Prometheus. Synthetic
// instances (raw series fed on a timer, one process, one port each) are scraped every second; FleetSource then
// answers scrapes cold (every one evaluates all catalog queries) and cached (one evaluation shared). p50/p99.
import type { Server } from 'node:http';
import type { GroupResult, Row } from './report.js';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_0_7 } from '../lib/catalog/catalog-0.7.js';
import { loadCatalog } from '../lib/catalog/catalog.js';
import { RawSeries } from '../lib/catalog/raw-series.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { FleetSource } from '../lib/fleet/fleet-source.js';
import { PrometheusClient } from '../lib/fleet/prometheus-client.js';
import { Registry } from '../lib/registry.js';
import { findOnPath, freePort } from '../spec/support/processes.js';
import { quantile } from './harness.js';

const WINDOW_MS = 10_000;
const COLD_SCRAPES = 40;
const CACHED_SCRAPES = 2000;

interface Fleet {
  servers: Server[];
  ports: number[];
  feed: NodeJS.Timeout;
}

export async function fleetGroup(): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const prometheus = findOnPath('prometheus');
  if (prometheus === undefined) {
    notes.push('Skipped: no "prometheus" binary on PATH (apt-get install -y prometheus).');
    return { group: 'fleet', title: 'Fleet mode: Metrics API scrapes evaluated on Prometheus', rows, notes };
  }
  for (const [instances, services] of [[3, 3], [20, 100]] as const) {
    const measured = await scenario(prometheus, instances, services);
    const name = `${instances} instances × ${services} feature services`;
    for (const [kind, samples] of [['cold', measured.cold], ['cached', measured.cached]] as const) {
      for (const p of [0.5, 0.99]) {
        rows.push({ operation: `fleet scrape, ${name}, ${kind}, p${p * 100}`, unit: 'ms', omen: { value: quantile(samples, p) }, ratio: '—', goal: '—', met: undefined });
      }
    }
    notes.push(`${name}: ${measured.series} catalog series and ${measured.bytes} bytes per answer; ${measured.queries} queries per evaluation.`);
  }
  notes.push(`Cold: FleetSource with a 0 s cache, so each scrape evaluates every catalog query on Prometheus 2.42 (concurrently, one time=) and serializes; ${COLD_SCRAPES} scrapes. Cached: a 60 s cache, ${CACHED_SCRAPES} scrapes; the serialized answer is reused. Measured in process (source.scrape), without the HTTP hop; ${WINDOW_MS / 1000} s window, scrapes every 1 s.`);
  return { group: 'fleet', title: 'Fleet mode: Metrics API scrapes evaluated on Prometheus', rows, notes };
}

async function scenario(binary: string, instances: number, services: number): Promise<{ cold: number[]; cached: number[]; series: number; bytes: number; queries: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'omen-bench-fleet-'));
  const fleet = await startFleet(instances, services);
  const port = await freePort();
  mkdirSync(join(dir, 'tsdb'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', 'scrape_configs:', '  - job_name: bench', `    static_configs: [{targets: [${fleet.ports.map((p) => `'127.0.0.1:${p}'`).join(', ')}]}]`, ''].join('\n'),
  );
  const child = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const client = new PrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 30_000 });
  try {
    const deadline = Date.now() + 60_000;
    while ((await client.query('count(up == 1)', Date.now() / 1000).catch(() => []))[0]?.value !== instances) {
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape every synthetic instance within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // a few samples per series, so rates exist
    const catalog = loadCatalog(CATALOG_0_7);
    const cold = new FleetSource({ engine: client, engineName: 'prometheus', catalog, windowMs: WINDOW_MS, cacheTtlMs: 0 });
    const first = await cold.scrape(PROMETHEUS);
    const coldTimes = await timed(COLD_SCRAPES, () => cold.scrape(PROMETHEUS));
    const cached = new FleetSource({ engine: client, engineName: 'prometheus', catalog, windowMs: WINDOW_MS, cacheTtlMs: 60_000 });
    await cached.scrape(PROMETHEUS);
    const cachedTimes = await timed(CACHED_SCRAPES, () => cached.scrape(PROMETHEUS));
    const series = first.toString().split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
    return { cold: coldTimes, cached: cachedTimes, series, bytes: first.length, queries: cold.queries.length };
  } finally {
    client.close();
    clearInterval(fleet.feed);
    await Promise.all(fleet.servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `instances` raw registries, each on its own port, fed every 250 ms with traffic on `services` services. */
async function startFleet(instances: number, services: number): Promise<Fleet> {
  const servers: Server[] = [];
  const ports: number[] = [];
  const raws: RawSeries[] = [];
  for (let i = 0; i < instances; i++) {
    const registry = new Registry();
    const raw = new RawSeries(registry, { region: 'us-west-2', serverGroup: `group-${i % 2}`, busy: 'reports' });
    raws.push(raw);
    const server = createServer((_req, res) => {
      void registry.scrape(PROMETHEUS).then((body) => res.writeHead(200, { 'Content-Type': PROMETHEUS.contentType }).end(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  const feed = setInterval(() => {
    const now = Date.now();
    for (const raw of raws) {
      for (let s = 0; s < services; s++) raw.getFeatures(undefined, `fs-${s}`, `service_${s}`, s % 40 === 0 ? 404 : 200, 1, 0.0002 + (s % 10) * 0.0001);
      raw.busy(20, 'us-west-2');
      raw.ingest(undefined, 200, 0.002);
      raw.sparkBatch(['prod', 'clicks', 'fv-1'], { processedAtMs: now, minMs: now - 3000, avgMs: now - 1500, maxMs: now - 100, numInputRows: 10, inputRowsPerSecond: 40, processedRowsPerSecond: 4000, rowsWritten: 10 });
    }
  }, 250);
  return { servers, ports, feed };
}

async function timed(n: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}


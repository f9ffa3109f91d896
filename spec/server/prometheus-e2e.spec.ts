// End to end with a real Prometheus: our server on 127.0.0.1:0 with a fresh data dir and service
// account, traffic through the instrumentation API, and Prometheus (Debian's `prometheus` package)
// scraping it every second with examples/prometheus/prometheus.yml, until every catalog metric is stored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpositionFormat, FormatId } from '../../lib/exposition/formats.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { Registry } from '../../lib/registry.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { LiveKeyIndex } from '../../lib/server/key-index.js';
import { MetricsServer } from '../../lib/server/server.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';
import { tempDir, waitFor } from './harness.js';

const EXAMPLE = new URL('../../../examples/prometheus/prometheus.yml', import.meta.url);
const BOUND_MS = 60_000;

const binary = findOnPath('prometheus');

if (binary === undefined) {
  console.log('prometheus-e2e: skipped: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('a real Prometheus scrapes every catalog metric with a Tecton-key');
} else {
  test('a real Prometheus scrapes every catalog metric with a Tecton-key', async () => {
    const dir = tempDir('omen-e2e-');
    const registry = new Registry();
    const metrics = instrumentCatalog(registry, { region: 'us-west-2' });
    const formats = new Set<FormatId>();
    const store = new ServiceAccountStore(join(dir, 'data'));
    const { apiKey } = await store.create({ name: 'prometheus', description: 'e2e' });
    const keys = await new LiveKeyIndex(store).start();
    const server = new MetricsServer({
      source: { scrape: (format: ExpositionFormat) => (formats.add(format.id), registry.scrape(format)) },
      keys,
    });
    let prometheus: ChildProcess | undefined;
    let log = '';
    try {
      const { port } = await server.listen();
      feedEveryMetric(metrics);
      const keyFile = join(dir, 'tecton-api-key');
      writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
      const config = readFileSync(EXAMPLE, 'utf8')
        .replaceAll('scrape_interval: 30s', 'scrape_interval: 1s')
        .replace('scrape_timeout: 10s', 'scrape_timeout: 1s')
        .replace('/etc/prometheus/tecton-api-key', keyFile)
        .replace("'127.0.0.1:8080'", `'127.0.0.1:${port}'`);
      assert.ok(config.includes(keyFile) && config.includes(`127.0.0.1:${port}`), 'the example has the expected placeholders');
      writeFileSync(join(dir, 'prometheus.yml'), config);
      mkdirSync(join(dir, 'tsdb'));
      const web = `127.0.0.1:${await freePort()}`;
      prometheus = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=${web}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      prometheus.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
      const api = async <T>(path: string): Promise<T | undefined> => {
        const res = await fetch(`http://${web}${path}`).catch(() => undefined);
        return res?.ok === true ? ((await res.json()) as { data: T }).data : undefined;
      };
      const query = (promql: string) => api<QueryData>(`/api/v1/query?query=${encodeURIComponent(promql)}`);

      let health = '';
      await waitFor(
        'Prometheus to report the target up',
        async () => {
          const targets = await api<{ activeTargets?: { health: string; lastError?: string }[] }>('/api/v1/targets');
          const target = targets?.activeTargets?.[0];
          health = `${target?.health} ${target?.lastError ?? ''}`;
          return target?.health === 'up';
        },
        BOUND_MS,
      ).catch((error: Error) => assert.unreachable(`${error.message} (last: ${health})\n${log}`));
      assert.is((await query('up'))?.result[0]?.value[1], '1');

      const wanted = CATALOG_0_7.metrics.map((metric) => metric.name).sort();
      let stored: string[] = [];
      await waitFor(
        'every catalog metric in Prometheus',
        async () => {
          const result = (await query('count by (__name__)({__name__=~"feature_.*|spark_.*|stream_.*"})'))?.result ?? [];
          stored = result.map((series) => series.metric.__name__ ?? '');
          return wanted.every((name) => stored.includes(name));
        },
        BOUND_MS,
      ).catch(() => assert.unreachable(`missing: ${wanted.filter((name) => !stored.includes(name)).join(', ')}\n${log}`));
      assert.ok(formats.has('openmetrics'), 'Prometheus negotiated OpenMetrics and ingested it');
      const rate = await query('feature_service_requests_total_rate{aws_region="us-west-2"}');
      assert.ok(Number(rate?.result[0]?.value[1]) > 0, 'the request rate arrived with its label and a positive value');
    } finally {
      if (prometheus !== undefined) await stopChild(prometheus);
      keys.stop();
      await server.close(1000);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The part of Prometheus' instant-query answer the spec reads. */
interface QueryData {
  result: { metric: Record<string, string>; value: [number, string] }[];
}

/** One record of every kind, so each of the 17 metrics has a series. */
function feedEveryMetric(metrics: ReturnType<typeof instrumentCatalog>): void {
  const view = { workspace: 'prod', featureViewName: 'user_clicks', featureViewId: 'fv-1' };
  for (let i = 0; i < 50; i++) {
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud_detection', latencySeconds: 0.005 + i / 1000, status: i % 10 === 0 ? 500 : 200 });
    metrics.recordIngest({ latencySeconds: 0.02, status: i % 5 === 0 ? 503 : 200, rowsByFeatureView: [{ ...view, onlineRows: 3, offlineRows: 3 }] });
  }
  const now = Date.now();
  metrics.recordStreamProgress({
    ...view,
    numInputRows: 120,
    inputRowsPerSecond: 12,
    processedRowsPerSecond: 300,
    eventTime: { min: new Date(now - 40_000).toISOString(), avg: new Date(now - 20_000).toISOString(), max: new Date(now - 2_000).toISOString() },
    rowsWritten: 120,
  });
}




test.run();

// A real Prometheus (Debian's 2.42) scrapes collectDefaultMetrics through metricsHandler with a bearer
// token, and stores every prom-client default family (histograms as _bucket, _sum, _count).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsHandler } from '../../lib/http/metrics-handler.js';
import { Registry } from '../../lib/registry.js';
import { collectDefaultMetrics } from '../../lib/runtime/default-metrics.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';

const FIXTURE = new URL('../../../fixtures/prom-client-default-metrics.txt', import.meta.url);
const BOUND_MS = 60_000;
const binary = findOnPath('prometheus');

// Grouped by type, these have no series while nothing of theirs is active (as in prom-client): an idle test
// process has no libuv request in flight, so Prometheus has nothing to store for it.
const MAY_BE_EMPTY = ['nodejs_active_requests'];

/** The series names Prometheus stores for each fixture family. */
const wanted = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .flatMap((line) => {
    const [name = '', type = ''] = line.split(' ');
    return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  })
  .filter((name) => !MAY_BE_EMPTY.includes(name))
  .sort();

if (binary === undefined) {
  console.log('prometheus-default-metrics: skipped: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('a real Prometheus stores every default runtime family');
} else {
  test('a real Prometheus stores every default runtime family', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omen-runtime-e2e-'));
    const registry = new Registry();
    const defaults = collectDefaultMetrics(registry);
    const token = 'runtime-e2e-token';
    const server = createServer(metricsHandler(registry, { auth: { scheme: 'Bearer', credentials: token } }));
    let prometheus: ChildProcess | undefined;
    let log = '';
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, scrape_timeout: 1s }',
          'scrape_configs:',
          '  - job_name: runtime',
          `    authorization: { type: Bearer, credentials: ${token} }`,
          `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
          '',
        ].join('\n'),
      );
      const web = `127.0.0.1:${await freePort()}`;
      prometheus = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=${web}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      prometheus.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
      let stored: string[] = [];
      const deadline = Date.now() + BOUND_MS;
      while (Date.now() < deadline) {
        const query = encodeURIComponent('count by (__name__)({__name__=~"process_.*|nodejs_.*"})');
        const res = await fetch(`http://${web}/api/v1/query?query=${query}`).catch(() => undefined);
        if (res?.ok === true) {
          const body = (await res.json()) as { data: { result: { metric: { __name__?: string } }[] } };
          stored = body.data.result.map((series) => series.metric.__name__ ?? '');
          if (wanted.every((name) => stored.includes(name))) break;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const missing = wanted.filter((name) => !stored.includes(name));
      if (missing.length > 0) {
        const targets = await fetch(`http://${web}/api/v1/targets`).then((res) => res.text()).catch(() => '');
        assert.unreachable(`not stored: ${missing.join(', ')}\ntargets: ${targets.slice(0, 1500)}\n${log}`);
      }
    } finally {
      if (prometheus !== undefined) await stopChild(prometheus);
      defaults.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();

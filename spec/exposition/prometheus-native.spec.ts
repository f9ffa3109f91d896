// Debian's Prometheus 2.42 scraping a library server: with --enable-feature=native-histograms it asks for protobuf
// and stores the histogram as native (count and sum exact, p99 within one schema-3 bucket of the exact p99);
// without the flag it scrapes text and stores the classic series. The Accept headers it sent are checked against
// negotiateFormat, and `omen scrape --format protobuf` reads Prometheus' own client_golang protobuf output.
// Each Prometheus runs on 127.0.0.1 on a free port with temporary dirs and is stopped by PID; skipped when absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { negotiateFormat } from '../../lib/exposition/negotiate.js';
import { Registry } from '../../lib/registry.js';
import { metricsRoute } from '../../lib/server/metrics-route.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';
import { prng } from '../support/prng.js';

/** Safety bounds on start-up and on waiting for the first scrapes, not measurements. */
const START_MS = 10_000;
const SCRAPED_MS = 20_000;
const N = 5000;
const NAME = 'omen_latency_seconds';

interface Instance {
  child: ChildProcess;
  dir: string;
  api: string;
}

const binary = findOnPath('prometheus');
const accepts: string[] = [];
let server: Server | undefined;
let native: Instance | undefined;
let classic: Instance | undefined;
let exactSum = 0;
let exactP99 = 0;

async function start(job: string, target: string, flags: string[]): Promise<Instance> {
  const dir = mkdtempSync(join(tmpdir(), `omen-prom-${job}-`));
  const config = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']\n`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const listen = `127.0.0.1:${await freePort()}`;
  const child = spawn(binary!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${listen}`, ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const bound = setTimeout(() => reject(new Error(`prometheus (${job}) not ready within ${START_MS} ms:\n${log}`)), START_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      if (log.includes('Server is ready to receive web requests')) {
        clearTimeout(bound);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(bound);
      reject(new Error(`prometheus (${job}) exited with ${code}:\n${log}`));
    });
  });
  return { child, dir, api: `http://${listen}` };
}

interface VectorItem {
  metric: Record<string, string>;
  value?: [number, string];
  histogram?: [number, { count: string; sum: string }];
}

async function query(instance: Instance, promql: string): Promise<VectorItem[]> {
  const response = await fetch(`${instance.api}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data: { result: VectorItem[] }; error?: string };
  if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
  return body.data.result;
}

/** Polls until `promql` returns something, within SCRAPED_MS. */
async function eventually(instance: Instance, promql: string): Promise<VectorItem[]> {
  const deadline = Date.now() + SCRAPED_MS;
  for (;;) {
    const result = await query(instance, promql);
    if (result.length > 0) return result;
    if (Date.now() > deadline) throw new Error(`no result for ${promql} within ${SCRAPED_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

if (binary === undefined) {
  console.log('prometheus-native: skipped: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('Prometheus 2.42 stores a library histogram as native with the feature flag, classic without');
} else {
  test.before(async () => {
    const registry = new Registry();
    const histogram = registry.histogram({ name: NAME, help: 'Seeded latencies.', native: true });
    const random = prng(42);
    const values: number[] = [];
    for (let i = 0; i < N; i++) values.push(0.001 * 20_000 ** random()); // log-uniform 1 ms .. 20 s
    for (const v of values) histogram.observe(v);
    exactSum = histogram.labels().sum;
    values.sort((a, b) => a - b);
    exactP99 = values[Math.ceil(0.99 * N) - 1]!;
    const route = metricsRoute(registry);
    server = createServer((req, res) => {
      accepts.push(req.headers.accept ?? '');
      void route({ req, res, url: new URL(req.url ?? '/', 'http://localhost'), body: Buffer.alloc(0), account: undefined });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    [native, classic] = await Promise.all([start('native', target, ['--enable-feature=native-histograms']), start('classic', target, [])]);
  });

  test.after(async () => {
    for (const instance of [native, classic]) {
      if (instance === undefined) continue;
      await stopChild(instance.child, START_MS);
      rmSync(instance.dir, { recursive: true, force: true });
    }
    await new Promise((resolve) => server?.close(resolve));
  });

  test('with native histograms: histogram_count and histogram_sum are exact', async () => {
    const [count] = await eventually(native!, `histogram_count(${NAME})`);
    assert.is(Number(count!.value![1]), N);
    const [sum] = await query(native!, `histogram_sum(${NAME})`);
    assert.is(Number(sum!.value![1]), exactSum);
    const [raw] = await query(native!, NAME);
    assert.ok(raw?.histogram !== undefined, `${NAME} is stored as a native histogram`);
  });

  test('with native histograms: histogram_quantile(0.99) is within one schema-3 bucket width of the exact p99', async () => {
    const [p99] = await eventually(native!, `histogram_quantile(0.99, ${NAME})`);
    const estimate = Number(p99!.value![1]);
    const width = 2 ** (2 ** -3) - 1; // relative width of a schema-3 bucket, ~9.05 %
    assert.ok(Math.abs(estimate / exactP99 - 1) <= width, `p99 ${estimate} vs exact ${exactP99}`);
  });

  test('with native histograms the classic buckets are not stored (Prometheus 2.42 keeps one or the other)', async () => {
    await eventually(native!, `histogram_count(${NAME})`);
    assert.equal(await query(native!, `${NAME}_bucket`), []);
  });

  test('without the flag the text scrape stores the classic series', async () => {
    const buckets = await eventually(classic!, `${NAME}_bucket`);
    assert.is(buckets.length, 12); // 11 default bounds and +Inf
    const [count] = await query(classic!, `${NAME}_count`);
    assert.is(Number(count!.value![1]), N);
    const [sum] = await query(classic!, `${NAME}_sum`);
    assert.is(Number(sum!.value![1]), exactSum);
  });

  test('the Accept headers each Prometheus sent negotiate to protobuf (flag on) and OpenMetrics (flag off)', async () => {
    await eventually(native!, `histogram_count(${NAME})`);
    await eventually(classic!, `${NAME}_count`);
    const formats = new Set(accepts.map((accept) => negotiateFormat(accept).id));
    assert.equal([...formats].sort(), ['openmetrics', 'protobuf']);
    const protobufFirst = accepts.find((accept) => accept.startsWith('application/vnd.google.protobuf'));
    assert.ok(protobufFirst !== undefined, `headers seen: ${[...new Set(accepts)].join(' | ')}`);
  });

  test("omen scrape --format protobuf reads Prometheus' own /metrics (client_golang's protobuf)", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {}, cwd: tmpdir() };
    const code = await main(['scrape', `${native!.api}/metrics`, '--format', 'protobuf'], io);
    assert.is(code, 0, `${out.join('\n')}\n${err.join('\n')}`);
    assert.match(out.join('\n'), /^prometheus_build_info\s+gauge\s+1\s+1$/m);
    assert.match(out.join('\n'), /^\d+ families, \d+ series, \d+ samples \(protobuf, \d+ bytes\)$/m);
  });
}

test.run();

import type { Worker } from 'node:cluster';
import type { FamilyModel } from '../../lib/exposition/model.js';
import cluster from 'node:cluster';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClusterRegistry } from '../../lib/cluster/primary.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { formatCanonical } from '../../lib/exposition/numbers.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { DEFAULT_TARGETS } from '../../lib/quantile/targets.js';
import { Registry } from '../../lib/registry.js';
import { stopChild } from '../support/processes.js';
import { LATENCY_BUCKETS, SLOT_SECONDS, WORKERS, workload } from './workload.js';

const loads = Array.from({ length: WORKERS }, (_, i) => workload(i));
const workers: Worker[] = [];

function value(families: FamilyModel[], sample: string, labels: Array<readonly [string, string]> = []): number | undefined {
  for (const family of families) {
    for (const s of family.samples) {
      if (s.name === sample && JSON.stringify(s.labels) === JSON.stringify(labels)) return s.value;
    }
  }
  return undefined;
}

function waitFor(worker: Worker, spec: string): Promise<{ spec: string; text?: string }> {
  return new Promise((resolve) => {
    const listener = (message: { spec?: string; text?: string }): void => {
      if (message?.spec !== spec) return;
      worker.off('message', listener);
      resolve(message as { spec: string; text?: string });
    };
    worker.on('message', listener);
  });
}

/** Each worker's own registry scraped by itself, in worker order. */
function ownScrapes(): Promise<FamilyModel[][]> {
  return Promise.all(workers.map(async (worker) => {
    const answer = waitFor(worker, 'own-scrape');
    worker.send({ spec: 'own-scrape' });
    return parse(Buffer.from((await answer).text!), { format: 'openmetrics' });
  }));
}

/** How far `v`'s rank interval in the sorted `union` lies from q·N (0 when q·N falls inside it). */
function rankError(union: readonly number[], v: number, q: number): number {
  const below = union.filter((x) => x < v).length;
  const atOrBelow = union.filter((x) => x <= v).length;
  const t = q * union.length;
  return t < below + 1 ? below + 1 - t : t > atOrBelow ? t - atOrBelow : 0;
}

async function scrape(registry: ClusterRegistry): Promise<FamilyModel[]> {
  // The strict OpenMetrics parser must accept every merged scrape.
  return parse(await registry.scrape(OPENMETRICS), { format: 'openmetrics' });
}

test.before(async () => {
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./fixtures/cluster-worker.js', import.meta.url)) });
  for (let i = 0; i < WORKERS; i++) {
    const worker = cluster.fork({ OMEN_WORKER_INDEX: String(i) });
    workers.push(worker);
    await waitFor(worker, 'ready');
  }
});

test.after(async () => {
  await Promise.all(
    workers.filter((worker) => !worker.isDead()).map((worker) => new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.process.kill('SIGTERM');
    })),
  );
});

test('counter totals and histogram buckets are exact sums over the four workers', async () => {
  const families = await scrape(new ClusterRegistry());
  assert.is(value(families, 'omen_cluster_processes'), WORKERS);
  assert.is(value(families, 'omen_cluster_workers_missing'), 0);
  for (const kind of ['a', 'b']) {
    const expected = loads.reduce((sum, load) => sum + (load.jobs[kind] ?? 0), 0);
    assert.is(value(families, 'jobs_total', [['kind', kind]]), expected, `jobs_total{kind="${kind}"}`);
  }
  const all = loads.flatMap((load) => load.latencies);
  for (const bound of [...LATENCY_BUCKETS, Infinity]) {
    const le = formatCanonical(bound);
    assert.is(value(families, 'latency_seconds_bucket', [['le', le]]), all.filter((v) => v <= bound).length, `le=${le}`);
  }
  assert.is(value(families, 'latency_seconds_count'), all.length);
  assert.ok(Math.abs(value(families, 'latency_seconds_sum')! - all.reduce((a, b) => a + b, 0)) < 1e-9);
  assert.is(value(families, 'inflight'), loads.reduce((sum, load) => sum + load.inflight, 0), 'gauges sum by default');
  assert.is(value(families, 'build_info', [['version', '1.0']]), 1);
  assert.is(value(families, 'collected_events_total', [['source', 'queue']]), WORKERS * (WORKERS + 1) / 2, 'collectors\' families add too');
});

test('every merged summary quantile ranks within the stated bound in the union of all workers\' values', async () => {
  const families = await scrape(new ClusterRegistry());
  const own = await ownScrapes();
  const verbose: string[] = [];
  for (const shape of ['shards', 'ranges'] as const) {
    const union = loads.flatMap((load) => load.sizes[shape]).sort((a, b) => a - b);
    const n = union.length;
    assert.is(value(families, 'size_bytes_count', [['shape', shape]]), n);
    for (const { q, error } of DEFAULT_TARGETS) {
      const quantile = [['shape', shape], ['quantile', String(q)]] as const;
      // README "Cluster aggregation": the merge is within 2εN·q/(q − ε) of q·N, plus one for rank rounding.
      const bound = (2 * error * n * q) / (q - error) + 1;
      const off = rankError(union, value(families, 'size_bytes', [...quantile])!, q);
      assert.ok(off <= bound, `${shape} q=${q}: merged value ranks ${off} from q·N, over the bound ${bound}`);
      const averaged = own.reduce((sum, f) => sum + value(f, 'size_bytes', [...quantile])!, 0) / WORKERS;
      verbose.push(`${shape} q=${q}: merged ${(off / (error * n)).toFixed(2)}εN, averaged ${(rankError(union, averaged, q) / (error * n)).toFixed(2)}εN`);
      if (shape === 'ranges' && q > 0.5) assert.ok(rankError(union, averaged, q) > bound, `${shape} q=${q}: averaging the workers' quantiles would miss the bound`);
    }
  }
  if (process.env.OMEN_SPEC_VERBOSE) console.log(verbose.join('\n'));
});

test('a windowed rate is the sum of the workers\' own rates; a ratio is recomputed from summed parts', async () => {
  const families = await scrape(new ClusterRegistry());
  const own = await ownScrapes();
  const ownRates = own.map((f) => value(f, 'requests_rate')!);
  assert.equal(ownRates, loads.map((load) => load.requests / SLOT_SECONDS), 'each worker reads its own rate');
  assert.is(value(families, 'requests_rate'), ownRates.reduce((a, b) => a + b, 0));
  const errors = loads.reduce((sum, load) => sum + load.errors, 0);
  const total = loads.reduce((sum, load) => sum + load.total, 0);
  assert.is(value(families, 'errors_ratio', [['code', '500']]), (errors * 100) / total);
  const averageOfRatios = own.reduce((sum, f) => sum + value(f, 'errors_ratio', [['code', '500']])!, 0) / WORKERS;
  assert.ok(Math.abs(averageOfRatios - (errors * 100) / total) > 1, 'the workload tells a recomputed ratio from an averaged one');
  const ages = loads.flatMap((load) => load.ages);
  assert.is(value(families, 'age_max'), Math.max(...ages));
  assert.is(value(families, 'age_avg'), ages.reduce((a, b) => a + b, 0) / ages.length);
  const busy = loads.reduce((sum, load) => sum + load.busyMs, 0);
  assert.is(value(families, 'busy_percent'), (busy * 100) / (WORKERS * SLOT_SECONDS * 1000));
});

test('gauge aggregation follows the per-family rule; Prometheus text is written too', async () => {
  const primary = new Registry();
  primary.counter({ name: 'primary_restarts', help: 'Worker restarts.' }).inc(2);
  const registry = new ClusterRegistry({ aggregate: { inflight_peak: 'max', inflight: 'omit' }, registry: primary });
  const families = await scrape(registry);
  assert.is(value(families, 'primary_restarts_total'), 2, 'the primary\'s own registry is merged in');
  assert.is(value(families, 'omen_cluster_processes'), WORKERS + 1);
  assert.is(value(families, 'inflight_peak'), Math.max(...loads.map((load) => load.inflight)));
  assert.is(families.find((family) => family.name === 'inflight'), undefined);
  const text = parse(await registry.scrape(PROMETHEUS), { format: 'prometheus' });
  assert.is(value(text, 'jobs_total', [['kind', 'a']]), 100);
  assert.throws(() => new ClusterRegistry({ aggregate: { x: 'median' as never } }), /aggregate for "x" is "median"; use one of sum, max/);
});

test('a worker that stops answering is left out and counted as missing', async () => {
  const silent = workers[1]!;
  const stopped = waitFor(silent, 'silent');
  silent.send({ spec: 'go-silent' });
  await stopped;
  const families = await scrape(new ClusterRegistry({ timeoutMs: 300 }));
  assert.is(value(families, 'omen_cluster_workers_missing'), 1);
  assert.is(value(families, 'omen_cluster_processes'), WORKERS - 1);
  const expected = loads.filter((_, i) => i !== 1).reduce((sum, load) => sum + load.jobs.a!, 0);
  assert.is(value(families, 'jobs_total', [['kind', 'a']]), expected);
});

test('killing a worker mid-scrape leaves the scrape valid, and the exited worker is forgotten', async () => {
  const registry = new ClusterRegistry({ timeoutMs: 1000 });
  const victim = workers[3]!;
  const exited = new Promise<void>((resolve) => victim.once('exit', () => resolve()));
  const during = registry.scrape(OPENMETRICS);
  victim.process.kill('SIGKILL');
  parse(await during, { format: 'openmetrics' });
  await exited;
  const families = await scrape(registry);
  // Worker 1 is still silent, worker 3 is gone: only workers 0 and 2 answer, and nothing waits for 3.
  assert.is(value(families, 'omen_cluster_workers_missing'), 1);
  assert.is(value(families, 'omen_cluster_processes'), 2);
  assert.is(value(families, 'jobs_total', [['kind', 'a']]), loads[0]!.jobs.a! + loads[2]!.jobs.a!);
  assert.is(value(families, 'jobs_total', [['kind', 'b']]), loads[0]!.jobs.b! + loads[2]!.jobs.b!);
});

test('any parent with IPC children works the same: a child_process.fork() child as the only worker', async () => {
  const child = fork(fileURLToPath(new URL('./fixtures/cluster-worker.js', import.meta.url)), { env: { ...process.env, OMEN_WORKER_INDEX: '2' } });
  try {
    await new Promise<void>((resolve) => child.on('message', (message: { spec?: string }) => message?.spec === 'ready' && resolve()));
    const families = await scrape(new ClusterRegistry({ workers: () => [child] }));
    assert.is(value(families, 'omen_cluster_processes'), 1);
    assert.is(value(families, 'jobs_total', [['kind', 'a']]), loads[2]!.jobs.a);
  } finally {
    await stopChild(child);
  }
});

test.run();

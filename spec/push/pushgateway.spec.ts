// pushToGateway and `omen push` against a real Prometheus Pushgateway (Debian's prometheus-pushgateway),
// started on a free loopback port with persistence off, read back through its own /metrics with the strict
// parser: PUT replaces the group, POST merges into it, DELETE removes it, grouping values with `/` included.
import type { ChildProcess } from 'node:child_process';
import type { FamilyModel } from '../../lib/exposition/model.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../lib/cli.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { pushToGateway, PushError } from '../../lib/push/push.js';
import { Registry } from '../../lib/registry.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';

const binary = findOnPath('prometheus-pushgateway');
let gateway: ChildProcess | undefined;
let base = '';
let dir = '';

/** The gateway's /metrics, parsed strictly as the Prometheus text it serves. */
async function gatewayMetrics(): Promise<FamilyModel[]> {
  const response = await fetch(`${base}/metrics`);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parse(Buffer.from(await response.arrayBuffer()), { format: 'prometheus' });
}

/** Values of `sample` whose labels include every pair of `having`, keyed by their full label set. */
function find(families: FamilyModel[], sample: string, having: Record<string, string>): number[] {
  const values: number[] = [];
  for (const family of families) {
    for (const s of family.samples) {
      if (s.name !== sample) continue;
      const labels = Object.fromEntries(s.labels);
      if (Object.entries(having).every(([k, v]) => labels[k] === v)) values.push(s.value);
    }
  }
  return values;
}

async function ready(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the Pushgateway did not get ready at ${url} within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), stdin: Readable.from([]), env: {}, cwd: dir };
  return main(['push', ...args], io).then((code) => ({ code, out, err }));
}

if (binary === undefined) {
  console.log('pushgateway: skipped: no "prometheus-pushgateway" binary on PATH (apt-get install -y prometheus-pushgateway)');
  test.skip('pushes to a real Pushgateway');
} else {
  test.before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omen-push-'));
    const listen = `127.0.0.1:${await freePort()}`;
    base = `http://${listen}`;
    gateway = spawn(binary, [`--web.listen-address=${listen}`, '--persistence.file=', '--log.level=warn'], { stdio: 'ignore' }); // it logs refused pushes, which one test makes on purpose
    await ready(`${base}/-/ready`);
  });

  test.after(async () => {
    await stopChild(gateway);
    rmSync(dir, { recursive: true, force: true });
  });

  test('PUT replaces the group; POST merges into it; DELETE removes it (grouping value with "/")', async () => {
    const group = { instance: 'batch/7' };
    const first = new Registry();
    first.counter({ name: 'rows_written', help: 'Rows.', labelNames: ['table'] }).labels('users').inc(42);
    first.gauge({ name: 'last_run_seconds', help: 'Duration.' }).set(12.5);
    assert.is((await pushToGateway(base, { job: 'nightly', groupingKey: group, registry: first })).status, 200);
    let metrics = await gatewayMetrics();
    assert.equal(find(metrics, 'rows_written_total', { job: 'nightly', instance: 'batch/7', table: 'users' }), [42]);
    assert.equal(find(metrics, 'last_run_seconds', { job: 'nightly', instance: 'batch/7' }), [12.5]);

    const second = new Registry();
    second.gauge({ name: 'last_run_seconds', help: 'Duration.' }).set(3);
    await pushToGateway(base, { job: 'nightly', groupingKey: group, registry: second, method: 'PUT' });
    metrics = await gatewayMetrics();
    assert.equal(find(metrics, 'rows_written_total', { job: 'nightly', instance: 'batch/7' }), [], 'PUT dropped the family it did not push');
    assert.equal(find(metrics, 'last_run_seconds', { job: 'nightly', instance: 'batch/7' }), [3]);

    const third = new Registry();
    third.counter({ name: 'files_read', help: 'Files.' }).inc(5);
    await pushToGateway(base, { job: 'nightly', groupingKey: group, registry: third, method: 'POST' });
    metrics = await gatewayMetrics();
    assert.equal(find(metrics, 'files_read_total', { job: 'nightly', instance: 'batch/7' }), [5]);
    assert.equal(find(metrics, 'last_run_seconds', { job: 'nightly', instance: 'batch/7' }), [3], 'POST kept the family it did not push');

    await pushToGateway(base, { job: 'nightly', groupingKey: { instance: 'other' }, registry: third });
    await pushToGateway(base, { job: 'nightly', groupingKey: group, method: 'DELETE' });
    metrics = await gatewayMetrics();
    assert.equal(find(metrics, 'push_time_seconds', { job: 'nightly', instance: 'batch/7' }), [], 'the group is gone');
    assert.equal(find(metrics, 'files_read_total', { job: 'nightly', instance: 'batch/7' }), []);
    assert.equal(find(metrics, 'files_read_total', { job: 'nightly', instance: 'other' }), [5], 'other groups stay');
  });

  test('an empty grouping value and a job with "/" travel in the base64 form', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'queue_depth', help: 'Depth.' }).set(9);
    const { url } = await pushToGateway(base, { job: 'etl/daily', groupingKey: { shard: '', region: 'eu west' }, registry });
    assert.match(url, /\/metrics\/job@base64\/ZXRsL2RhaWx5\/shard@base64\/=\/region\/eu%20west$/);
    const metrics = await gatewayMetrics();
    assert.equal(find(metrics, 'queue_depth', { job: 'etl/daily', region: 'eu west' }), [9]);
  });

  test('a refused push rejects with the status and the gateway\'s message', async () => {
    const counter = new Registry();
    counter.counter({ name: 'clash', help: 'A counter.' }).inc();
    await pushToGateway(base, { job: 'clash-a', registry: counter });
    const gauge = new Registry();
    gauge.gauge({ name: 'clash_total', help: 'A gauge of the same name.' }).set(1);
    try {
      await pushToGateway(base, { job: 'clash-b', registry: gauge });
      assert.unreachable('the gateway accepted an inconsistent type');
    } catch (error: unknown) {
      assert.instance(error, PushError);
      const push = error as PushError;
      assert.is(push.status, 400);
      assert.match(push.message, /^Pushgateway answered 400 Bad Request to PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/clash-b: /);
      assert.match(push.gatewayMessage, /clash_total/);
    }
  });

  test('omen push sends a file after validating it, and deletes the group', async () => {
    const file = join(dir, 'batch.om');
    writeFileSync(file, '# TYPE batch_rows counter\n# HELP batch_rows Rows.\nbatch_rows_total{table="t"} 17\nbatch_rows_created{table="t"} 1.7e9\n# EOF\n');
    let run = await cli([base, '--job', 'cli', '--label', 'path=/srv/in', '--file', 'batch.om']);
    assert.is(run.code, 0, run.err);
    assert.match(run.out, /PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/cli\/path@base64\/L3Nydi9pbg: 200/);
    assert.equal(find(await gatewayMetrics(), 'batch_rows_total', { job: 'cli', path: '/srv/in', table: 't' }), [17]);
    writeFileSync(join(dir, 'bad.prom'), 'batch_rows_total{table="t"} seventeen\n');
    run = await cli([base, '--job', 'cli', '--file', 'bad.prom']);
    assert.is(run.code, 1);
    assert.match(run.err, /bad\.prom:1:\d+: .*nothing was pushed/);
    run = await cli([base, '--job', 'cli', '--label', 'path=/srv/in', '--method', 'DELETE']);
    assert.is(run.code, 0, run.err);
    assert.equal(find(await gatewayMetrics(), 'batch_rows_total', { job: 'cli' }), []);
    run = await cli([base, '--job', 'cli']);
    assert.is(run.code, 2);
    assert.match(run.err, /PUT needs exactly one of --file or --scrape/);
  });

  test('omen push --scrape pushes what a live registry serves', async () => {
    const registry = new Registry();
    registry.histogram({ name: 'step_seconds', help: 'Steps.', buckets: [1, 2] }).observe(1.5);
    const { createServer } = await import('node:http');
    const server = createServer((_, response) => {
      void registry.scrape().then((bytes) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(bytes));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await cli([base, '--job', 'scraped', '--scrape', `http://127.0.0.1:${port}/metrics`, '--method', 'post']);
      assert.is(run.code, 0, run.err);
      assert.equal(find(await gatewayMetrics(), 'step_seconds_bucket', { job: 'scraped', le: '2' }), [1]);
    } finally {
      server.close();
    }
  });
}

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../lib/cli/verb.js';
import type { FamilyModel } from '../../lib/exposition/model.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { catalogVersion } from '../../lib/catalog/versions.js';
import { main } from '../../lib/cli.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { send } from '../server/harness.js';
import { freePort } from '../support/processes.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const BOUND = 20_000;

let dir: string;
let apiKey: string;

test.before.each(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omen-serve-'));
  ({ apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'spec' }));
});

test.after.each(() => rmSync(dir, { recursive: true, force: true }));

interface Serve {
  child: ChildProcess;
  output: () => string;
  line: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/** `omen serve` as a real process; output is stdout and stderr together, line by line. */
function serve(args: string[]): Serve {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const waiters: (() => void)[] = [];
  const take = (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = async (pattern: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + BOUND;
    for (;;) {
      const match = pattern.exec(text);
      if (match !== null) return match;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${text}`);
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  };
  return { child, output: () => text, line, exited };
}

const portOf = async (s: Serve) => Number((await s.line(/listening on http:\/\/127\.0\.0\.1:(\d+)\/api\/v1\/observability\/metrics/))[1]);

/**
 * A scrape held in flight: chunked body not yet finished, so the server is inside the request.
 * `Expect: 100-continue` makes the server say when it has taken the request.
 */
function heldScrape(port: number) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let onData: () => void = () => {};
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    onData();
  });
  socket.on('error', () => {});
  socket.write(`GET ${METRICS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Tecton-key ${apiKey}\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const taken = new Promise<void>((resolve) => (onData = () => received.includes('100 Continue') && resolve()));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { taken, closed, finish: () => socket.write('0\r\n\r\n') };
}

test('serve prints its URL and answers scrapes with the catalog, labelled with --region', async () => {
  chmodSync(join(dir, 'data'), 0o777); // as left by an older omen or a careless mkdir
  const s = serve(['--region', 'eu-central-1']);
  try {
    const port = await portOf(s);
    assert.is(statSync(join(dir, 'data')).mode & 0o777, 0o700, 'the data dir is ours alone again');
    const ok = await send(port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` });
    assert.is(ok.status, 200);
    assert.ok(ok.body.toString().includes('feature_service_requests_total_rate{aws_region="eu-central-1"} 0 '));
    assert.is((await send(port, 'GET', METRICS_PATH, {})).status, 401);
  } finally {
    s.child.kill('SIGTERM');
    assert.is(await s.exited, 0);
  }
});

test('SIGTERM lets an in-flight scrape complete, then the process exits 0', async () => {
  const s = serve([]);
  const port = await portOf(s);
  const scrape = heldScrape(port);
  await scrape.taken;
  s.child.kill('SIGTERM');
  await s.line(/SIGTERM: finishing 1 in-flight request/);
  scrape.finish();
  const response = await scrape.closed;
  assert.ok(response.includes('HTTP/1.1 200 OK'), response.slice(0, 300));
  assert.match(response, /\r\nConnection: close\r\n/i);
  assert.ok(response.includes('# TYPE stream_ingestapi_offline_store_write_rate gauge'), 'the whole exposition arrived');
  assert.is(await s.exited, 0);
  assert.match(s.output(), /omen serve: stopped\n/);
});

test('a second signal cuts the in-flight scrape and the exit code says so', async () => {
  const s = serve([]);
  const port = await portOf(s);
  const scrape = heldScrape(port);
  await scrape.taken;
  s.child.kill('SIGINT');
  await s.line(/SIGINT: finishing 1 in-flight request/);
  s.child.kill('SIGINT');
  const response = await scrape.closed;
  assert.not.ok(response.includes('200 OK'));
  assert.is(await s.exited, 1);
  assert.match(s.output(), /second signal: cutting in-flight requests/);
});

test('--demo starts the reference platform: its banner, and its routes answer with the demo key', async () => {
  const s = serve(['--demo']);
  try {
    const port = await portOf(s);
    const key = (await s.line(/^omen demo: API key: (\S+)$/m))[1]!;
    assert.not.ok(s.output().includes('not built'));
    const body = Buffer.from(JSON.stringify({ params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: 'user_1' } } }));
    const res = await send(port, 'POST', '/api/v1/feature-service/get-features', { Authorization: `Tecton-key ${key}`, 'Content-Type': 'application/json' }, body);
    assert.is(res.status, 200, res.body.toString());
    assert.is((await send(port, 'POST', '/api/v1/feature-service/get-features', {}, body)).status, 401, 'platform routes are authenticated');
  } finally {
    s.child.kill('SIGTERM');
    assert.is(await s.exited, 0);
  }
});

test('--catalog 0.9 and 1.1 select a built-in version; with --demo every metric of it is served with its labels', async () => {
  const s = serve(['--demo', '--catalog', '1.1']);
  try {
    const port = await portOf(s);
    await s.line(/\(catalog 1\.1, region us-west-2[,)]/);
    const key = (await s.line(/^omen demo: API key: (\S+)$/m))[1]!;
    const catalog = catalogVersion('1.1');
    // Every family has a series once the demo has answered a 404, a 400 and run a few micro-batches.
    let families: FamilyModel[] = [];
    const deadline = Date.now() + BOUND;
    for (;;) {
      const res = await send(port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${key}` });
      assert.is(res.status, 200);
      families = parse(res.body.toString(), { format: 'prometheus' });
      if (catalog.metrics.every((metric) => (families.find((f) => f.name === metric.name)?.samples.length ?? 0) > 0) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const metric of catalog.metrics) {
      const family = families.find((f) => f.name === metric.name);
      assert.ok(family !== undefined && family.samples.length > 0, `${metric.name} has no samples`);
      for (const sample of family!.samples) assert.equal(sample.labels.map(([name]) => name).filter((name) => name !== 'quantile'), [...metric.labels], sample.name);
    }
  } finally {
    s.child.kill('SIGTERM');
    assert.is(await s.exited, 0);
  }
  const nine = serve(['--catalog', '0.9']);
  try {
    const port = await portOf(nine);
    await nine.line(/\(catalog 0\.9, /);
    const text = (await send(port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` })).body.toString();
    assert.ok(text.includes('feature_service_requests_total_rate_per_server_group{aws_region="us-west-2",server_group_name="default"} 0 '), text.slice(0, 400));
    assert.not.ok(text.includes('spark_stream_min_processed_event_age'), '1.1 only');
  } finally {
    nine.child.kill('SIGTERM');
    assert.is(await nine.exited, 0);
  }
});

test('--catalog with an unknown version or a missing file exits 1 naming it; a catalog file still works', async () => {
  const unknown = serve(['--catalog', '0.8']);
  assert.is(await unknown.exited, 1);
  assert.match(unknown.output(), /unknown catalog version "0\.8": the built-in versions are 0\.7, 0\.9, 1\.1/);
  const missing = serve(['--catalog', join(dir, 'nope.json')]);
  assert.is(await missing.exited, 1);
  assert.ok(missing.output().includes(join(dir, 'nope.json')), missing.output());
  const file = join(dir, 'custom.json');
  writeFileSync(file, JSON.stringify({ ...CATALOG_0_7, version: 'custom', metrics: CATALOG_0_7.metrics.slice(0, 1) }));
  const custom = serve(['--catalog', file]);
  try {
    const port = await portOf(custom);
    await custom.line(/\(catalog custom, /);
    const text = (await send(port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` })).body.toString();
    assert.ok(text.includes('# TYPE feature_service_requests_total_rate gauge'));
    assert.not.ok(text.includes('feature_service_requests_rate{'), 'only the file\'s metrics');
  } finally {
    custom.child.kill('SIGTERM');
    assert.is(await custom.exited, 0);
  }
});

test('--demo mounts every route before the port opens: the first answer is never a 404', async () => {
  const port = await freePort();
  const s = serve(['--demo', '--port', String(port)]);
  try {
    const paths = ['/api/v1/observability/stream-progress', '/api/v1/feature-service/get-features', '/ingest'];
    let first: number[] | undefined;
    const deadline = Date.now() + BOUND;
    while (first === undefined && Date.now() < deadline && s.child.exitCode === null) {
      try {
        first = await Promise.all(paths.map(async (path) => (await send(port, 'POST', path, { 'Content-Type': 'application/json' }, Buffer.from('{}'))).status));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 2)); // not listening yet
      }
    }
    assert.equal(first, [401, 401, 401], 'each platform route refuses the keyless request; none is missing');
  } finally {
    s.child.kill('SIGTERM');
    await s.exited;
  }
});

test('serve refuses to start on a corrupt store, naming the file (exit 1)', async () => {
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'service-accounts.json'), '[1,');
  const s = serve(['--data-dir', join(dir, 'bad')]);
  assert.is(await s.exited, 1);
  assert.ok(s.output().includes(join(dir, 'bad', 'service-accounts.json')), s.output());
  assert.not.ok(s.output().includes('listening'));
});

test('serve takes only a decimal port from 0 to 65535 (exit 2 otherwise)', async () => {
  for (const port of ['70000', '65536', '-1', '', ' 80', '0x1F90', '1e3', '8080.0', '+80']) {
    const err: string[] = [];
    const io: CliIO = { out: () => {}, err: (text) => err.push(text), stdin: Readable.from([]), env: {}, cwd: dir };
    const code = await main(['serve', `--port=${port}`, '--data-dir', join(dir, 'data')], io);
    assert.is(code, 2, JSON.stringify(port));
    assert.ok(err[0]!.includes(`invalid --port ${JSON.stringify(port)}: must be a decimal number from 0 to 65535`), err[0]);
  }
});

test('serve with no accounts says how to create one', async () => {
  const s = serve(['--data-dir', join(dir, 'empty')]);
  try {
    await portOf(s);
    await s.line(/no service accounts in .* yet; create one with: omen service-account create --name NAME/);
  } finally {
    s.child.kill('SIGTERM');
    assert.is(await s.exited, 0);
  }
});

test.run();

// The access log: one JSON line per request with who authenticated (never the key or its hash), failed
// authentications with their reason and capped per second, and a reopen that follows log rotation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from '../../lib/registry.js';
import { AccessLog } from '../../lib/server/access-log.js';
import { hashApiKey } from '../../lib/server/api-key.js';
import { startServer, tempDir, waitFor, type Harness } from './harness.js';

const METRICS = '/api/v1/observability/metrics';

let dir: string;
let h: Harness | undefined;

test.before.each(() => {
  dir = tempDir('omen-access-');
});

test.after.each(async () => {
  await h?.stop();
  h = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const linesOf = (path: string): Array<Record<string, unknown>> =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

test('one line per request, good keys, bad keys and no keys alike, and none holds the key or its hash', async () => {
  const path = join(dir, 'access.log');
  const log = new AccessLog(path);
  const registry = new Registry();
  registry.gauge({ name: 'spec_value', help: 'v' }).set(1);
  h = await startServer({ source: registry, accessLog: log });
  const good = { Authorization: `Tecton-key ${h.apiKey}` };
  const requests: Array<[string, Record<string, string>, string?]> = [
    [METRICS, good],
    [METRICS, { ...good, Accept: 'application/openmetrics-text; version=1.0.0' }],
    [METRICS, good, 'HEAD'],
    [METRICS, {}],
    [METRICS, { Authorization: 'Tecton-key not-a-real-key' }],
    [METRICS, { Authorization: 'Bearer abc def' }],
    ['/healthz', {}],
    ['/nowhere?key=secret', good],
  ];
  for (const [target, headers, method] of requests) await h.get(target, headers, method);
  await waitFor('every line written', () => linesOf(path).length === requests.length);
  const lines = linesOf(path);
  assert.equal(
    lines.map((line) => [line.method, line.path, line.status, line.account ?? null, line.auth ?? null, line.format ?? null]),
    [
      ['GET', METRICS, 200, h.accountId, null, 'prometheus'],
      ['GET', METRICS, 200, h.accountId, null, 'openmetrics'],
      ['HEAD', METRICS, 200, h.accountId, null, 'prometheus'],
      ['GET', METRICS, 401, null, 'missing', null],
      ['GET', METRICS, 401, null, 'unknown', null],
      ['GET', METRICS, 401, null, 'malformed', null],
      ['GET', '/healthz', 200, null, null, null],
      ['GET', '/nowhere', 404, null, null, null],
    ],
  );
  for (const line of lines) {
    assert.type(line.time, 'string');
    assert.ok(!Number.isNaN(Date.parse(line.time as string)));
    assert.is(line.remote, '127.0.0.1');
    assert.type(line.duration_ms, 'number');
    assert.type(line.bytes, 'number');
  }
  const [scrape, , head] = lines as Array<{ bytes: number }>;
  assert.ok(head!.bytes > 0 && scrape!.bytes > head!.bytes, `a scrape's bytes include its body, a HEAD's only headers: ${scrape!.bytes} vs ${head!.bytes}`);
  const text = readFileSync(path, 'utf8');
  assert.not.ok(text.includes(h.apiKey), 'no key in the log');
  assert.not.ok(text.includes(hashApiKey(h.apiKey).toString('hex')), 'no key hash in the log');
  assert.not.ok(text.includes('not-a-real-key') || text.includes('secret'), 'no presented credentials or query strings');
});

test('failed authentications are capped per second and the number left out is written', async () => {
  let now = 1_000_000;
  const path = join(dir, 'flood.log');
  const log = new AccessLog(path, { failedAuthPerSecond: 5, now: () => now });
  const entry = { time: 't', remote: 'r', method: 'GET', path: METRICS, status: 401, bytes: 0, duration_ms: 0, auth: 'unknown' as const };
  for (let i = 0; i < 1000; i++) log.write(entry);
  log.write({ ...entry, status: 200, auth: undefined as never, account: 'a' }); // successes are never capped
  now += 1000;
  log.write(entry);
  await log.close();
  const lines = linesOf(path);
  assert.is(lines.filter((line) => line.auth === 'unknown').length, 6, 'a burst of 5, then 1 after a second');
  assert.is(lines.filter((line) => line.account === 'a').length, 1);
  assert.equal(lines.filter((line) => line.event === 'failed_auth_suppressed').map((line) => line.count), [995]);
});

test('reopen() after a rotation writes to a new file by the same name', async () => {
  const path = join(dir, 'rotated.log');
  const log = new AccessLog(path);
  const entry = { time: 't', remote: 'r', method: 'GET', path: '/healthz', status: 200, bytes: 3, duration_ms: 0 };
  log.write(entry);
  await delay(50);
  renameSync(path, `${path}.1`);
  log.reopen();
  log.write({ ...entry, status: 503 });
  await log.close();
  assert.equal(linesOf(`${path}.1`).map((line) => line.status), [200]);
  assert.equal(linesOf(path).map((line) => line.status), [503]);
});

test('a bad rate is refused naming the value', () => {
  assert.throws(() => new AccessLog(join(dir, 'x.log'), { failedAuthPerSecond: 0 }), /invalid failedAuthPerSecond 0/);
});

test.run();

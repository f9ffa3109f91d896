import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { Registry } from '../../lib/registry.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { acceptsGzip } from '../../lib/server/encoding.js';
import { HttpError } from '../../lib/server/router.js';
import type { Harness } from './harness.js';
import { send, startServer } from './harness.js';

let h: Harness;
let auth: Record<string, string>;

test.before.each(async () => {
  // A fake clock makes every scrape byte-identical, so encodings can be compared exactly.
  const registry = new Registry({ clock: new FakeClock() });
  const gauge = registry.gauge({ name: 'spec_items', help: 'items "quoted" \\ back', labelNames: ['shard'], timestamps: true });
  for (let i = 0; i < 200; i++) gauge.labels(`shard-${i}`).set(i * 1.5);
  h = await startServer({ source: registry });
  auth = { Authorization: `Tecton-key ${h.apiKey}` };
});

test.after.each(() => h.stop());

// Accept headers that real scrapers send, and the format each must get.
const SCRAPERS: [string, string | undefined, string][] = [
  ['Prometheus 2.42 (Debian 12)', 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', OPENMETRICS.contentType],
  ['Prometheus 2.30', 'application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', OPENMETRICS.contentType],
  ['Datadog openmetrics check', 'text/plain', PROMETHEUS.contentType],
  ['vmagent', 'text/plain;version=0.0.4;q=1,*/*;q=0.1', PROMETHEUS.contentType],
  ['Telegraf (protobuf first)', 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3', PROMETHEUS.contentType],
  ['Metricbeat', 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1', PROMETHEUS.contentType],
  ['curl', '*/*', PROMETHEUS.contentType],
  ['no Accept header', undefined, PROMETHEUS.contentType],
];

for (const [scraper, accept, contentType] of SCRAPERS) {
  test(`${scraper} gets ${contentType.split(';')[0]} with exactly one Content-Type`, async () => {
    const res = await h.get(METRICS_PATH, accept === undefined ? auth : { ...auth, Accept: accept });
    assert.is(res.status, 200);
    assert.is(res.headers['content-type'], contentType);
    assert.is(res.rawHeaders.filter((name) => name.toLowerCase() === 'content-type').length, 1);
    assert.is(res.headers.vary, 'Accept, Accept-Encoding');
    const body = res.body.toString();
    assert.is(body.endsWith('# EOF\n'), contentType === OPENMETRICS.contentType);
  });
}

test('gzip is sent only when asked for, and gunzips to the identity body', async () => {
  const identity = await h.get(METRICS_PATH, auth);
  const zipped = await h.get(METRICS_PATH, { ...auth, 'Accept-Encoding': 'gzip, deflate' });
  assert.is(identity.headers['content-encoding'], undefined);
  assert.is(zipped.headers['content-encoding'], 'gzip');
  assert.ok(zipped.body.length < identity.body.length / 2, 'the repetitive exposition compresses');
  assert.is(Number(zipped.headers['content-length']), zipped.body.length);
  assert.ok(gunzipSync(zipped.body).equals(identity.body));
});

test('Accept-Encoding q-values are honoured', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['identity', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['gzip;q=0.001', true],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['deflate, br', false],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['gzip;q=2', false],
  ];
  for (const [header, expected] of cases) assert.is(acceptsGzip(header), expected, String(header));
});

test('gzip;q=0 gets identity from the server', async () => {
  const res = await h.get(METRICS_PATH, { ...auth, 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.is(res.headers['content-encoding'], undefined);
  assert.ok(res.body.toString().startsWith('# HELP spec_items'));
});

test('HEAD answers the GET headers without a body', async () => {
  const get = await h.get(METRICS_PATH, { ...auth, 'Accept-Encoding': 'gzip' });
  const head = await h.get(METRICS_PATH, { ...auth, 'Accept-Encoding': 'gzip' }, 'HEAD');
  assert.is(head.status, 200);
  assert.is(head.body.length, 0);
  for (const name of ['content-type', 'content-length', 'content-encoding', 'vary']) assert.is(head.headers[name], get.headers[name], name);
});

test('other methods get 405 with Allow: GET, HEAD', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const res = await h.get(METRICS_PATH, auth, method);
    assert.is(res.status, 405, method);
    assert.is(res.headers.allow, 'GET, HEAD');
  }
});

test('unknown paths get 404, with or without a key', async () => {
  for (const path of ['/', '/metrics', '/api/v1/observability/metrics/', '/api/v1/observability']) {
    assert.is((await h.get(path, auth)).status, 404, path);
    assert.is((await h.get(path)).status, 404, path);
  }
});

test('the query string does not change the route', async () => {
  assert.is((await h.get(`${METRICS_PATH}?format=x`, auth)).status, 200);
});

test('a declared body over the limit gets 413 before it is read', async () => {
  await h.stop();
  h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxBodyBytes: 1024 } });
  auth = { Authorization: `Tecton-key ${h.apiKey}` };
  const res = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Content-Length': String(10 * 1024 * 1024) });
  assert.is(res.status, 413);
  assert.ok(res.body.toString().includes('1024-byte limit'));
});

test('a streamed (chunked) body over the limit gets 413', async () => {
  await h.stop();
  h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxBodyBytes: 1024 } });
  auth = { Authorization: `Tecton-key ${h.apiKey}` };
  const res = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(64 * 1024, 'x'));
  assert.is(res.status, 413);
  const small = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(100, 'x'));
  assert.is(small.status, 200, 'a body under the limit is read and ignored');
});

test('a scrape failure is a 500 with a short reason, and the server keeps serving', async () => {
  await h.stop();
  let fail = true;
  const source = {
    scrape: async () => {
      if (fail) throw new Error('collector exploded');
      return Buffer.from('ok_metric 1\n');
    },
  };
  h = await startServer({ source });
  auth = { Authorization: `Tecton-key ${h.apiKey}` };
  const res = await h.get(METRICS_PATH, auth);
  assert.is(res.status, 500);
  assert.is(res.body.toString(), 'scrape failed: collector exploded\n');
  fail = false;
  assert.is((await h.get(METRICS_PATH, auth)).body.toString(), 'ok_metric 1\n');
});

test('mounted routes share the auth and get their body; unauthenticated ones skip it', async () => {
  const seen: string[] = [];
  h.server.route('POST', '/api/v1/feature-service/get-features', ({ body, account, res }) => {
    seen.push(`${account?.name}:${body.toString()}`);
    res.writeHead(200).end('{}');
  });
  h.server.route('GET', '/public', ({ res, account }) => void res.writeHead(200).end(String(account)), { auth: false });
  assert.is((await send(h.port, 'POST', '/api/v1/feature-service/get-features', {}, Buffer.from('{"a":1}'))).status, 401);
  assert.is((await send(h.port, 'POST', '/api/v1/feature-service/get-features', auth, Buffer.from('{"a":1}'))).status, 200);
  assert.equal(seen, ['spec:{"a":1}']);
  assert.is((await h.get('/public')).body.toString(), 'undefined');
  assert.throws(() => h.server.route('POST', '/api/v1/feature-service/get-features', () => {}), /already mounted/);
});

test('a handler error after headers were sent cuts the stream instead of lying', async () => {
  h.server.route('GET', '/half', ({ res }) => {
    res.writeHead(200, { 'Content-Length': '100' });
    res.write('partial');
    throw new HttpError(500, 'late');
  });
  await send(h.port, 'GET', '/half', auth).then(
    (res) => assert.ok(res.body.length < 100, 'never a complete answer'),
    (error: NodeJS.ErrnoException) => assert.ok(error.code === 'ECONNRESET' || /aborted|socket hang up/.test(error.message), error.message),
  );
  assert.is((await h.get(METRICS_PATH, auth)).status, 200);
});

test.run();

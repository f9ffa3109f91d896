import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { PROTOBUF } from '../../lib/exposition/proto/format.js';
import { Registry } from '../../lib/registry.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { acceptsGzip } from '../../lib/exposition/accept-encoding.js';
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
  ['Telegraf (protobuf first)', 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3', PROTOBUF.contentType],
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
  for (const path of ['/index.html', '/metrics', '/api/v1/observability/metrics/', '/api/v1/observability']) {
    assert.is((await h.get(path, auth)).status, 404, path);
    assert.is((await h.get(path)).status, 404, path);
  }
});

test('the query string does not change the route', async () => {
  assert.is((await h.get(`${METRICS_PATH}?format=x`, auth)).status, 200);
});

/** Writes `text` on a raw socket and resolves with everything received once the server closes it or answers. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const head = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received)?.[1];
      if (head >= 0 && length !== undefined && received.length >= head + 4 + Number(length)) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
    socket.write(text);
  });
}

const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);

test('request targets: paths as sent, absolute URLs by their path, anything else 400', async () => {
  const cases: [string, number][] = [
    ['/healthz', 200],
    ['/healthz?probe=1', 200],
    ['http://example.com/healthz', 200],
    ['HTTP://EXAMPLE.COM:80/healthz?x=1', 200],
    ['http://example.com', 200], // the path is "/": the dashboard page
    ['http://example.com/x?/healthz', 404], // the query is not the path
    ['//evil/healthz', 404], // a path, never a host
    ['//healthz', 404],
    ['http://[::1', 400],
    ['*', 400],
    ['healthz', 400],
    ['ftp://example.com/healthz', 400],
  ];
  for (const [target, expected] of cases) {
    const response = await raw(h.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.is(status(response), expected, `${target}: ${response.split('\r\n')[0]}`);
  }
  const bad = await raw(h.port, 'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match(bad, /invalid request target "http:\/\/\[::1": an absolute URL that does not parse; send a path starting with "\/"/);
  assert.match(bad, /\r\nConnection: close\r\n/i);
});

test('a 404 quotes at most 200 characters of the path', async () => {
  const path = `/${'a'.repeat(10_000)}`;
  const res = await h.get(path);
  assert.is(res.status, 404);
  assert.is(res.body.toString(), `no route for "${path.slice(0, 200)}…"\n`);
});

test('a GET with a declared body gets 413 and a closed connection at once, its body never read', async () => {
  // The body is never sent: the answer must not wait for it (otherwise 150 such requests would hold 1 MiB each).
  const response = await raw(h.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n');
  assert.is(status(response), 413, response);
  assert.match(response, /\r\nConnection: close\r\n/i);
  assert.match(response, /request body of 1048576 bytes refused: GET takes no body; send none/);
  const metrics = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Content-Length': '1' }, Buffer.from('x'));
  assert.is(metrics.status, 413, 'the metrics route takes no body either');
});

test('a GET with a chunked body gets 413 at its first byte; an empty chunked body is no body', async () => {
  const full = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(64 * 1024, 'x'));
  assert.is(full.status, 413);
  const empty = await send(h.port, 'GET', METRICS_PATH, { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(0));
  assert.is(empty.status, 200);
});

test('a route that takes a body reads it up to its limit: the server default, or its own', async () => {
  await h.stop();
  h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxBodyBytes: 1024 } });
  auth = { Authorization: `Tecton-key ${h.apiKey}` };
  const sizes: number[] = [];
  const echo = ({ body, res }: { body: Buffer; res: import('node:http').ServerResponse }) => {
    sizes.push(body.length);
    res.writeHead(204).end();
  };
  h.server.route('POST', '/default', echo);
  h.server.route('POST', '/small', echo, { maxBodyBytes: 10 });
  const declared = await send(h.port, 'POST', '/default', { ...auth, 'Content-Length': String(10 * 1024 * 1024) });
  assert.is(declared.status, 413, 'refused before it is read');
  assert.match(declared.body.toString(), /request body of 10485760 bytes exceeds the 1024-byte limit/);
  assert.is((await send(h.port, 'POST', '/default', { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(64 * 1024, 'x'))).status, 413);
  assert.is((await send(h.port, 'POST', '/default', { ...auth, 'Transfer-Encoding': 'chunked' }, Buffer.alloc(1000, 'x'))).status, 204);
  assert.is((await send(h.port, 'POST', '/small', auth, Buffer.alloc(11, 'x'))).status, 413);
  assert.is((await send(h.port, 'POST', '/small', auth, Buffer.alloc(10, 'x'))).status, 204);
  assert.equal(sizes, [1000, 10]);
});

test('a route mounted with a bad body limit is refused, naming the route', () => {
  for (const maxBodyBytes of [-1, 1.5, Number.NaN]) {
    assert.throws(() => h.server.route('POST', '/x', () => {}, { maxBodyBytes }), /invalid maxBodyBytes .* for POST \/x: must be a whole number of bytes >= 0/);
  }
});

test("a route's error renderer answers the router's refusals and its handler's errors, and onRefused still counts them", async () => {
  const refused: number[] = [];
  const json = (status: number, reason: string, res: import('node:http').ServerResponse) => {
    const body = JSON.stringify({ error: reason, code: status });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
  };
  h.server.route(
    'POST',
    '/api/json',
    ({ body }) => {
      throw new HttpError(422, `cannot use ${body.toString()}`);
    },
    { maxBodyBytes: 8, renderError: json, onRefused: (code) => refused.push(code) },
  );
  const unauthenticated = await send(h.port, 'POST', '/api/json', {}, Buffer.from('{}'));
  assert.is(unauthenticated.status, 401);
  assert.is(unauthenticated.headers['content-type'], 'application/json');
  assert.is(unauthenticated.headers['www-authenticate'], 'Tecton-key', 'the challenge is kept');
  assert.match(JSON.parse(unauthenticated.body.toString()).error, /^missing Authorization header/);
  const large = await send(h.port, 'POST', '/api/json', auth, Buffer.alloc(9, 'x'));
  assert.equal([large.status, large.headers.connection, JSON.parse(large.body.toString()).code], [413, 'close', 413]);
  const handled = await send(h.port, 'POST', '/api/json', auth, Buffer.from('[1]'));
  assert.equal([handled.status, JSON.parse(handled.body.toString())], [422, { error: 'cannot use [1]', code: 422 }]);
  assert.equal(refused, [401, 413], "the handler's own error is not a refusal");
});

test('a renderer that throws or answers nothing falls back to the text answer', async () => {
  h.server.route('GET', '/throws', () => {}, { renderError: () => { throw new Error('renderer bug'); } });
  h.server.route('GET', '/silent', () => {}, { renderError: () => {} });
  for (const path of ['/throws', '/silent']) {
    const res = await h.get(path);
    assert.is(res.status, 401, path);
    assert.match(res.body.toString(), /^missing Authorization header/);
  }
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

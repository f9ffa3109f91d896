// metricsHandler on a real node:http server: negotiation, gzip, HEAD, 405, bearer and Tecton-key auth,
// a failing scrape answered 500 with a reason, and the registry's lease released after every answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricsHandlerOptions, MetricsSource } from '../../lib/http/metrics-handler.js';
import { createServer, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { metricsHandler } from '../../lib/http/metrics-handler.js';
import { Registry } from '../../lib/registry.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

async function serve<T>(source: MetricsSource, options: MetricsHandlerOptions, run: (ask: (method: string, headers?: Record<string, string>) => Promise<Answer>) => Promise<T>): Promise<T> {
  const server = createServer(metricsHandler(source, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const ask = (method: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/metrics', method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    return await run(ask);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function registry(): { registry: Registry; leases: { open: number } } {
  const registry = new Registry();
  registry.counter({ name: 'hits_total', help: 'Hits.' }).inc(3);
  const leases = { open: 0 };
  const lease = registry.lease.bind(registry);
  registry.lease = async (format) => {
    const lent = await lease(format);
    leases.open++;
    return { bytes: lent.bytes, release: () => (leases.open--, lent.release()) };
  };
  return { registry, leases };
}

test('GET answers 0.0.4 by default and OpenMetrics when Accept prefers it, with Vary', async () => {
  const { registry: source, leases } = registry();
  await serve(source, {}, async (ask) => {
    const plain = await ask('GET');
    assert.is(plain.status, 200);
    assert.is(plain.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.is(plain.headers.vary, 'Accept, Accept-Encoding');
    assert.ok(plain.body.toString().includes('hits_total 3\n'));
    const om = await ask('GET', { Accept: 'application/openmetrics-text;version=1.0.0' });
    assert.match(String(om.headers['content-type']), /^application\/openmetrics-text; version=1.0.0/);
    assert.ok(om.body.toString().endsWith('# EOF\n'));
  });
  assert.is(leases.open, 0, 'every lease released');
});

test('gzip when asked, identity otherwise or when gzip is off', async () => {
  const { registry: source } = registry();
  await serve(source, {}, async (ask) => {
    const zipped = await ask('GET', { 'Accept-Encoding': 'gzip' });
    assert.is(zipped.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(zipped.body).toString().includes('hits_total 3'));
    assert.is(Number(zipped.headers['content-length']), zipped.body.length);
  });
  await serve(source, { gzip: false }, async (ask) => {
    const plain = await ask('GET', { 'Accept-Encoding': 'gzip' });
    assert.is(plain.headers['content-encoding'], undefined);
  });
});

test('HEAD has the headers and no body; other methods get 405 with Allow', async () => {
  const { registry: source, leases } = registry();
  await serve(source, {}, async (ask) => {
    const head = await ask('HEAD');
    assert.is(head.status, 200);
    assert.ok(Number(head.headers['content-length']) > 0);
    assert.is(head.body.length, 0);
    const post = await ask('POST');
    assert.is(post.status, 405);
    assert.is(post.headers.allow, 'GET, HEAD');
    assert.match(post.body.toString(), /method POST not allowed/);
  });
  assert.is(leases.open, 0);
});

test('bearer and Tecton-key auth: 401 with WWW-Authenticate unless the credentials match', async () => {
  const { registry: source } = registry();
  await serve(source, { auth: { scheme: 'Bearer', credentials: 's3cret' } }, async (ask) => {
    assert.is((await ask('GET')).status, 401);
    assert.is((await ask('GET', { Authorization: 'Bearer wrong' })).headers['www-authenticate'], 'Bearer');
    assert.is((await ask('GET', { Authorization: 'Tecton-key s3cret' })).status, 401);
    assert.is((await ask('GET', { Authorization: 'Bearer s3cret' })).status, 200);
  });
  const keys = new Set(['k1', 'k2']);
  await serve(source, { auth: { scheme: 'Tecton-key', credentials: (key) => keys.has(key) } }, async (ask) => {
    assert.is((await ask('GET', { Authorization: 'Tecton-key k2' })).status, 200);
    assert.is((await ask('GET', { Authorization: 'Tecton-key k3' })).status, 401);
  });
});

test('a scrape that throws answers 500 with the reason; the server keeps serving', async () => {
  let fail = true;
  const { registry: inner } = registry();
  const source: MetricsSource = { lease: (format) => (fail ? Promise.reject(new Error('disk on fire')) : inner.lease(format)) };
  await serve(source, {}, async (ask) => {
    const failed = await ask('GET');
    assert.is(failed.status, 500);
    assert.match(failed.body.toString(), /scrape failed: disk on fire/);
    fail = false;
    assert.is((await ask('GET')).status, 200);
  });
});

test.run();

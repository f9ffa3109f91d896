import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { Registry } from '../../lib/registry.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { MetricsServer } from '../../lib/server/server.js';
import { deferred, send, startServer, waitFor } from './harness.js';

const fast = { headersTimeoutMs: 150, requestTimeoutMs: 300, connectionsCheckingIntervalMs: 25, keepAliveTimeoutMs: 200 };

/** Opens a raw socket, writes `text`, and collects what comes back until the server closes it. */
function rawExchange(port: number, text: string): { socket: Socket; closed: Promise<string>; received: () => string } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.write(text);
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => {});
  });
  return { socket, closed, received: () => received };
}

test('a client that sends half its headers and stalls is dropped by the headers timeout', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: fast });
  try {
    const { closed } = rawExchange(h.port, `GET ${METRICS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Tecton-key ${h.apiKey}\r\n`);
    const received = await Promise.race([closed, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the stalled socket was never closed')), 5000))]);
    assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received);
    assert.is((await h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` })).status, 200, 'others are still served');
  } finally {
    await h.stop();
  }
});

test('a header block over the limit gets 431', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxHeaderBytes: 4096 } });
  try {
    const res = await send(h.port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}`, 'X-Padding': 'p'.repeat(8192) });
    assert.is(res.status, 431);
    const { closed } = rawExchange(h.port, `GET ${METRICS_PATH} HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(8192)}\r\n\r\n`);
    assert.ok((await closed).startsWith('HTTP/1.1 431'), 'raw clients see the status line too');
  } finally {
    await h.stop();
  }
});

test('concurrent scrapes while traffic is recorded all get complete expositions', async () => {
  const registry = new Registry();
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', utilization: 'reports' });
  const h = await startServer({ source: registry });
  let running = true;
  let recorded = 0;
  const traffic = (async () => {
    while (running) {
      for (let i = 0; i < 200; i++) {
        metrics.recordGetFeatures({ featureServiceId: `fs-${i % 20}`, featureServiceName: `svc-${i % 20}`, latencySeconds: 0.001 * (i % 50), status: i % 17 === 0 ? 500 : 200 });
        metrics.recordIngest({ latencySeconds: 0.002, status: 200, rowsByFeatureView: [{ workspace: 'w', featureViewName: 'fv', featureViewId: 'id', onlineRows: 2, offlineRows: 2 }] });
        recorded++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  try {
    const accepts = ['application/openmetrics-text;version=1.0.0', 'text/plain;version=0.0.4'];
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}`, Accept: accepts[i % 2]!, 'Accept-Encoding': i % 3 === 0 ? 'gzip' : 'identity' })),
    );
    for (const res of responses) {
      assert.is(res.status, 200);
      assert.is(Number(res.headers['content-length']), res.body.length);
    }
    const om = responses.filter((res) => res.headers['content-type'] === OPENMETRICS.contentType && res.headers['content-encoding'] === undefined);
    assert.ok(om.length > 0);
    for (const res of om) {
      const body = res.body.toString();
      assert.ok(body.endsWith('# EOF\n'));
      assert.ok(body.includes('# TYPE stream_ingestapi_offline_store_write_rate gauge'), 'the last catalog family is there');
    }
  } finally {
    running = false;
    await traffic;
    await h.stop();
  }
  assert.ok(recorded > 0);
});

test('close() lets an in-flight scrape finish, refuses new connections, and reports a graceful stop', async () => {
  const release = deferred<Buffer>();
  const started = deferred<void>();
  const h = await startServer({
    source: {
      scrape: () => {
        started.resolve();
        return release.promise;
      },
    },
  });
  try {
    const inFlight = h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` });
    await started.promise;
    assert.is(h.server.inFlight, 1);
    const closing = h.server.close(30_000);
    await waitFor('the listener to stop accepting', () =>
      send(h.port, 'GET', '/healthz', {}).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
      ),
    );
    release.resolve(Buffer.from('late_metric 1\n'));
    const res = await inFlight;
    assert.is(res.status, 200);
    assert.is(res.body.toString(), 'late_metric 1\n');
    assert.is(res.headers.connection, 'close');
    assert.equal(await closing, { graceful: true, cut: [] });
  } finally {
    await h.stop();
  }
});

test('close() cuts requests still running at its deadline and says so', async () => {
  const started = deferred<void>();
  const h = await startServer({
    source: {
      scrape: () => {
        started.resolve();
        return new Promise<Buffer>(() => {});
      },
    },
  });
  try {
    const inFlight = h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` }).then(
      () => 'answered',
      () => 'cut',
    );
    await started.promise;
    const result = await h.server.close(50);
    assert.is(result.graceful, false);
    assert.equal(result.cut.length, 1);
    assert.match(result.cut[0]!, new RegExp(`^GET ${METRICS_PATH} from 127\\.0\\.0\\.1:\\d+ \\(\\d+ bytes sent\\)$`));
    assert.is(await inFlight, 'cut');
  } finally {
    await h.stop();
  }
});

test('idle keep-alive connections do not hold up close()', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }) });
  const { closed, received } = rawExchange(h.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
  await waitFor('the answer on the kept-alive connection', () => received().endsWith('ok\n'));
  assert.equal(await h.server.close(30_000), { graceful: true, cut: [] });
  assert.ok((await closed).startsWith('HTTP/1.1 200'));
  await h.stop();
});

test('a client that sends its headers but stalls in the body gets 408 from the request timeout', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: fast });
  const bodies: number[] = [];
  h.server.route('POST', '/upload', ({ res, body }) => {
    bodies.push(body.length);
    res.writeHead(204).end();
  });
  try {
    const { closed } = rawExchange(h.port, `POST /upload HTTP/1.1\r\nHost: x\r\nAuthorization: Tecton-key ${h.apiKey}\r\nContent-Length: 100\r\n\r\n0123456789`);
    const received = await Promise.race([closed, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the stalled upload was never cut')), 5000))]);
    assert.ok(received.startsWith('HTTP/1.1 408'), received);
    assert.equal(bodies, [], 'the handler never ran on a partial body');
    assert.is(h.server.inFlight, 0);
  } finally {
    await h.stop();
  }
});

test('an idle keep-alive connection is closed after keepAliveTimeoutMs', async () => {
  // The default keeps idle connections 5 s; with 200 ms configured, the server must close well before.
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: fast });
  try {
    const { closed, received } = rawExchange(h.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await waitFor('the answer on the kept-alive connection', () => received().endsWith('ok\n'));
    assert.match(received(), /\r\nConnection: keep-alive\r\n/i);
    const text = await Promise.race([closed, new Promise<string>((_, reject) => setTimeout(() => reject(new Error('the idle connection was kept')), 3000))]);
    assert.ok(text.startsWith('HTTP/1.1 200'));
  } finally {
    await h.stop();
  }
});

test('pipelined requests cut off by a hang-up leave nothing in flight', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }) });
  const gate = deferred<void>();
  h.server.route('GET', '/slow', async ({ res }) => {
    await gate.promise;
    res.end('late');
  }, { auth: false });
  try {
    const socket = connect(h.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3));
    await waitFor('three pipelined requests in flight', () => h.server.inFlight === 3);
    socket.destroy();
    // Node closes the answer the connection was on, but not the two queued behind it.
    await waitFor('every request counted out', () => h.server.inFlight === 0);
    gate.resolve();
    assert.equal(await h.server.close(1000), { graceful: true, cut: [] });
  } finally {
    await h.stop();
  }
});

test('connections past maxConnections are closed on arrival, and served again once one leaves', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxConnections: 2 } });
  try {
    const kept = [rawExchange(h.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'), rawExchange(h.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')];
    for (const connection of kept) await waitFor('a kept-alive answer', () => connection.received().endsWith('ok\n'));
    const third = rawExchange(h.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.is(await third.closed, '', 'closed without an answer');
    kept[0]!.socket.destroy();
    await waitFor('a new connection served', () => send(h.port, 'GET', '/healthz', {}).then((res) => res.status === 200, () => false));
    kept[1]!.socket.destroy();
  } finally {
    await h.stop();
  }
});

test('a request with more headers than maxHeaderCount gets 431, wherever its key is', async () => {
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }), limits: { maxHeaderCount: 20 } });
  try {
    const auth = { Authorization: `Tecton-key ${h.apiKey}` };
    const padding = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-pad-${i}`, '1']));
    for (const headers of [{ ...padding(30), ...auth }, { ...auth, ...padding(30) }]) {
      const over = await send(h.port, 'GET', METRICS_PATH, headers);
      assert.is(over.status, 431);
      assert.match(over.body.toString(), /^too many request headers: 33, where at most 20 are accepted; send fewer/); // with Host and Connection
      assert.is(over.headers.connection, 'close');
    }
    assert.is((await send(h.port, 'GET', METRICS_PATH, { ...padding(17), ...auth })).status, 200, '17 + Authorization + Host + Connection = 20');
  } finally {
    await h.stop();
  }
});

test('over 1000 headers with the key last get 431 by default, not "missing Authorization"', async () => {
  // Node's own cap (1000 kept, the rest dropped silently) would lose the key and answer 401.
  const h = await startServer({ source: new Registry({ clock: new FakeClock() }) });
  try {
    const headers = Object.fromEntries(Array.from({ length: 1100 }, (_, i) => [`x${i}`, '1']));
    const res = await send(h.port, 'GET', METRICS_PATH, { Host: '127.0.0.1', ...headers, Authorization: `Tecton-key ${h.apiKey}` });
    assert.is(res.status, 431, res.body.toString());
  } finally {
    await h.stop();
  }
});

test('limits are validated with the rule and the fix', () => {
  const make = (limits: object) => () => new MetricsServer({ source: new Registry(), keys: { verify: () => ({ ok: false, reason: 'unknown' }) }, limits });
  assert.throws(make({ maxBodyBytes: 0 }), /invalid server limit maxBodyBytes=0: must be a positive whole number/);
  assert.throws(make({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), /headersTimeoutMs=5000 > requestTimeoutMs=1000/);
  assert.throws(make({ maxConnections: 1.5 }), /invalid server limit maxConnections=1.5: must be a positive whole number; omit it for 1024/);
  assert.throws(make({ maxHeaderCount: -1 }), /invalid server limit maxHeaderCount=-1/);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Socket } from 'node:net';
import { request } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { ExpositionFormat } from '../../lib/exposition/formats.js';
import type { ScrapeLease } from '../../lib/registry.js';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { send, startServer, waitFor } from './harness.js';

/** A registry whose leases are counted, to check that every lent buffer comes back exactly once. */
function countingSource(gate: Promise<void> = Promise.resolve()) {
  const registry = new Registry({ clock: new FakeClock() });
  const gauge = registry.gauge({ name: 'lent', help: '', labelNames: ['i'] });
  for (let i = 0; i < 300; i++) gauge.labels(String(i)).set(i);
  const counts = { leased: 0, released: 0, doubleReleases: 0 };
  const source = {
    scrape: (format: ExpositionFormat) => registry.scrape(format),
    lease: async (format: ExpositionFormat): Promise<ScrapeLease> => {
      await gate;
      const lent = await registry.lease(format);
      counts.leased++;
      let released = false;
      return {
        bytes: lent.bytes,
        release: () => {
          if (released) counts.doubleReleases++;
          released = true;
          counts.released++;
          lent.release();
        },
      };
    },
  };
  return { source, counts, registry };
}

test('concurrent scrapes share one lease, released once after the last answer, whatever the encoding or method', async () => {
  let open = () => {};
  const { source, counts, registry } = countingSource(new Promise<void>((resolve) => (open = resolve)));
  const h = await startServer({ source });
  try {
    const auth = { Authorization: `Tecton-key ${h.apiKey}` };
    const expected = (await registry.scrape()).toString();
    const pending = Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        send(h.port, i % 4 === 3 ? 'HEAD' : 'GET', METRICS_PATH, i % 2 === 0 ? { ...auth, 'Accept-Encoding': 'gzip' } : auth),
      ),
    );
    await waitFor('all 24 requests waiting on the scrape', () => h.server.inFlight === 24);
    open();
    const answers = await pending;
    answers.forEach((answer, i) => {
      assert.is(answer.status, 200);
      if (i % 4 === 3) return;
      const body = i % 2 === 0 ? gunzipSync(answer.body).toString() : answer.body.toString();
      assert.is(body, expected, `request ${i}`);
    });
    await waitFor('every lease released', () => counts.released === counts.leased);
    assert.is(counts.leased, 1, 'one scrape served all 24 requests');
    assert.is(counts.doubleReleases, 0);
  } finally {
    await h.stop();
  }
});

/** Raw requests on one connection (pipelined when more than one), for hanging up at a chosen moment. */
function rawRequests(port: number, apiKey: string, count: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(`GET ${METRICS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Tecton-key ${apiKey}\r\n\r\n`.repeat(count));
  return socket;
}

test('a client that hangs up while its scrape is pending still gives the lease back once the scrape ends', async () => {
  let open = () => {};
  const { source, counts } = countingSource(new Promise<void>((resolve) => (open = resolve)));
  const h = await startServer({ source });
  try {
    const socket = rawRequests(h.port, h.apiKey, 1);
    await waitFor('the request waiting on the scrape', () => h.server.inFlight === 1);
    socket.destroy();
    await waitFor('the server to see the hang-up', () => h.server.inFlight === 0);
    assert.is(counts.leased, 0, 'the scrape is still pending');
    open();
    await waitFor('the lease taken and released', () => counts.leased === 1 && counts.released === 1);
    assert.is(counts.doubleReleases, 0);
  } finally {
    await h.stop();
  }
});

test('pipelined scrapes cut off by a hang-up give their shared lease back exactly once', async () => {
  let open = () => {};
  const { source, counts } = countingSource(new Promise<void>((resolve) => (open = resolve)));
  const h = await startServer({ source });
  try {
    const socket = rawRequests(h.port, h.apiKey, 4);
    await waitFor('all four pipelined requests waiting on the scrape', () => h.server.inFlight === 4);
    socket.destroy();
    open();
    await waitFor('the lease taken and released', () => counts.leased === 1 && counts.released === 1);
    await waitFor('no request left in flight', () => h.server.inFlight === 0);
    assert.is(counts.doubleReleases, 0);
  } finally {
    await h.stop();
  }
});

test('a client that drops the answer after its headers still gives its lease back', async () => {
  const { source, counts } = countingSource();
  const h = await startServer({ source });
  try {
    await new Promise<void>((resolve) => {
      const req = request({ port: h.port, host: '127.0.0.1', path: METRICS_PATH, headers: { Authorization: `Tecton-key ${h.apiKey}` } }, (res) => {
        res.destroy();
        resolve();
      });
      req.on('error', () => resolve());
      req.end();
    });
    await waitFor('the lease released', () => counts.leased > 0 && counts.released === counts.leased);
    assert.is(counts.doubleReleases, 0);
  } finally {
    await h.stop();
  }
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from 'node:http';
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

test('a client that hangs up before the body is sent still gives its lease back', async () => {
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

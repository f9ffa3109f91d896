import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Platform } from '../../lib/platform/platform.js';
import type { TrafficOptions } from '../../lib/platform/traffic.js';
import type { Rig } from './harness.js';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { FakeClock } from '../../lib/clock.js';
import { GET_FEATURES_PATH } from '../../lib/platform/feature-server.js';
import { INGEST_PATH } from '../../lib/platform/ingest-api.js';
import { TrafficGenerator } from '../../lib/platform/traffic.js';
import { startPlatformRig, waitFor } from './harness.js';

let rig: Rig;
let platform: Platform;
let clock: FakeClock;
let stop: () => Promise<void>;

test.before.each(async () => {
  clock = new FakeClock();
  ({ rig, platform, stop } = await startPlatformRig({ clock }));
});

test.after.each(() => stop());

/** A generator on the fake clock: it sends only what the schedule says is due as the clock moves. */
function generator(options: Partial<TrafficOptions> = {}) {
  return new TrafficGenerator({ baseUrl: `http://127.0.0.1:${rig.port}`, apiKey: rig.apiKey, workspace: platform.workspace, stream: platform.stream, clock, ...options }).start();
}

const settled = (traffic: TrafficGenerator, calls: number) => waitFor(`${calls} answered calls`, () => traffic.getFeatures.calls + traffic.getFeatures.skipped >= calls && traffic.inFlight === 0);

test('one second of schedule is 100 get-features calls with the configured shares of 404s, 400s and batches', async () => {
  const traffic = generator({ maxInFlight: 1000, notFoundEvery: 20, malformedEvery: 7, invalidIngestEvery: 2 });
  clock.advance(1000);
  await settled(traffic, 100);
  await waitFor('5 ingest answers', () => traffic.ingest.requests === 5 && traffic.inFlight === 0);
  await traffic.stop();
  const { requests, calls, byStatus } = traffic.getFeatures;
  // A batch is the last request when it crosses 100, so calls may overshoot by up to 4.
  assert.ok(calls >= 100 && calls < 105, `${calls} calls`);
  const kinds = Array.from({ length: requests }, (_, i) => i + 1).map((n) => (n % 20 === 0 ? 404 : n % 7 === 0 ? 400 : n % 10 === 0 ? 'batch' : 200));
  assert.is(byStatus[404], kinds.filter((kind) => kind === 404).length);
  assert.is(byStatus[400], kinds.filter((kind) => kind === 400).length);
  assert.is(byStatus[200], kinds.filter((kind) => kind === 200 || kind === 'batch').length, 'every other request succeeds');
  assert.is(calls - requests, 4 * kinds.filter((kind) => kind === 'batch').length, 'each batch is 5 calls');
  assert.equal(traffic.ingest.byStatus, { 200: 3, 400: 2 }, 'every second ingest request holds a bad record');
  assert.is(traffic.streamEvents, 40);
  assert.is(platform.stream.length, 40);
});

test('no more than maxInFlight requests at once: what is due beyond that is skipped and counted, not queued', async () => {
  const traffic = generator({ maxInFlight: 2, ingestPerSecond: 0 });
  clock.advance(1000);
  // One tick finds the whole second due: two requests go out, the rest of that tick's requests are skipped.
  await waitFor('the due requests to be sent or skipped', () => traffic.getFeatures.skipped > 0 && traffic.inFlight === 0);
  await traffic.stop();
  assert.is(traffic.getFeatures.requests, 2, 'only maxInFlight went out');
  assert.ok(traffic.getFeatures.skipped > 50, `${traffic.getFeatures.skipped} skipped`);
  assert.is(traffic.getFeatures.failed, 0);
});

test('after a long stall at most one second of traffic is made up', async () => {
  const traffic = generator({ maxInFlight: 1000 });
  clock.advance(3_600_000);
  await settled(traffic, 100);
  await waitFor('ingest answers', () => traffic.ingest.requests >= 5 && traffic.inFlight === 0);
  await traffic.stop();
  assert.ok(traffic.getFeatures.calls < 105, `${traffic.getFeatures.calls} calls, not an hour's 360000`);
  assert.is(traffic.ingest.requests, 5);
  assert.is(traffic.streamEvents, 40);
});

/** An HTTP server that answers every request 200 `{}` and keeps what was sent: path and body. */
async function recorder(): Promise<{ url: string; sent: { path: string; body: string }[]; close(): Promise<void> }> {
  const sent: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      sent.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

test('malformed get-features requests and invalid ingest requests are spread over every feature service and push source', async () => {
  const target = await recorder();
  // Strides that share a factor with the 3 services and the 2 push sources: picking by request number
  // would send every malformed request to one service and every invalid record to one source.
  const traffic = generator({ baseUrl: target.url, maxInFlight: 1000, malformedEvery: 6, notFoundEvery: 1000, batchEvery: 1000, invalidIngestEvery: 4, ingestPerSecond: 40 });
  try {
    for (let second = 1; second <= 3; second++) {
      clock.advance(1000);
      await waitFor(`second ${second} answered`, () => target.sent.length >= second * 140 && traffic.inFlight === 0);
    }
  } finally {
    await traffic.stop();
    await target.close();
  }
  const features = target.sent.filter((request) => request.path === GET_FEATURES_PATH);
  const malformed = features.filter((request) => !parses(request.body));
  assert.is(malformed.length, Math.floor(features.length / 6));
  const namedIn = (bodies: { body: string }[]) => new Set(bodies.map(({ body }) => /"feature_service_name": ?"(\w+)"/.exec(body)?.[1]));
  assert.equal([...namedIn(malformed)].sort(), ['fvfs_1', 'fvfs_2', 'fvfs_3'], 'malformed requests name every service');
  assert.equal([...namedIn(features.filter((request) => parses(request.body)))].sort(), ['fvfs_1', 'fvfs_2', 'fvfs_3']);

  type Ingest = { records: Record<string, { record: Record<string, unknown> }[]> };
  const ingests = target.sent.filter((request) => request.path === INGEST_PATH).map((request) => JSON.parse(request.body) as Ingest);
  assert.is(ingests.length, 120);
  // The generator's wrong types: a position as text (ad_clicks), an amount as text (transactions).
  const wrong = (record: Record<string, unknown>) => typeof record.position === 'string' || typeof record.amount === 'string';
  const invalid = ingests.filter((body) => Object.values(body.records).some((records) => records.some(({ record }) => wrong(record))));
  assert.is(invalid.length, 120 / 4);
  const sources = (bodies: Ingest[]) => [...new Set(bodies.flatMap((body) => Object.keys(body.records)))].sort();
  assert.equal(sources(invalid), ['ad_clicks', 'transactions'], 'invalid records go to both push sources');
  assert.equal(sources(ingests.filter((body) => !invalid.includes(body))), ['ad_clicks', 'transactions']);
});

test.run();

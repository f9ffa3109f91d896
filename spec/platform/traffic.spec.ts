import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Platform } from '../../lib/platform/platform.js';
import type { TrafficOptions } from '../../lib/platform/traffic.js';
import type { Rig } from './harness.js';
import { FakeClock } from '../../lib/clock.js';
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

test.run();

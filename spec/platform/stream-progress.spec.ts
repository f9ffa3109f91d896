import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rig } from './harness.js';
import type { Platform } from '../../lib/platform/platform.js';
import { FakeClock } from '../../lib/clock.js';
import { STREAM_VIEW_IDLE_MS } from '../../lib/platform/stream-expiry.js';
import { STREAM_PROGRESS_PATH } from '../../lib/platform/stream-progress.js';
import { samples, startPlatformRig, valueOf } from './harness.js';

let rig: Rig;
let platform: Platform;
let clock: FakeClock;
let stop: () => Promise<void>;

test.before.each(async () => {
  clock = new FakeClock(); // 2023-11-14T22:13:20.000Z
  ({ rig, platform, stop } = await startPlatformRig({ clock }));
});

test.after.each(() => stop());

/** A progress event as a Spark listener's `event.progress.json` gives it, fields Spark adds included. */
const progress = (changes: Record<string, unknown> = {}) => ({
  id: '3f1c9a52-7d0e-4b8a-9d61-2c4e5b7a8f90',
  runId: '9b2d4e6f-1a3c-4e5b-8d7f-0a1b2c3d4e5f',
  name: 'fraud_features_stream',
  timestamp: '2023-11-14T22:13:20.000Z',
  batchId: 42,
  numInputRows: 120,
  inputRowsPerSecond: 60,
  processedRowsPerSecond: 240,
  durationMs: { addBatch: 400, getBatch: 5, latestOffset: 3, queryPlanning: 20, triggerExecution: 500, walCommit: 40 },
  eventTime: { min: '2023-11-14T22:13:14.000Z', avg: '2023-11-14T22:13:17.000Z', max: '2023-11-14T22:13:19.000Z', watermark: '2023-11-14T22:13:09.000Z' },
  stateOperators: [],
  sources: [{ description: 'KinesisV2[transactions]', startOffset: null, endOffset: null, numInputRows: 120, inputRowsPerSecond: 60, processedRowsPerSecond: 240 }],
  sink: { description: 'ForeachBatchSink', numOutputRows: 35 },
  ...changes,
});
const VIEW = { workspace: 'prod', feature_view_name: 'user_fraud_stream', feature_view_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' };
const LABELS = { feature_view_name: VIEW.feature_view_name };
const report = (body: unknown, headers?: Record<string, string>) => rig.post(STREAM_PROGRESS_PATH, typeof body === 'string' ? body : JSON.stringify(body), headers);

test('a Spark progress report over HTTP is accepted with 204 and feeds every spark_stream_* gauge', async () => {
  const answer = await report({ ...VIEW, progress: progress() });
  assert.is(answer.status, 204, answer.text);
  assert.is(answer.text, '');
  clock.advance(2000);
  const families = await rig.scrape();
  assert.is(valueOf(families, 'spark_stream_max_processed_event_age', LABELS), 6, 'timestamp - eventTime.min');
  assert.is(valueOf(families, 'spark_stream_average_processed_event_age', LABELS), 3, 'timestamp - eventTime.avg');
  assert.is(valueOf(families, 'spark_stream_input_rate', LABELS), 60);
  assert.is(valueOf(families, 'spark_stream_processing_rate', LABELS), 240);
  assert.is(valueOf(families, 'spark_stream_served_feature_age', LABELS), 3, 'now - eventTime.max, at scrape');
  assert.is(valueOf(families, 'spark_stream_online_store_write_rate', LABELS) * 5, 35, 'sink.numOutputRows over one 5 s slot');
});

test('what Spark leaves out is left out: no NaN rates, no event times in an empty batch, -1 output rows', async () => {
  const empty = progress({ numInputRows: 0, inputRowsPerSecond: undefined, processedRowsPerSecond: undefined, eventTime: { watermark: '2023-11-14T22:13:09.000Z' }, sink: { description: 'x', numOutputRows: -1 } });
  assert.is((await report({ ...VIEW, progress: empty })).status, 204);
  const families = await rig.scrape();
  for (const family of ['spark_stream_max_processed_event_age', 'spark_stream_input_rate', 'spark_stream_served_feature_age', 'spark_stream_online_store_write_rate']) {
    assert.is(samples(families, family, LABELS).length, 0, family);
  }
});

// [what, body, message]; each is a 400 with gRPC code 3 and changes no metric.
const BAD: [string, unknown, RegExp][] = [
  ['not JSON', '{"workspace": ', /malformed stream progress report: the body is not JSON/],
  ['an array', '[]', /malformed stream progress report: the body is an array of 0, not an object/],
  ['no workspace', { ...VIEW, workspace: undefined, progress: progress() }, /invalid workspace: got nothing, expected a non-empty string/],
  ['an empty feature view name', { ...VIEW, feature_view_name: '', progress: progress() }, /invalid feature_view_name: got ""/],
  ['a feature view id too long for a label', { ...VIEW, feature_view_id: 'x'.repeat(300), progress: progress() }, /invalid feature_view_id: got "x{10,}…, expected a non-empty string of at most 256/],
  ['no progress', VIEW, /invalid progress: got nothing, expected Spark's StreamingQueryProgress as JSON/],
  ['negative input rows', { ...VIEW, progress: progress({ numInputRows: -1 }) }, /invalid progress.numInputRows: got -1, expected a whole number >= 0/],
  ['fractional input rows', { ...VIEW, progress: progress({ numInputRows: 1.5 }) }, /progress.numInputRows: got 1.5/],
  ['a rate as text', { ...VIEW, progress: progress({ inputRowsPerSecond: 'fast' }) }, /invalid progress.inputRowsPerSecond: got "fast", expected a finite number >= 0/],
  ['a finite input rate over the cap', { ...VIEW, progress: progress({ inputRowsPerSecond: 1e308 }) }, /invalid progress.inputRowsPerSecond: got 1e\+308, over the cap of 1e12 rows per second/],
  ['a processing rate over the cap', { ...VIEW, progress: progress({ processedRowsPerSecond: 2e12 }) }, /invalid progress.processedRowsPerSecond: got 2000000000000, over the cap of 1e12/],
  ['a timestamp that is not ISO-8601', { ...VIEW, progress: progress({ timestamp: 1700000000000 }) }, /invalid progress.timestamp: got 1700000000000, expected an ISO-8601 time with a zone/],
  ['a day the month does not have', { ...VIEW, progress: progress({ timestamp: '2023-02-29T22:13:20.000Z' }) }, /invalid progress.timestamp: got "2023-02-29T22:13:20.000Z", but day 29 is not in 2023-02, which has 28 days/],
  ['hour 24', { ...VIEW, progress: progress({ eventTime: { max: '2023-11-14T24:00:00Z' } }) }, /invalid progress.eventTime.max: got "2023-11-14T24:00:00Z", but hour 24 is past 23/],
  ['min after max', { ...VIEW, progress: progress({ eventTime: { min: '2023-11-14T22:13:19Z', max: '2023-11-14T22:13:14Z' } }) }, /progress.eventTime: min .* is after max/],
  ['avg outside min and max', { ...VIEW, progress: progress({ eventTime: { min: '2023-11-14T22:13:14Z', avg: '2023-11-14T22:13:30Z', max: '2023-11-14T22:13:19Z' } }) }, /avg .* is outside \[min, max\]/],
  ['a bad watermark', { ...VIEW, progress: progress({ eventTime: { watermark: 'soon' } }) }, /invalid progress.eventTime.watermark: got "soon"/],
  ['output rows below -1', { ...VIEW, progress: progress({ sink: { numOutputRows: -2 } }) }, /invalid progress.sink.numOutputRows: got -2/],
];

test('bad reports get a 400 naming the field, and the values of the last good report survive them', async () => {
  // A good report, then the bad ones (the over-cap rate twice: two 1e308s must not sum to +Inf in the window).
  assert.is((await report({ ...VIEW, progress: progress() })).status, 204);
  for (const [what, body, message] of [...BAD, BAD.find(([what]) => what === 'a finite input rate over the cap')!]) {
    const answer = await report(body);
    assert.is(answer.status, 400, `${what}: ${answer.text}`);
    assert.match(answer.json.error, message, what);
    assert.is(answer.json.code, 3);
  }
  const families = await rig.scrape();
  // The good report's figures, as the first test reads them: no bad report moved any of them.
  assert.is(valueOf(families, 'spark_stream_input_rate', LABELS), 60);
  assert.is(valueOf(families, 'spark_stream_processing_rate', LABELS), 240);
  assert.is(valueOf(families, 'spark_stream_max_processed_event_age', LABELS), 6);
  assert.is(valueOf(families, 'spark_stream_average_processed_event_age', LABELS), 3);
  assert.is(valueOf(families, 'spark_stream_online_store_write_rate', LABELS) * 5, 35);
  assert.is(valueOf(families, 'spark_stream_served_feature_age', LABELS), 1, 'now - the good eventTime.max; hour 24 did not move it');
});

test('a label field with a lone surrogate is a 400 naming the field, and no series appears', async () => {
  for (const field of ['workspace', 'feature_view_name', 'feature_view_id'] as const) {
    const answer = await report({ ...VIEW, [field]: `view\ud800x`, progress: progress() });
    assert.is(answer.status, 400, `${field}: ${answer.text}`);
    assert.match(answer.json.error, new RegExp(`^invalid ${field}: .*lone surrogate`));
  }
  assert.is(samples(await rig.scrape(), 'spark_stream_input_rate').length, 0);
});

test('a feature view idle for STREAM_VIEW_IDLE_MS (15 min) loses its spark_stream_* series; one that reports keeps them', async () => {
  assert.is(STREAM_VIEW_IDLE_MS, 15 * 60_000);
  const SPARK = ['spark_stream_input_rate', 'spark_stream_processing_rate', 'spark_stream_max_processed_event_age', 'spark_stream_average_processed_event_age', 'spark_stream_online_store_write_rate', 'spark_stream_served_feature_age'];
  const names = async (): Promise<Set<string>> => {
    const families = await rig.scrape();
    return new Set(SPARK.flatMap((family) => samples(families, family).map((sample) => sample.labels.find(([name]) => name === 'feature_view_name')?.[1] ?? '')));
  };
  for (let i = 0; i < 50; i++) assert.is((await report({ ...VIEW, feature_view_name: `invented_${i}`, progress: progress() })).status, 204);
  assert.is((await report({ ...VIEW, progress: progress() })).status, 204);
  const before = await names();
  assert.ok(before.has('invented_49') && before.has(VIEW.feature_view_name));
  clock.advance(STREAM_VIEW_IDLE_MS - 60_000);
  assert.is(platform.expiry.sweep(), 0, 'nothing is idle long enough yet');
  assert.is((await report({ ...VIEW, progress: progress() })).status, 204);
  clock.advance(60_000);
  assert.is(platform.expiry.sweep(), 50);
  assert.equal([...(await names())], [VIEW.feature_view_name], 'only the view that kept reporting is left, in every family');
  clock.advance(STREAM_VIEW_IDLE_MS);
  platform.expiry.sweep();
  assert.is((await names()).size, 0);
  assert.is(platform.expiry.size, 0);
  assert.is((await report({ ...VIEW, progress: progress() })).status, 204);
  assert.equal([...(await names())], [VIEW.feature_view_name], 'a view that reports again starts afresh');
});

test('reports need a Tecton key and fit in 256 KiB; the refusals are Tecton’s JSON errors too', async () => {
  const anonymous = await report({ ...VIEW, progress: progress() }, {});
  assert.is(anonymous.status, 401);
  assert.is(anonymous.headers['www-authenticate'], 'Tecton-key');
  assert.match(anonymous.json.error, /missing Authorization header/);
  assert.is(anonymous.json.code, 16);
  const huge = await report({ ...VIEW, progress: progress({ stateOperators: ['x'.repeat(300 * 1024)] }) });
  assert.is(huge.status, 413);
  assert.match(huge.json.error, /exceeds the 262144-byte limit/);
  assert.is(huge.json.code, 8);
  const overServerLimit = await rig.post(STREAM_PROGRESS_PATH, Buffer.alloc(1024 * 1024 + 1, 0x20));
  assert.is(overServerLimit.status, 413);
  assert.is(overServerLimit.json.error, `request body of ${1024 * 1024 + 1} bytes exceeds the 262144-byte limit`);
  assert.is(samples(await rig.scrape(), 'spark_stream_input_rate', LABELS).length, 0);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Platform } from '../../lib/platform/platform.js';
import type { Rig } from './harness.js';
import { FakeClock } from '../../lib/clock.js';
import { GET_FEATURES_PATH } from '../../lib/platform/feature-server.js';
import { INGEST_PATH } from '../../lib/platform/ingest-api.js';
import { MAX_JOIN_KEY_LENGTH } from '../../lib/platform/online-store.js';
import { readOfflineRows } from '../../lib/platform/offline-store.js';
import { startPlatformRig, valueOf } from './harness.js';

let rig: Rig;
let platform: Platform;
let stop: () => Promise<void>;

const T1 = '2023-11-14T22:13:00.000Z';
const T2 = '2023-11-14T22:14:00.000Z';
const tx = (merchant: string, timestamp: string, extra: object = {}) => ({ record: { user_id: 'user_1', merchant, amount: 10, timestamp, ...extra } });
const ingest = (records: object, extra: object = {}) => rig.post(INGEST_PATH, { workspace_name: 'prod', records, ...extra });
const userFeatures = async () => (await rig.post(GET_FEATURES_PATH, { params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: 'user_1' } } })).json.result.features;
const offlineMerchants = async () => (await readOfflineRows(platform.offline.path)).rows.map((row) => (row as { record: { merchant: string } }).record.merchant);

test.before.each(async () => {
  ({ rig, platform, stop } = await startPlatformRig({ clock: new FakeClock() }));
  // Sent newest first: the online store keeps the later event time whatever the order.
  const answer = await ingest({ transactions: [tx('m_new', T2), tx('m_old', T1)] });
  assert.is(answer.status, 200, answer.text);
});

test.after.each(() => stop());

test('an ingest answers Tecton’s ingest metrics and writes the offline store, then the online store', async () => {
  const view = platform.workspace.featureViews.get('user_last_transaction')!;
  const answer = await ingest({ transactions: [tx('m_3', T1)] });
  assert.is(answer.status, 200);
  assert.equal(answer.json, {
    workspaceName: 'prod',
    ingestMetrics: { featureViewIngestMetrics: [{ featureViewName: view.name, featureViewId: view.id, onlineRecordIngestCount: '0', offlineRecordIngestCount: '1' }] },
  });
  assert.equal(await offlineMerchants(), ['m_new', 'm_old', 'm_3']);
  assert.equal(await userFeatures(), ['m_new', 10, null, null], 'an older event does not overwrite a newer one online');
  const [first] = (await readOfflineRows(platform.offline.path)).rows as Record<string, unknown>[];
  assert.equal(first, {
    workspace: 'prod',
    push_source: 'transactions',
    feature_view: view.name,
    feature_view_id: view.id,
    record: { user_id: 'user_1', merchant: 'm_new', amount: 10, timestamp: T2 },
    ingested_at: new Date(new FakeClock().wallMs()).toISOString(),
  });
});

test('int64 columns take whole numbers or decimal strings beyond 2^53; timestamps are normalized to UTC', async () => {
  const answer = await ingest({ ad_clicks: [{ record: { ad_id: 'ad_1', user_id: 'u', position: '9007199254740993', timestamp: '2023-11-14T23:13:00+01:00' } }] });
  assert.is(answer.status, 200, answer.text);
  const features = await rig.post(GET_FEATURES_PATH, { params: { feature_service_name: 'fvfs_2', join_key_map: { ad_id: 'ad_1' }, metadata_options: { include_effective_times: true } } });
  assert.equal(features.json.result.features, ['u', '9007199254740993', null]);
  assert.is(features.json.metadata.features[0].effectiveTime, '2023-11-14T22:13:00.000Z');
});

test('a dry run validates and answers, but writes nothing', async () => {
  const answer = await ingest({ transactions: [tx('m_dry', '2030-01-01T00:00:00Z')] }, { dry_run: true });
  assert.is(answer.status, 200);
  assert.is(answer.json.ingestMetrics.featureViewIngestMetrics[0].offlineRecordIngestCount, '0');
  assert.equal(await offlineMerchants(), ['m_new', 'm_old']);
  assert.equal(await userFeatures(), ['m_new', 10, null, null]);
});

const many = (n: number, record: object) => Array.from({ length: n }, () => ({ record }));
// [what, body, status, message, gRPC code]; a string body is sent as it is.
const BAD: [string, object | string, number, RegExp, number][] = [
  ['truncated JSON', '{"workspace_name": "prod", "records": {', 400, /malformed ingest request: the body is not JSON/, 3],
  ['no workspace_name', { records: { transactions: [tx('x', T1)] } }, 400, /invalid workspace_name: got nothing/, 3],
  ['an unknown workspace', { workspace_name: 'staging', records: {} }, 404, /unknown workspace "staging": this Stream Ingest API serves workspace "prod"/, 5],
  ['dry_run not a boolean', { workspace_name: 'prod', dry_run: 'no', records: {} }, 400, /invalid dry_run: got "no", expected true or false/, 3],
  ['no records', { workspace_name: 'prod' }, 400, /invalid records: got nothing, expected an object of push source name/, 3],
  ['no push source', { workspace_name: 'prod', records: {} }, 400, /no push source given/, 3],
  ['an unknown push source', { workspace_name: 'prod', records: { clicks: [] } }, 404, /unknown push source "clicks".*use one of transactions, ad_clicks/, 5],
  ['records not an array', { workspace_name: 'prod', records: { transactions: {} } }, 400, /invalid records.transactions: got an object, expected a non-empty array/, 3],
  ['an entry without record', { workspace_name: 'prod', records: { transactions: [{ user_id: 'u' }] } }, 400, /invalid records.transactions\[0\].record: got nothing/, 3],
  ['a float as a string', { workspace_name: 'prod', records: { transactions: [tx('x', T1, { amount: '12.5' })] } }, 400, /records.transactions\[0\].record.amount: got "12.5", expected a finite number/, 3],
  ['a missing column', { workspace_name: 'prod', records: { transactions: [{ record: { user_id: 'u', amount: 1, timestamp: T1 } }] } }, 400, /missing column "merchant" \(string\)/, 3],
  ['an unknown column', { workspace_name: 'prod', records: { transactions: [tx('x', T1, { tip: 1 })] } }, 400, /unknown column "tip".*has columns user_id, merchant, amount, timestamp/, 3],
  ['a time without a zone', { workspace_name: 'prod', records: { transactions: [tx('x', '2023-11-14 22:13')] } }, 400, /timestamp: got "2023-11-14 22:13", expected an ISO-8601 time with a zone/, 3],
  ['a fractional int64', { workspace_name: 'prod', records: { ad_clicks: [{ record: { ad_id: 'a', user_id: 'u', position: 1.5, timestamp: T1 } }] } }, 400, /position: got 1.5, expected an int64/, 3],
  ['an int64 beyond 2^63', { workspace_name: 'prod', records: { ad_clicks: [{ record: { ad_id: 'a', user_id: 'u', position: '9223372036854775808', timestamp: T1 } }] } }, 400, /expected an int64/, 3],
  ['a day February does not have', { workspace_name: 'prod', records: { transactions: [tx('x', '2024-02-30T12:00:00Z')] } }, 400, /invalid records.transactions\[0\].record.timestamp: got "2024-02-30T12:00:00Z", but day 30 is not in 2024-02, which has 29 days/, 3],
  ['hour 24', { workspace_name: 'prod', records: { transactions: [tx('x', '2024-05-01T24:00:00Z')] } }, 400, /record.timestamp: got "2024-05-01T24:00:00Z", but hour 24 is past 23/, 3],
  ['year 0000', { workspace_name: 'prod', records: { transactions: [tx('x', '0000-01-01T00:00:00Z')] } }, 400, /record.timestamp: got "0000-01-01T00:00:00Z", but year 0000 is before year 0001/, 3],
  ['one bad record among good ones', { workspace_name: 'prod', records: { transactions: [tx('good', T2), tx('bad', 'now')] } }, 400, /records.transactions\[1\].record.timestamp.*; nothing was ingested/, 3],
  ['more than 500 records', { workspace_name: 'prod', records: { transactions: many(300, tx('x', T1).record), ad_clicks: many(201, { ad_id: 'a', user_id: 'u', position: 1, timestamp: T1 }) } }, 400, /more than 500 records in one request; split it/, 3],
  ['a body over 512 KiB', { workspace_name: 'prod', records: { transactions: [tx('x'.repeat(600 * 1024), T1)] } }, 413, /body of \d+ bytes exceeds the 524288-byte limit/, 8],
];

test('bad ingest requests get a JSON error naming the field, write nothing, and count as 4xx errors', async () => {
  for (const [what, body, status, message, code] of BAD) {
    const answer = await rig.post(INGEST_PATH, typeof body === 'string' ? body : JSON.stringify(body));
    assert.is(answer.status, status, `${what}: ${answer.text}`);
    assert.match(answer.json.error, message, what);
    assert.is(answer.json.code, code, what);
  }
  assert.equal(await offlineMerchants(), ['m_new', 'm_old'], 'the offline store holds only what was accepted');
  assert.equal(await userFeatures(), ['m_new', 10, null, null], 'the online store is untouched');
  const families = await rig.scrape();
  // No time passes on the fake clock: each rate is its count over one 5 s slot.
  assert.is(valueOf(families, 'stream_ingestapi_request_processing_error_rate', { error_code: '4xx' }) * 5, BAD.length);
  assert.is(valueOf(families, 'stream_ingestapi_request_rate') * 5, BAD.length + 1);
  assert.is(valueOf(families, 'stream_ingestapi_offline_store_write_rate', { feature_view_name: 'user_last_transaction' }) * 5, 2);
});

test('invalid records are listed in recordErrors, at most ten', async () => {
  const answer = await ingest({ transactions: Array.from({ length: 12 }, (_, i) => tx(`m${i}`, T1, { amount: String(i) })) });
  assert.is(answer.status, 400);
  assert.match(answer.json.error, /\(and more: see recordErrors\); nothing was ingested$/);
  assert.is(answer.json.recordErrors.length, 10);
  assert.equal(answer.json.recordErrors[3], { push_source: 'transactions', index: 3, error: 'invalid records.transactions[3].record.amount: got "3", expected a finite number (float64)' });
});

test('a join key get-features would refuse is refused at ingest too; other strings may be longer', async () => {
  const longest = 'u'.repeat(MAX_JOIN_KEY_LENGTH);
  assert.is((await ingest({ transactions: [{ record: { user_id: longest, merchant: 'm_long', amount: 1, timestamp: T2 } }] })).status, 200);
  const read = await rig.post(GET_FEATURES_PATH, { params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: longest } } });
  assert.is(read.status, 200, read.text);
  assert.is(read.json.result.features[0], 'm_long', 'the longest key that can be written can be read');
  const tooLong = `${longest}u`;
  const refused = await ingest({ transactions: [{ record: { user_id: tooLong, merchant: 'm', amount: 1, timestamp: T2 } }] });
  assert.is(refused.status, 400);
  assert.match(refused.json.error, new RegExp(`record.user_id: got "u+…, expected a non-empty string of at most ${MAX_JOIN_KEY_LENGTH} characters`));
  const served = await rig.post(GET_FEATURES_PATH, { params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: tooLong } } });
  assert.match(served.json.error, new RegExp(`join_key_map.user_id: got "u+…, expected a non-empty string of at most ${MAX_JOIN_KEY_LENGTH} characters`));
  // In ad_clicks user_id is a feature, not a join key: the longer limit for values applies.
  const click = { ad_id: 'ad_long', user_id: 'u'.repeat(1000), position: 1, timestamp: T2 };
  assert.is((await ingest({ ad_clicks: [{ record: click }] })).status, 200);
});

test('requests the server refuses before the handler (no key, a body over 1 MiB) get Tecton’s JSON error and count as 4xx', async () => {
  const anonymous = await rig.post(INGEST_PATH, { workspace_name: 'prod', records: { transactions: [tx('m_anon', '2030-01-01T00:00:00Z')] } }, {});
  assert.is(anonymous.status, 401);
  assert.is(anonymous.headers['www-authenticate'], 'Tecton-key');
  assert.match(anonymous.json.error, /missing Authorization header/);
  assert.is(anonymous.json.message, anonymous.json.error);
  assert.is(anonymous.json.code, 16, 'UNAUTHENTICATED');
  const wrongKey = await rig.post(INGEST_PATH, '{}', { Authorization: 'Tecton-key not-a-key' });
  assert.is(wrongKey.status, 401);
  assert.is(wrongKey.json.code, 16);
  // Over the server-wide 1 MiB limit, and over the route's own 512 KiB: both refused before the body is read.
  for (const size of [1024 * 1024 + 1, 600 * 1024]) {
    const huge = await rig.post(INGEST_PATH, Buffer.alloc(size, 0x20));
    assert.is(huge.status, 413, `${size} bytes`);
    assert.is(huge.json.error, `request body of ${size} bytes exceeds the 524288-byte limit`);
    assert.is(huge.json.code, 8, 'RESOURCE_EXHAUSTED');
  }
  assert.equal(await offlineMerchants(), ['m_new', 'm_old'], 'nothing was written');
  const families = await rig.scrape();
  // The fake clock stands still: each rate is its count over one 5 s slot. The ingest of before.each is the 1.
  assert.is(valueOf(families, 'stream_ingestapi_request_rate') * 5, 1 + 4);
  assert.is(valueOf(families, 'stream_ingestapi_request_processing_error_rate', { error_code: '4xx' }) * 5, 4);
  assert.is(valueOf(families, 'stream_ingestapi_request_processing_latency', {}, 'stream_ingestapi_request_processing_latency_count'), 1, 'refusals have no handling time');
});

test('when the offline store cannot take rows the request is 503, nothing goes online, and it counts as 5xx', async () => {
  await platform.offline.close();
  const answer = await ingest({ transactions: [tx('m_late', '2030-01-01T00:00:00Z')] });
  assert.is(answer.status, 503);
  assert.match(answer.json.error, /offline store .* is closed; rows were not written; retry the request later/);
  assert.is(answer.json.code, 14);
  assert.equal(await userFeatures(), ['m_new', 10, null, null]);
  assert.is(valueOf(await rig.scrape(), 'stream_ingestapi_request_processing_error_rate', { error_code: '5xx' }) * 5, 1);
});

test.run();

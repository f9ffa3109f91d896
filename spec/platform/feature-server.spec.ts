import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Platform } from '../../lib/platform/platform.js';
import type { Rig } from './harness.js';
import { FakeClock } from '../../lib/clock.js';
import { GET_FEATURES_BATCH_PATH, GET_FEATURES_PATH } from '../../lib/platform/feature-server.js';
import { INGEST_PATH } from '../../lib/platform/ingest-api.js';
import { samples, startPlatformRig, valueOf } from './harness.js';

let rig: Rig;
let platform: Platform;
let clock: FakeClock;
let stop: () => Promise<void>;

const TX_TIME = '2023-11-14T22:13:00.000Z';

test.before.each(async () => {
  clock = new FakeClock();
  ({ rig, platform, stop } = await startPlatformRig({ clock }));
  // user_1 gets a transaction through the ingest API and two page views through the stream processor.
  const ingest = await rig.post(INGEST_PATH, {
    workspace_name: 'prod',
    records: { transactions: [{ record: { user_id: 'user_1', merchant: 'm_1', amount: 12.5, timestamp: TX_TIME } }] },
  });
  assert.is(ingest.status, 200, ingest.text);
  platform.stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_2' }, eventTimeMs: clock.wallMs() - 2000 });
  platform.stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_3' }, eventTimeMs: clock.wallMs() - 1000 });
  platform.processor.runBatch();
});

test.after.each(() => stop());

const getFeatures = (params: object) => rig.post(GET_FEATURES_PATH, { params });
const USER_1 = { feature_service_name: 'fvfs_1', join_key_map: { user_id: 'user_1' } };

test('get-features answers the Tecton shape: values from the online store, names, data types, status, effective times', async () => {
  const answer = await getFeatures({ ...USER_1, workspace_name: 'prod', metadata_options: { include_serving_status: true, include_effective_times: true } });
  assert.is(answer.status, 200, answer.text);
  assert.equal(answer.json.result.features, ['m_1', 12.5, '2', 'ad_3']);
  assert.equal(answer.json.metadata.features, [
    { name: 'user_last_transaction.merchant', dataType: { type: 'string' }, effectiveTime: TX_TIME, status: 'PRESENT' },
    { name: 'user_last_transaction.amount', dataType: { type: 'float64' }, effectiveTime: TX_TIME, status: 'PRESENT' },
    { name: 'user_page_view_counts.page_views', dataType: { type: 'int64' }, effectiveTime: new Date(clock.wallMs() - 1000).toISOString(), status: 'PRESENT' },
    { name: 'user_page_view_counts.last_ad_id', dataType: { type: 'string' }, effectiveTime: new Date(clock.wallMs() - 1000).toISOString(), status: 'PRESENT' },
  ]);
});

test('an entity with no data answers nulls with MISSING_DATA, and names can be turned off', async () => {
  const answer = await getFeatures({ feature_service_name: 'fvfs_1', join_key_map: { user_id: 'nobody' }, metadata_options: { include_serving_status: true, include_names: false, include_data_types: false } });
  assert.is(answer.status, 200);
  assert.equal(answer.json.result.features, [null, null, null, null]);
  assert.equal(answer.json.metadata.features.map((feature: { status: string }) => feature), Array(4).fill({ status: 'MISSING_DATA' }));
});

test('camelCase fields and feature_service_id work, as in Tecton’s protobuf JSON', async () => {
  const id = platform.workspace.services.get('fvfs_1')!.id;
  const answer = await getFeatures({ featureServiceId: id, joinKeyMap: { user_id: 'user_1' } });
  assert.is(answer.status, 200, answer.text);
  assert.equal(answer.json.result.features, ['m_1', 12.5, '2', 'ad_3']);
});

test('a service over two entities joins both keys; a whole-number key is read as its decimal string', async () => {
  platform.stream.push({ fields: { user_id: 'user_1', ad_id: '7' }, eventTimeMs: clock.wallMs() });
  platform.processor.runBatch();
  const answer = await getFeatures({ feature_service_name: 'fvfs_3', join_key_map: { user_id: 'user_1', ad_id: 7 } });
  assert.is(answer.status, 200, answer.text);
  assert.equal(answer.json.result.features, ['m_1', 12.5, '3', '7', '1']);
});

test('get-features-batch answers one vector per row, and counts as that many calls', async () => {
  const rows = [{ join_key_map: { user_id: 'user_1' } }, { join_key_map: { user_id: 'nobody' } }, { join_key_map: { user_id: 'user_1' } }];
  const answer = await rig.post(GET_FEATURES_BATCH_PATH, { params: { feature_service_name: 'fvfs_1', request_data: rows } });
  assert.is(answer.status, 200, answer.text);
  assert.equal(answer.json.result, [{ features: ['m_1', 12.5, '2', 'ad_3'] }, { features: [null, null, null, null] }, { features: ['m_1', 12.5, '2', 'ad_3'] }]);
  assert.is(answer.json.metadata.features.length, 4);
  await getFeatures(USER_1);
  const families = await rig.scrape();
  // No time passed on the fake clock, so each rate divides by one 5 s slot: 3 + 1 calls.
  assert.is(valueOf(families, 'feature_service_requests_rate', { feature_service_name: 'fvfs_1' }) * 5, 4);
  assert.is(valueOf(families, 'feature_service_latency', { feature_service_name: 'fvfs_1' }, 'feature_service_latency_count'), 2, 'latency counts requests');
});

// [what, request, status, message, gRPC code]; a body given as a string is sent as it is.
const BAD: [string, object | string, number, RegExp, number][] = [
  ['truncated JSON', '{"params": {"feature_service_name": "fvfs_1"', 400, /malformed get-features request: the body is not JSON/, 3],
  ['an empty body', '', 400, /the body is empty/, 3],
  ['a JSON array', '[1, 2]', 400, /malformed get-features request: the body is an array of 2, not an object; send a JSON object like/, 3],
  ['no params', {}, 400, /invalid params: got nothing, expected an object like/, 3],
  ['a name of the wrong type', { params: { feature_service_name: 42, join_key_map: {} } }, 400, /invalid params.feature_service_name: got 42, expected a non-empty string/, 3],
  ['both a name and an id', { params: { feature_service_name: 'fvfs_1', feature_service_id: 'x', join_key_map: {} } }, 400, /set exactly one of feature_service_name and feature_service_id/, 3],
  ['an unknown service', { params: { feature_service_name: 'nope', join_key_map: {} } }, 404, /unknown feature service name "nope" in workspace "prod": use one of fvfs_1, fvfs_2, fvfs_3/, 5],
  ['an unknown workspace', { params: { ...USER_1, workspace_name: 'staging' } }, 404, /unknown workspace "staging"/, 5],
  ['no join_key_map', { params: { feature_service_name: 'fvfs_1' } }, 400, /invalid params.join_key_map: got nothing, expected an object of join keys: user_id/, 3],
  ['a join key of the wrong type', { params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: true } } }, 400, /invalid params.join_key_map.user_id: got true/, 3],
  ['an unknown join key', { params: { feature_service_name: 'fvfs_1', join_key_map: { user_id: 'u', ad_id: 'a' } } }, 400, /unknown join key "ad_id".*fvfs_1 takes user_id/, 3],
  ['a missing join key', { params: { feature_service_name: 'fvfs_3', join_key_map: { user_id: 'u' } } }, 400, /missing join key "ad_id".*needs user_id, ad_id/, 3],
  ['a metadata option of the wrong type', { params: { ...USER_1, metadata_options: { include_names: 'yes' } } }, 400, /params.metadata_options.include_names: got "yes", expected true or false/, 3],
  ['a body over 256 KiB', { params: { ...USER_1, request_context_map: { pad: 'x'.repeat(300 * 1024) } } }, 413, /body of \d+ bytes exceeds the 262144-byte limit/, 8],
];

test('bad get-features requests get a JSON error with the status, the reason and Tecton’s gRPC code, and are counted', async () => {
  for (const [what, request, status, message, code] of BAD) {
    const answer = await rig.post(GET_FEATURES_PATH, typeof request === 'string' ? request : JSON.stringify(request));
    assert.is(answer.status, status, `${what}: ${answer.text}`);
    assert.match(answer.json.error, message, what);
    assert.is(answer.json.message, answer.json.error);
    assert.is(answer.json.code, code, what);
  }
  const families = await rig.scrape();
  const count = (status: number) => BAD.filter(([, , expected]) => expected === status).length;
  // The errors rate is each status's share of all requests answered (these, and none other yet).
  for (const status of [400, 404, 413]) {
    const expected = (100 * count(status)) / BAD.length;
    assert.ok(Math.abs(valueOf(families, 'feature_server_errors_rate', { status: String(status) }) - expected) < 1e-9, `status ${status}`);
  }
  assert.ok(samples(families, 'feature_service_requests_rate', { feature_service_name: 'unknown' }).length === 1, 'unresolved requests share one series');
  assert.equal((await getFeatures(USER_1)).json.result.features, ['m_1', 12.5, '2', 'ad_3'], 'the stored values are untouched');
});

test('bad get-features-batch requests: no rows, too many rows, a bad row', async () => {
  const cases: [object, RegExp][] = [
    [{ feature_service_name: 'fvfs_1', request_data: [] }, /invalid params.request_data: got an array of 0, expected a non-empty array of at most 100 items/],
    [{ feature_service_name: 'fvfs_1', request_data: Array(101).fill({ join_key_map: { user_id: 'u' } }) }, /101 items exceed the limit of 100; split the request/],
    [{ feature_service_name: 'fvfs_1', request_data: [{ join_key_map: { user_id: 'u' } }, { join_key_map: {} }] }, /missing join key "user_id" in params.request_data\[1\].join_key_map/],
  ];
  for (const [params, message] of cases) {
    const answer = await rig.post(GET_FEATURES_BATCH_PATH, { params });
    assert.is(answer.status, 400, answer.text);
    assert.match(answer.json.error, message);
  }
});

test('requests without a valid Tecton key are refused by the server with Tecton’s JSON error, and counted', async () => {
  const missing = await rig.post(GET_FEATURES_PATH, { params: USER_1 }, {});
  assert.is(missing.status, 401);
  assert.is(missing.headers['www-authenticate'], 'Tecton-key');
  assert.match(missing.json.error, /missing Authorization header/);
  assert.is(missing.json.code, 16, 'UNAUTHENTICATED');
  const wrong = await rig.post(GET_FEATURES_BATCH_PATH, { params: USER_1 }, { Authorization: 'Tecton-key not-a-key' });
  assert.is(wrong.status, 401);
  assert.match(wrong.json.error, /invalid API key/);
  assert.is(wrong.json.message, wrong.json.error);
  assert.ok(valueOf(await rig.scrape(), 'feature_server_errors_rate', { status: '401' }) > 0, 'refused requests count as 401 errors');
  assert.is((await getFeatures(USER_1)).status, 200);
});

test('a body over the server-wide 1 MiB limit gets the same JSON 413 as one over the route’s 256 KiB', async () => {
  for (const path of [GET_FEATURES_PATH, GET_FEATURES_BATCH_PATH]) {
    for (const size of [1024 * 1024 + 1, 300 * 1024]) {
      const answer = await rig.post(path, Buffer.alloc(size, 0x20));
      assert.is(answer.status, 413, `${path} ${size}`);
      assert.is(answer.json.error, `request body of ${size} bytes exceeds the 262144-byte limit`);
      assert.is(answer.json.code, 8, 'RESOURCE_EXHAUSTED');
    }
  }
  assert.is(valueOf(await rig.scrape(), 'feature_server_errors_rate', { status: '413' }), 100, 'every request so far was refused');
});

test.run();

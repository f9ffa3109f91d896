import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import type { Harness } from './harness.js';
import { startServer, waitFor } from './harness.js';

let h: Harness;

test.before.each(async () => {
  const registry = new Registry({ clock: new FakeClock() });
  registry.gauge({ name: 'up_spec', help: 'spec' }).set(1);
  h = await startServer({ source: registry });
});

test.after.each(() => h.stop());

const refused = async (headers: Record<string, string>, reason: RegExp) => {
  const res = await h.get(METRICS_PATH, headers);
  assert.is(res.status, 401);
  assert.is(res.headers['www-authenticate'], 'Tecton-key');
  const body = res.body.toString();
  assert.ok(reason.test(body), body);
  assert.is(body.split('\n').length, 2, 'a one-line reason');
  assert.not.ok(body.includes('up_spec'), 'no metrics leak');
};

test('a valid Tecton-key gets the metrics', async () => {
  const res = await h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` });
  assert.is(res.status, 200);
  assert.ok(res.body.toString().includes('up_spec 1'));
});

test('the scheme is case-insensitive, the key is not', async () => {
  assert.is((await h.get(METRICS_PATH, { Authorization: `tecton-KEY ${h.apiKey}` })).status, 200);
  await refused({ Authorization: `Tecton-key ${h.apiKey.toUpperCase()}` }, /^invalid API key/);
});

test('a missing Authorization header is refused with the challenge', () => refused({}, /^missing Authorization header/));

test('malformed headers are refused without looking the key up', async () => {
  for (const value of ['Bearer abc', 'Tecton-key', `Tecton-key ${h.apiKey} extra`, 'Tecton-key ab"c', `Tecton-key ${'a'.repeat(600)}`, 'Basic dXNlcjpwYXNz']) {
    await refused({ Authorization: value }, /^malformed Authorization header/);
  }
});

test('the separator between scheme and key is spaces only (RFC 9110 credentials: 1*SP)', async () => {
  assert.is((await h.get(METRICS_PATH, { Authorization: `Tecton-key   ${h.apiKey}` })).status, 200, 'several spaces are fine');
  for (const separator of ['\t', '\u00a0', ' \t']) {
    await refused({ Authorization: `Tecton-key${separator}${h.apiKey}` }, /^malformed Authorization header/);
  }
  await refused({ Authorization: `Tecton-key ${h.apiKey}\u00a0` }, /^malformed Authorization header/);
});

test('an unknown key and a revoked key get the same answer', async () => {
  const unknown = await h.get(METRICS_PATH, { Authorization: 'Tecton-key thisKeyWasNeverIssuedByOmen0000000000000000' });
  await h.store.delete(h.accountId);
  await h.keys.refresh();
  const revoked = await h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` });
  assert.is(unknown.status, 401);
  assert.is(revoked.status, 401);
  assert.is(revoked.body.toString(), unknown.body.toString(), 'the reply does not say whether the key existed');
});

test('a running server sees a new account and a deletion without restart', async () => {
  const { apiKey, account } = await h.store.create({ name: 'late' });
  const status = async (key: string) => (await h.get(METRICS_PATH, { Authorization: `Tecton-key ${key}` })).status;
  await waitFor('the new key to work', async () => (await status(apiKey)) === 200);
  await h.store.delete(account.id);
  await waitFor('the deleted key to stop working', async () => (await status(apiKey)) === 401);
  assert.is(await status(h.apiKey), 200, 'other accounts are unaffected');
});

test('a store that turns corrupt fails closed with 503 until repaired', async () => {
  writeFileSync(h.store.path, '{ not json');
  await h.keys.refresh();
  const res = await h.get(METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}` });
  assert.is(res.status, 503);
  assert.ok(res.body.toString().startsWith('service accounts are unavailable'));
  await h.store.create({ name: 'repairs-nothing' }).then(
    () => assert.unreachable('editing a corrupt store must fail'),
    (error: Error) => assert.ok(error.message.includes(h.store.path)),
  );
});

test('healthz needs no key', async () => {
  const res = await h.get('/healthz');
  assert.is(res.status, 200);
  assert.is(res.body.toString(), 'ok\n');
});

test.run();

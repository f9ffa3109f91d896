// The Pushgateway's group URL rules, as columns: plain values URI-encoded, `/` and empty values in the
// `@base64` form (URL-safe alphabet, a lone `=` for empty), a base path kept, bad options refused by name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { groupUrl } from '../../lib/push/url.js';

const ok = (base: string, job: string, key: Record<string, string>, path: string): void =>
  test(`${job} ${JSON.stringify(key)} → ${path}`, () => assert.is(groupUrl(base, job, key).pathname, path));
const bad = (base: string, job: string, key: Record<string, string>, message: RegExp): void =>
  test(`${base} ${job} ${JSON.stringify(key)} is refused`, () => assert.throws(() => groupUrl(base, job, key), message));

const GW = 'http://127.0.0.1:9091';
ok(GW, 'nightly', {}, '/metrics/job/nightly');
ok(GW, 'nightly', { instance: 'batch-7' }, '/metrics/job/nightly/instance/batch-7');
ok(GW, 'nightly', { path: '/var/tmp' }, '/metrics/job/nightly/path@base64/L3Zhci90bXA');
ok(GW, 'nightly', { shard: '' }, '/metrics/job/nightly/shard@base64/=');
ok(GW, 'a/b', {}, '/metrics/job@base64/YS9i');
ok(GW, 'nightly', { note: 'a b?c' }, '/metrics/job/nightly/note/a%20b%3Fc');
ok(GW, 'nightly', { v: '??>' }, '/metrics/job/nightly/v/%3F%3F%3E');
ok(GW, 'nightly', { v: '/?>' }, '/metrics/job/nightly/v@base64/Lz8-');
ok(`${GW}/gateway/`, 'nightly', {}, '/gateway/metrics/job/nightly');
bad(GW, '', {}, /invalid job "": the Pushgateway needs a non-empty job name/);
bad(GW, 'j', { 'bad-name': 'x' }, /invalid label name "bad-name"/);
bad(GW, 'j', { job: 'x' }, /the job is given by the job option/);
bad('ftp://host', 'j', {}, /must be http: or https:/);
bad('127.0.0.1:9091/x', 'j', {}, /must be absolute/);

test.run();

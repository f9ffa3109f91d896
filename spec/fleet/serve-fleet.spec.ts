// `omen serve` flags for fleets and `omen catalog rules`, as real processes: usage errors name the flag,
// an engine nobody answers for gives 503 naming it (and /healthz says so), the raw series are at /metrics
// behind a key or not, and the stream-progress intake is mounted without --demo.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { STREAM_PROGRESS_PATH } from '../../lib/platform/stream-progress.js';
import { findOnPath, freePort } from '../support/processes.js';
import { tempDir } from '../server/harness.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import { get, omenServe, portOf } from './support.js';

let dir: string;
let apiKey: string;

test.before.each(async () => {
  dir = tempDir('omen-serve-fleet-');
  ({ apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'spec' }));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

/** The real dispatcher in process (usage errors never get as far as listening). */
async function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {}, cwd: dir };
  const status = await main(args, io);
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

test('bad fleet flags are usage errors (exit 2) naming the flag and the accepted form', async () => {
  const cases: [string[], RegExp][] = [
    [['--source', 'thanos'], /invalid --source "thanos": must be process or prometheus/],
    [['--source', 'prometheus'], /--source prometheus needs --prometheus-url/],
    [['--prometheus-url', 'http://x'], /--prometheus-url is for --source prometheus/],
    [['--source', 'prometheus', '--prometheus-url', 'ftp://x'], /invalid --prometheus-url "ftp:\/\/x": must start with http:\/\/ or https:\/\//],
    [['--source', 'prometheus', '--prometheus-url', 'http://x', '--demo'], /--demo runs one instance/],
    [['--source', 'prometheus', '--prometheus-url', 'http://x', '--prometheus-header', 'no colon'], /invalid --prometheus-header "no colon": must be 'Name: value'/],
    [['--window', '5 minutes'], /invalid --window "5 minutes": must be a duration like 500ms, 10s, 5m or 1h30m/],
    [['--cache-ttl=-1s'], /invalid --cache-ttl "-1s"/],
    [['--query-timeout', '0s'], /invalid --query-timeout "0s": must be more than 0/],
    [['--metrics-auth', 'basic'], /invalid --metrics-auth "basic": must be key or none/],
    [['--server-group', ' '], /invalid --server-group ""/],
    [['--instance', 'a b'], /invalid --instance "a b"/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(['serve', '--data-dir', join(dir, 'data'), ...args]);
    assert.is(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});

const promtool = findOnPath('promtool');
test('omen catalog rules prints rules promtool accepts; bad arguments are usage errors', async () => {
  const run = await cli(['catalog', 'rules', '--window', '2m', '--interval', '30s']);
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, /^# Recording rules for the Metrics API catalog 0\.7, window 2m/);
  assert.match(run.stdout, /interval: 30s/);
  assert.match(run.stdout, /rate\(omen_feature_server_calls_total\[2m\]\)/);
  if (promtool !== undefined) {
    writeFileSync(join(dir, 'rules.yml'), run.stdout);
    const check = spawnSync(promtool, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    assert.is(check.status, 0, check.stdout + check.stderr);
  } else console.log('serve-fleet: promtool check skipped: no "promtool" on PATH');
  assert.is((await cli(['catalog', 'rules', '--window', 'soon'])).status, 2);
  assert.match((await cli(['catalog', 'rules', '--catalog', '9.9'])).stderr, /unknown catalog version "9\.9": the built-in versions are 0\.7, 0\.9, 1\.1/);
  assert.match((await cli(['catalog', 'lint'])).stderr, /unknown sub-command "lint"/);
});

test('--source prometheus with no engine listening: 503, Retry-After and a reason naming engine and query; /healthz says so', async () => {
  const port = await freePort(); // nothing listens here
  const fleet = omenServe(['--data-dir', join(dir, 'data'), '--source', 'prometheus', '--prometheus-url', `http://127.0.0.1:${port}/prefix/`, '--prometheus-header', 'X-Scope-OrgID: tenant-1', '--cache-ttl', '3s']);
  try {
    const at = await portOf(fleet);
    assert.match((await get(at, '/healthz')).text, /^ok: no evaluation yet/);
    assert.is((await get(at, METRICS_PATH)).status, 401, 'the Metrics API still wants a key');
    const answer = await get(at, METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` });
    assert.is(answer.status, 503);
    assert.is(answer.headers['retry-after'], '3');
    assert.match(answer.text, new RegExp(`^prometheus-api engine at http://127\\.0\\.0\\.1:${port}/prefix failed query for feature_service_requests_total_rate \\(sum by \\(aws_region\\) \\(rate\\(omen_feature_server_calls_total\\[5m\\]\\)\\)\\): ECONNREFUSED\\n$`));
    const health = await get(at, '/healthz');
    assert.is(health.status, 503);
    assert.match(health.text, /^engine down: prometheus-api engine at .* ECONNREFUSED/);
    assert.is((await get(at, METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` }, 'HEAD')).status, 503);
  } finally {
    await fleet.stop();
  }
});

test('raw series at /metrics want a key unless --metrics-auth none; stream progress is accepted without --demo', async () => {
  const keyed = omenServe(['--data-dir', join(dir, 'data'), '--server-group', 'g7', '--region', 'eu-west-1']);
  const open = omenServe(['--data-dir', join(dir, 'data'), '--metrics-auth', 'none']);
  try {
    const [k, o] = await Promise.all([portOf(keyed), portOf(open)]);
    assert.is((await get(k, '/metrics')).status, 401);
    assert.is((await get(o, '/metrics')).status, 200);
    // One clock reading for every time in the report: two readings can straddle a millisecond, and the age
    // (timestamp − eventTime.min) would then read 5.001.
    const now = Date.now();
    const report = {
      workspace: 'prod',
      feature_view_name: 'clicks',
      feature_view_id: 'fv-1',
      progress: { timestamp: new Date(now).toISOString(), numInputRows: 3, inputRowsPerSecond: 3, eventTime: { min: new Date(now - 5000).toISOString(), max: new Date(now).toISOString() } },
    };
    const posted = await fetch(`http://127.0.0.1:${k}${STREAM_PROGRESS_PATH}`, { method: 'POST', headers: { Authorization: `Tecton-key ${apiKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(report) });
    assert.is(posted.status, 204, await posted.text());
    const raw = await get(k, '/metrics', { Authorization: `Tecton-key ${apiKey}` });
    assert.match(raw.text, /omen_spark_stream_input_rows_per_second_count\{aws_region="eu-west-1",server_group_name="g7",workspace="prod",feature_view_name="clicks",feature_view_id="fv-1"\} 1/);
    const local = await get(k, METRICS_PATH, { Authorization: `Tecton-key ${apiKey}` });
    assert.match(local.text, /spark_stream_max_processed_event_age\{workspace="prod",feature_view_name="clicks",feature_view_id="fv-1"\} 5 /);
    assert.not.ok(local.text.includes('omen_spark_stream'), 'the Metrics API serves the catalog, not the raw series');
  } finally {
    await Promise.all([keyed.stop(), open.stop()]);
  }
});

test.run();

// `omen serve` over HTTPS as a real process: a real Prometheus (Debian's 2.42) scrapes the demo catalog with
// examples/prometheus/prometheus-https.yml, a CA file and a Tecton-key credentials file; `omen scrape --ca`
// reads it; the access log names the account that scraped (never its key) and follows a rotation on SIGHUP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from '../../lib/cli/verb.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { main } from '../../lib/cli.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { hashApiKey } from '../../lib/server/api-key.js';
import { openssl, TestCa } from '../support/certs.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';
import { tempDir, waitFor } from '../server/harness.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const EXAMPLE = new URL('../../../examples/prometheus/prometheus-https.yml', import.meta.url);
const BOUND_MS = 60_000;

interface Served {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function serveTls(dir: string, args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  let port = 0;
  await waitFor('omen serve to listen on https', () => {
    if (child.exitCode !== null) throw new Error(`omen serve exited ${child.exitCode}:\n${text}`);
    port = Number(/listening on https:\/\/127\.0\.0\.1:(\d+)\//.exec(text)?.[1] ?? 0);
    return port > 0;
  }, 20_000);
  return { child, port, output: () => text };
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (line) => (out += `${line}\n`), err: (line) => (err += `${line}\n`), env: {}, cwd: process.cwd(), stdin: process.stdin };
  const code = await main(args, io);
  return { code, out, err };
}

const prometheusBinary = findOnPath('prometheus');

if (openssl === undefined) {
  console.log('serve-tls: skipped: no "openssl" binary on PATH (apt-get install -y openssl)');
  test.skip('omen serve over HTTPS');
} else {
  test('omen scrape reads an HTTPS server with --ca, refuses an unknown CA, and warns on --insecure', async () => {
    const dir = tempDir('omen-serve-tls-');
    let served: Served | undefined;
    try {
      const ca = new TestCa(dir);
      const pem = ca.server('server', '5A01');
      const { apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'scraper' });
      served = await serveTls(dir, ['--tls-cert', pem.cert, '--tls-key', pem.key]);
      const url = `https://127.0.0.1:${served.port}/api/v1/observability/metrics`;
      const good = await cli(['scrape', url, '--key', apiKey, '--ca', ca.cert]);
      assert.is(good.code, 0, good.err);
      assert.match(good.out, /feature_service_requests_total_rate\s+gauge/);
      const unknownCa = await cli(['scrape', url, '--key', apiKey]);
      assert.is(unknownCa.code, 1);
      assert.match(unknownCa.err, /certificate|CERT/i);
      const insecure = await cli(['scrape', url, '--key', apiKey, '--insecure']);
      assert.is(insecure.code, 0, insecure.err);
      assert.match(insecure.err, /warning: --insecure/);
      const both = await cli(['scrape', url, '--ca', ca.cert, '--insecure']);
      assert.is(both.code, 2);
      assert.match(both.err, /--ca and --insecure both given/);
    } finally {
      await stopChild(served?.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--tls-cert without --tls-key, and files that cannot serve, stop omen serve with a reason', async () => {
    const dir = tempDir('omen-serve-tls-');
    try {
      const half = await cli(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--tls-cert', join(dir, 'x.crt')]);
      assert.is(half.code, 2);
      assert.match(half.err, /--tls-cert and --tls-key go together/);
      mkdirSync(join(dir, 'data'), { mode: 0o700 });
      writeFileSync(join(dir, 'bad.crt'), 'not a certificate\n');
      writeFileSync(join(dir, 'bad.key'), 'not a key\n');
      const bad = await cli(['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--tls-cert', join(dir, 'bad.crt'), '--tls-key', join(dir, 'bad.key')]);
      assert.is(bad.code, 1);
      assert.match(bad.err, /cannot use --tls-cert ".*bad\.crt" with --tls-key ".*bad\.key"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (prometheusBinary === undefined) {
    console.log('serve-tls: skipped the Prometheus scrape: no "prometheus" binary on PATH (apt-get install -y prometheus)');
    test.skip('a real Prometheus scrapes omen serve --demo over HTTPS');
  } else {
    test('a real Prometheus scrapes omen serve --demo over HTTPS; the access log names its account and follows SIGHUP', async () => {
      const dir = tempDir('omen-serve-tls-');
      let served: Served | undefined;
      let prometheus: ChildProcess | undefined;
      let log = '';
      try {
        const ca = new TestCa(dir);
        const pem = ca.server('server', '7B01');
        const { account, apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'prometheus' });
        const accessLog = join(dir, 'access.log');
        served = await serveTls(dir, ['--demo', '--tls-cert', pem.cert, '--tls-key', pem.key, '--access-log', accessLog]);

        const keyFile = join(dir, 'tecton-api-key');
        writeFileSync(keyFile, `${apiKey}\n`, { mode: 0o600 });
        copyFileSync(ca.cert, join(dir, 'omen-ca.crt'));
        const config = readFileSync(EXAMPLE, 'utf8')
          .replaceAll('scrape_interval: 30s', 'scrape_interval: 1s')
          .replace('scrape_timeout: 10s', 'scrape_timeout: 1s')
          .replace('/etc/prometheus/tecton-api-key', keyFile)
          .replace('/etc/prometheus/omen-ca.crt', join(dir, 'omen-ca.crt'))
          .replace("'127.0.0.1:8443'", `'127.0.0.1:${served.port}'`);
        assert.ok(config.includes(keyFile) && config.includes(`127.0.0.1:${served.port}`) && config.includes('omen-ca.crt'), 'the example has the expected placeholders');
        writeFileSync(join(dir, 'prometheus.yml'), config);
        mkdirSync(join(dir, 'tsdb'));
        const web = `127.0.0.1:${await freePort()}`;
        prometheus = spawn(prometheusBinary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=${web}`], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        prometheus.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
        const query = async (promql: string) => {
          const res = await fetch(`http://${web}/api/v1/query?query=${encodeURIComponent(promql)}`).catch(() => undefined);
          return res?.ok === true ? ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result : [];
        };
        let health = '';
        await waitFor(
          'Prometheus to scrape the HTTPS target',
          async () => {
            const res = await fetch(`http://${web}/api/v1/targets`).catch(() => undefined);
            const target = res?.ok === true ? ((await res.json()) as { data: { activeTargets: { health: string; lastError: string; scrapeUrl: string }[] } }).data.activeTargets[0] : undefined;
            health = `${target?.scrapeUrl} ${target?.health} ${target?.lastError ?? ''}`;
            return target?.health === 'up';
          },
          BOUND_MS,
        ).catch((error: Error) => assert.unreachable(`${error.message} (last: ${health})\n${log}\n${served?.output()}`));
        assert.match(health, /^https:\/\//);

        const wanted = CATALOG_0_7.metrics.map((metric) => metric.name).sort();
        let stored: string[] = [];
        await waitFor(
          'every catalog metric in Prometheus over HTTPS',
          async () => {
            stored = (await query('count by (__name__)({__name__=~"feature_.*|spark_.*|stream_.*"})')).map((series) => series.metric.__name__ ?? '');
            return wanted.every((name) => stored.includes(name));
          },
          BOUND_MS,
        ).catch(() => assert.unreachable(`missing: ${wanted.filter((name) => !stored.includes(name)).join(', ')}\n${log}`));

        const lines = () => (existsSync(accessLog) ? readFileSync(accessLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : []);
        const scrapes = lines().filter((line) => line.account === account.id);
        assert.ok(scrapes.length > 0, 'Prometheus\' scrapes are logged under its service account');
        assert.ok(scrapes.every((line) => line.path === '/api/v1/observability/metrics' && line.status === 200 && line.format === 'openmetrics'));
        const text = readFileSync(accessLog, 'utf8');
        assert.not.ok(text.includes(apiKey) || text.includes(hashApiKey(apiKey).toString('hex')), 'no key and no key hash in the log');

        // logrotate's move, then SIGHUP: new lines go to a new file by the old name.
        renameSync(accessLog, `${accessLog}.1`);
        served.child.kill('SIGHUP');
        await waitFor('lines in the reopened access log', () => lines().some((line) => line.account === account.id), 10_000);
        assert.is(served.child.exitCode, null, 'SIGHUP does not stop the server');
      } finally {
        await stopChild(prometheus);
        await stopChild(served?.child);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test.run();

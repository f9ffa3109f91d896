// `omen serve --timestamps on|off`: the catalog's computed gauges carry the scrape time by default (as the
// Metrics API documents) and none with `off`; any other value is a usage error.
import type { CliIO } from '../../lib/cli/verb.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../lib/cli.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));

/** Runs `omen serve` with `args`, scrapes it once, stops it, and returns the body. */
async function scrapeServe(args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'omen-stamps-'));
  const { apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'spec' });
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(text);
        if (match !== null) resolve(match[1]!);
      });
      child.once('exit', () => reject(new Error(`omen serve exited before listening:\n${text}`)));
    });
    const response = await fetch(url, { headers: { authorization: `Tecton-key ${apiKey}` } });
    assert.is(response.status, 200);
    assert.ok(url.endsWith(METRICS_PATH));
    return await response.text();
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the catalog gauges carry the scrape time by default and none with --timestamps off', async () => {
  const on = await scrapeServe([]);
  assert.match(on, /^feature_service_requests_total_rate\{aws_region="us-west-2"\} 0 \d{13}$/m);
  const off = await scrapeServe(['--timestamps', 'off']);
  assert.match(off, /^feature_service_requests_total_rate\{aws_region="us-west-2"\} 0$/m);
  assert.not.match(off, /^[a-z_]+(\{[^}]*\})? \S+ \d{13}$/m, 'no sample has a timestamp');
});

test('--timestamps takes only on or off (exit 2)', async () => {
  const err: string[] = [];
  const io: CliIO = { out: () => {}, err: (text) => err.push(text), stdin: Readable.from([]), env: {}, cwd: tmpdir() };
  assert.is(await main(['serve', '--timestamps', 'yes'], io), 2);
  assert.match(err[0]!, /invalid --timestamps "yes": use on \(the default\) or off/);
});

test.run();

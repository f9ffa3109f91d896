// `omen lint --format protobuf` through the real dispatcher: a registry's protobuf scrape is valid; a truncated
// one is reported as FILE:1:<byte offset + 1> with its code; a bad --format value names the three choices.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { PROTOBUF } from '../../lib/exposition/proto/format.js';
import { Registry } from '../../lib/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'omen-lint-pb-'));

async function lint(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {}, cwd: dir };
  const code = await main(['lint', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function scrapeBytes(): Promise<Buffer> {
  const registry = new Registry();
  registry.counter({ name: 'jobs', help: 'Jobs.' }).inc(2);
  registry.histogram({ name: 'wait_seconds', help: 'Wait.', native: true }).observe(0.3);
  return registry.scrape(PROTOBUF);
}

test('a protobuf scrape lints clean: 2 families, 17 samples (2 counter, 12 buckets, sum, count, created)', async () => {
  writeFileSync(join(dir, 'ok.pb'), await scrapeBytes());
  const run = await lint(['--format', 'protobuf', 'ok.pb']);
  assert.equal(run, { code: 0, out: 'ok: 2 families, 17 samples', err: '' });
});

test('a truncated protobuf scrape: FILE:1:COL with the byte offset and the code, exit 1', async () => {
  const bytes = await scrapeBytes();
  writeFileSync(join(dir, 'cut.pb'), bytes.subarray(0, bytes.length - 3));
  const run = await lint(['--format=protobuf', 'cut.pb']);
  assert.is(run.code, 1);
  assert.match(run.out, /^cut\.pb:1:\d+: .* at byte \d+ \(length-past-end\)$/);
});

test('an unknown --format names the choices', async () => {
  const run = await lint(['--format', 'proto', 'x']);
  assert.is(run.code, 2);
  assert.match(run.err, /use openmetrics, openmetrics2, prometheus or protobuf/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();

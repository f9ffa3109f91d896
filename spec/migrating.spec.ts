// MIGRATING.md runs: every ```js block is written to its own module in a temporary project where `omen`
// resolves to this checkout (through package.json's exports, as an installed copy would), then run by node.
// The Pushgateway snippet pushes to a real Pushgateway (Debian's), started on a free port and handed to it as
// PUSHGATEWAY_URL; the Cluster snippet forks itself as real node:cluster workers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath, freePort, stopChild } from './support/processes.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(join(root, 'MIGRATING.md'), 'utf8');
const snippets = [...text.matchAll(/^## (.+)$|^```js\n([\s\S]*?)^```$/gm)].reduce<{ section: string; code: string }[]>((found, match) => {
  if (match[1] !== undefined) found.push({ section: match[1], code: '' });
  else if (match[2] !== undefined) found.push({ section: found.at(-1)?.section ?? '(top)', code: match[2] });
  return found;
}, []).filter((snippet) => snippet.code !== '');

const dir = mkdtempSync(join(tmpdir(), 'omen-migrating-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'omen'));
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'migrating', private: true, type: 'module' }));

const gatewayBinary = findOnPath('prometheus-pushgateway') ?? findOnPath('pushgateway');
let gateway: ChildProcess | undefined;
let gatewayUrl = '';

test.before(async () => {
  if (gatewayBinary === undefined) return;
  const address = `127.0.0.1:${await freePort()}`;
  gateway = spawn(gatewayBinary, [`--web.listen-address=${address}`], { stdio: 'ignore' });
  gatewayUrl = `http://${address}`;
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if ((await fetch(`${gatewayUrl}/-/ready`).catch(() => undefined))?.ok === true) return;
  }
  throw new Error('the Pushgateway did not get ready');
});

test.after(async () => {
  if (gateway !== undefined) await stopChild(gateway);
  rmSync(dir, { recursive: true, force: true });
});

test('MIGRATING.md has a runnable snippet for each prom-client feature it maps', () => {
  const sections = new Set(snippets.map((snippet) => snippet.section));
  for (const section of ['Registry', 'Metric classes and labels', 'Timers', 'collect()', 'collectDefaultMetrics', 'Exemplars', 'metrics() and contentType', 'getSingleMetric and resetMetrics', 'Pushgateway', 'Cluster']) {
    assert.ok(sections.has(section), `a snippet under "${section}"`);
  }
});

snippets.forEach((snippet, i) => {
  const pushes = snippet.code.includes('PUSHGATEWAY_URL');
  if (pushes && gatewayBinary === undefined) {
    console.log('migrating: skipped the Pushgateway snippet: no "prometheus-pushgateway" on PATH (apt-get install -y prometheus-pushgateway)');
    test.skip(`snippet ${i + 1} (${snippet.section}) runs`);
    return;
  }
  test(`snippet ${i + 1} (${snippet.section}) runs`, async () => {
    const file = join(dir, `snippet-${i + 1}.mjs`);
    writeFileSync(file, snippet.code);
    const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, PUSHGATEWAY_URL: gatewayUrl } });
    assert.is(run.status, 0, `${snippet.section} snippet failed:\n${run.stderr}${run.stdout}`);
    if (pushes) {
      const stored = await (await fetch(`${gatewayUrl}/metrics`)).text();
      assert.match(stored, /batch_last_success_seconds\{[^}]*job="nightly_batch"[^}]*\} \d/);
    }
  });
});

test.run();

// `omen serve` exposes its own runtime metrics (collectDefaultMetrics) at GET /metrics behind the same
// Tecton-key as the Metrics API: a real process, a real key, real HTTP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../../lib/exposition/parse/parser.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { stopChild } from '../support/processes.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));

test('GET /metrics answers the runtime families with the key and 401 without it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'omen-serve-runtime-'));
  const { apiKey } = await new ServiceAccountStore(join(dir, 'data')).create({ name: 'spec' });
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${output}`)), 20_000);
      const take = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[^/\s]+)/.exec(output);
        if (match !== null) (clearTimeout(timer), resolve(match[1]!));
      };
      child.stdout!.on('data', take);
      child.stderr!.on('data', take);
    });
    const denied = await fetch(`${url}/metrics`);
    assert.is(denied.status, 401);
    const answer = await fetch(`${url}/metrics`, { headers: { Authorization: `Tecton-key ${apiKey}`, Accept: 'application/openmetrics-text;version=1.0.0' } });
    assert.is(answer.status, 200);
    const names = parse(await answer.text(), { format: 'openmetrics' }).map((family) => family.name);
    for (const name of ['process_cpu_seconds', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'nodejs_version']) {
      assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
    }
    assert.not.ok(names.some((name) => name.startsWith('feature_')), 'the catalog stays on its own route');
  } finally {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

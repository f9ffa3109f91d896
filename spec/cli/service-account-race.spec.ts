// Real processes racing for the store's lock: N `omen service-account create` released at one instant
// against a lock left by a dead process. A taker that removed a lock another had just re-created would let
// two writers in, and a printed key would be lost: every key printed must work and none may be lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { LiveKeyIndex } from '../../lib/server/key-index.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const PROCESSES = 8;
const ROUNDS = 3;

/**
 * Runs before the CLI in each child (`node --import`): loads the store's modules, says "ready", and holds
 * the CLI back until a line arrives on stdin, so that all children reach the lock within a moment of each
 * other instead of one process start-up apart.
 */
const startGate = (cli: string) => `
import ${JSON.stringify(new URL('./cli/service-account.js', pathToFileURL(cli)).href)};
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', () => { process.stdin.destroy(); resolve(); }));
`;

interface Racer {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ code: number | null; out: string }>;
}

function racer(gate: string, dataDir: string, name: string): Racer {
  const child = spawn(process.execPath, ['--import', pathToFileURL(gate).href, CLI, 'service-account', 'create', '--name', name, '--data-dir', dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, out }));
  // A child that dies before it is ready must not leave the spec waiting for it.
  void done.then(onReady);
  return { ready, go: () => child.stdin.end('go\n'), done };
}

test(`${PROCESSES} parallel creates against a dead process's lock each store their account, ${ROUNDS} rounds`, async () => {
  const root = mkdtempSync(join(tmpdir(), 'omen-race-'));
  const gate = join(root, 'start-gate.mjs');
  writeFileSync(gate, startGate(CLI));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = join(root, `round-${round}`);
      mkdirSync(dataDir, { mode: 0o700 });
      const store = new ServiceAccountStore(dataDir);
      writeFileSync(`${store.path}.lock`, '999999999'); // no process has this pid
      const racers = Array.from({ length: PROCESSES }, (_, i) => racer(gate, dataDir, `racer-${i}`));
      await Promise.all(racers.map((r) => r.ready));
      for (const r of racers) r.go();
      const results = await Promise.all(racers.map((r) => r.done));
      const keys = results.map(({ code, out }, i) => {
        assert.is(code, 0, `racer-${i}: ${out}`);
        const key = /^API Key: (\S+)$/m.exec(out)?.[1];
        assert.ok(key !== undefined, out);
        return key;
      });
      const index = await new LiveKeyIndex(store).start();
      index.stop();
      assert.is(index.size, PROCESSES, `round ${round}: every account stored`);
      for (const [i, key] of keys.entries()) {
        const check = index.verify(key);
        assert.ok(check.ok && check.account.name === `racer-${i}`, `round ${round}: racer-${i}'s printed key works`);
      }
      assert.equal(readdirSync(dataDir).filter((name) => name.includes('.lock') || name.endsWith('.tmp')), [], 'no lock, takeover or temp file left');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();

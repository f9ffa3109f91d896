import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import type { Recovery } from '../../lib/platform/offline-store.js';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INGEST_PATH } from '../../lib/platform/ingest-api.js';
import { OFFLINE_STORE_FILE, readOfflineRows } from '../../lib/platform/offline-store.js';
import { send, waitFor } from './harness.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/ingest-service.js', import.meta.url));
const KEY = 'crash-spec-key';
const SENDERS = 6;
const RECORDS_PER_REQUEST = 3;
/** The start of a row, as a process killed halfway through a write leaves it. */
const TORN = '{"workspace":"prod","push_source":"transactions","feature_view":"user_last_tr';

interface Service {
  child: ChildProcess;
  port: number;
  recovery: Recovery;
  exited: Promise<unknown>;
}

/** Starts the ingest-only fixture and reads its {port, recovery} line. */
async function start(dataDir: string): Promise<Service> {
  const child = spawn(process.execPath, [FIXTURE, dataDir, KEY], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`ingest fixture exited (${code}) before listening`)));
  });
  const { port, recovery } = JSON.parse(line) as { port: number; recovery: Recovery };
  return { child, port, recovery, exited };
}

/**
 * Concurrent senders, each posting requests of unique records back to back until told to stop; an id joins
 * `acked` only when its request was answered 200. Returns how to stop them and how many were in flight.
 */
function load(port: number, phase: string, acked: Set<string>) {
  let running = true;
  let inFlight = 0;
  let next = 0;
  const sender = async () => {
    while (running) {
      const ids = Array.from({ length: RECORDS_PER_REQUEST }, () => `${phase}-${next++}`);
      const records = ids.map((id) => ({ record: { user_id: 'user_1', merchant: id, amount: 1.5, timestamp: new Date().toISOString() } }));
      inFlight++;
      try {
        const answer = await send(port, 'POST', INGEST_PATH, { Authorization: `Tecton-key ${KEY}` }, JSON.stringify({ workspace_name: 'prod', records: { transactions: records } }));
        if (answer.status === 200) for (const id of ids) acked.add(id);
      } catch {
        running = false; // the service is gone
      } finally {
        inFlight--;
      }
    }
  };
  const done = Promise.all(Array.from({ length: SENDERS }, sender));
  return { inFlight: () => inFlight, stop: () => ((running = false), done), done };
}

async function merchantsInFile(path: string): Promise<Set<string>> {
  const { rows } = await readOfflineRows(path);
  return new Set(rows.map((row) => (row as { record: { merchant: string } }).record.merchant));
}

// A SIGKILL loses what the process held in memory but not what it had handed to the kernel. So this checks,
// for the requests of these runs, that no row was acknowledged before its write reached the kernel; it cannot
// tell whether the rows were also fsynced (only a power cut could), which rests on the offline store awaiting
// fdatasync before append() resolves.
test('every row acknowledged before a SIGKILL is in the offline store, and a torn tail is cut on restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'omen-crash-'));
  const file = join(dir, OFFLINE_STORE_FILE);
  const acked = new Set<string>();
  let tornTail = 0;
  try {
    for (const phase of ['a', 'b']) {
      const service = await start(dir);
      if (phase === 'b') assert.is(service.recovery.truncatedBytes, tornTail, 'the restart cut the torn line');
      const traffic = load(service.port, phase, acked);
      await waitFor(`300 acknowledged rows in phase ${phase}`, () => [...acked].filter((id) => id.startsWith(phase)).length >= 300, 15_000);
      const inFlight = traffic.inFlight();
      service.child.kill('SIGKILL');
      await service.exited;
      await traffic.stop();
      assert.ok(inFlight > 0, 'requests were in flight when the process died');
      const found = await merchantsInFile(file);
      const missing = [...acked].filter((id) => !found.has(id));
      assert.equal(missing, [], `acknowledged rows missing after the SIGKILL in phase ${phase}`);
      // As if the process had died halfway through a write: the next start must cut this off. The SIGKILL
      // itself may have cut a write short, so the torn tail is whatever follows the file's last newline.
      if (phase === 'a') {
        appendFileSync(file, TORN);
        const bytes = readFileSync(file);
        tornTail = bytes.length - (bytes.lastIndexOf(0x0a) + 1);
        assert.ok(tornTail >= TORN.length);
      }
    }
    const last = await start(dir);
    last.child.kill('SIGKILL');
    await last.exited;
    const { tornBytes } = await readOfflineRows(file);
    assert.is(tornBytes, 0, 'after recovery the file ends in a whole line');
    assert.is(last.recovery.bytes, statSync(file).size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

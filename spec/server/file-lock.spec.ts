import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, EMPTY_LOCK_STALE_MS, LockBusyError, TAKEOVER_STALE_MS } from '../../lib/server/file-lock.js';
import { tempDir } from './harness.js';

// Beyond any pid_max (2^22 on Linux): no process has it, so kill(pid, 0) says ESRCH.
const DEAD_PID = '999999999';

let dir: string;
let lock: string;

test.before.each(() => {
  dir = tempDir('omen-lock-');
  lock = join(dir, 'store.json.lock');
});

test.after.each(() => rmSync(dir, { recursive: true, force: true }));

/** Sets a file's mtime `ms` into the past, as if it had been written then. */
const age = (path: string, ms: number) => {
  const then = (Date.now() - ms) / 1000;
  utimesSync(path, then, then);
};

const busy = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.unreachable('the lock must not be taken'),
    (error: unknown) => assert.instance(error, LockBusyError),
  );

test('a held lock names our pid and a token, and release removes it', async () => {
  const release = await acquireLock(lock);
  assert.match(readFileSync(lock, 'utf8'), new RegExp(`^${process.pid} [0-9a-f]{16}$`));
  await release();
  assert.not.ok(existsSync(lock));
});

test('a second taker waits for a live holder and gives up with LockBusyError naming its pid', async () => {
  const release = await acquireLock(lock);
  const error = await acquireLock(lock, { waitMs: 60 }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  assert.instance(error, LockBusyError);
  assert.match((error as Error).message, new RegExp(`held by pid ${process.pid}`));
  await release();
});

test('release leaves a lock that is no longer ours in place', async () => {
  const release = await acquireLock(lock);
  writeFileSync(lock, `${process.pid} someone-else`); // as if our lock had been taken over and re-created
  await release();
  assert.is(readFileSync(lock, 'utf8'), `${process.pid} someone-else`);
});

test('a lock whose process is gone is taken over', async () => {
  writeFileSync(lock, `${DEAD_PID} 0123456789abcdef`);
  const release = await acquireLock(lock, { waitMs: 1000 });
  assert.ok(readFileSync(lock, 'utf8').startsWith(`${process.pid} `));
  await release();
});

test('a lock from an older omen (pid only) whose process is gone is taken over', async () => {
  writeFileSync(lock, DEAD_PID);
  await (await acquireLock(lock, { waitMs: 1000 }))();
});

test('a live process keeps its lock however old it is', async () => {
  writeFileSync(lock, `${process.pid} another-store-in-this-process`);
  age(lock, 10 * EMPTY_LOCK_STALE_MS);
  await busy(acquireLock(lock, { waitMs: 60 }));
  assert.is(readFileSync(lock, 'utf8'), `${process.pid} another-store-in-this-process`);
});

test('an empty lock is left alone while fresh (its holder is writing) and taken over once old', async () => {
  writeFileSync(lock, '');
  await busy(acquireLock(lock, { waitMs: 60 }));
  assert.is(readFileSync(lock, 'utf8'), '', 'a fresh empty lock is not removed');
  age(lock, EMPTY_LOCK_STALE_MS + 1000);
  await (await acquireLock(lock, { waitMs: 1000 }))();
});

test('a stale lock is not removed while another taker holds the takeover file', async () => {
  writeFileSync(lock, DEAD_PID);
  writeFileSync(`${lock}.takeover`, '');
  await busy(acquireLock(lock, { waitMs: 80 }));
  assert.is(readFileSync(lock, 'utf8'), DEAD_PID, 'only the holder of the takeover file may remove it');
});

test('a takeover file left by a crashed taker expires, and the stale lock is then taken over', async () => {
  writeFileSync(lock, DEAD_PID);
  writeFileSync(`${lock}.takeover`, '');
  age(`${lock}.takeover`, TAKEOVER_STALE_MS + 1000);
  const release = await acquireLock(lock, { waitMs: 1000 });
  assert.not.ok(existsSync(`${lock}.takeover`));
  await release();
});

test('concurrent takers around a stale lock hold it one at a time, and each gets it', async () => {
  writeFileSync(lock, DEAD_PID);
  let holders = 0;
  let most = 0;
  let turns = 0;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      const release = await acquireLock(lock);
      most = Math.max(most, ++holders);
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      holders--;
      turns++;
      await release();
    }),
  );
  assert.is(most, 1);
  assert.is(turns, 12);
  assert.not.ok(existsSync(lock) || existsSync(`${lock}.takeover`), 'nothing left behind');
});

test.run();

// An exclusive lock file shared by processes, for short read-modify-write sections (store edits). Acquire:
// one open('wx') when free, then a write and a read-back; release: one read and one unlink. Always: a lock
// file is removed only by its holder (it still holds the holder's token), or by a taker that holds
// `<lock>.takeover` and has re-read the lock as stale: its process is gone, or it stayed empty too long.
import type { FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** How long acquireLock waits for a live holder by default. */
export const LOCK_WAIT_MS = 5_000;
/** A holder writes its token right after creating the file, so an empty lock this old was left by a crash. */
export const EMPTY_LOCK_STALE_MS = 3_000;
/** A taker holds `<lock>.takeover` for one read and one unlink; one this old was left by a crash. */
export const TAKEOVER_STALE_MS = 2_000;
const RETRY_MS = 25;

export interface LockOptions {
  /** How long to wait for a live holder before giving up. Default LOCK_WAIT_MS. */
  waitMs?: number;
}

/** Thrown when a live holder kept the lock for the whole wait. */
export class LockBusyError extends Error {
  override name = 'LockBusyError';
  constructor(
    readonly path: string,
    /** What the lock file held when we gave up, e.g. `4242 9f3a…` (pid and token). */
    readonly holder: string,
  ) {
    super(`lock ${path} is held by ${holder === '' ? 'a process that has not written its pid yet' : `pid ${holder.split(' ')[0]}`}`);
  }
}

export type ReleaseLock = () => Promise<void>;

/** Creates `path` exclusively, taking over a stale one; resolves to the function that releases it. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<ReleaseLock> {
  const token = `${process.pid} ${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + (options.waitMs ?? LOCK_WAIT_MS);
  for (;;) {
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx', 0o600);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await takeOverIfStale(path)) continue;
      if (Date.now() > deadline) throw new LockBusyError(path, (await inspect(path))?.text ?? '');
      await delay(RETRY_MS);
      continue;
    }
    try {
      await handle.writeFile(token);
    } finally {
      await handle.close();
    }
    // Had we stalled for EMPTY_LOCK_STALE_MS before writing, a taker may have removed our empty file and
    // created its own: the token we read back says whether the path is still ours.
    if ((await inspect(path))?.text === token) return () => releaseLock(path, token);
  }
}

/**
 * Removes the lock only if it still holds `token`. Nobody else can have replaced it between the read and
 * the unlink: a lock holding a live pid is never stale, so no taker removes it.
 */
async function releaseLock(path: string, token: string): Promise<void> {
  if ((await inspect(path))?.text === token) await rm(path, { force: true });
}

/**
 * Removes the lock at `path` if it is stale, under `<path>.takeover` so that two takers cannot both act on
 * one stale reading (the second would otherwise remove the lock the first has just created). Returns true
 * when the caller should try to create the lock at once (the lock is gone), false to wait and retry.
 */
async function takeOverIfStale(path: string): Promise<boolean> {
  const seen = await inspect(path);
  if (seen === undefined) return true;
  if (!isStale(seen)) return false;
  const takeoverPath = `${path}.takeover`;
  let takeover: FileHandle;
  try {
    takeover = await open(takeoverPath, 'wx', 0o600);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const other = await inspect(takeoverPath);
    if (other !== undefined && Date.now() - other.mtimeMs > TAKEOVER_STALE_MS) await rm(takeoverPath, { force: true });
    return false;
  }
  try {
    // Re-read under the takeover file: another taker may have replaced the stale lock with its own since.
    const now = await inspect(path);
    if (now !== undefined && isStale(now)) await rm(path, { force: true });
    return true;
  } finally {
    await takeover.close();
    await rm(takeoverPath, { force: true });
  }
}

interface LockState {
  text: string;
  mtimeMs: number;
}

async function inspect(path: string): Promise<LockState | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { text, mtimeMs: info.mtimeMs };
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Stale: written by a process that no longer exists, or empty (or unreadable as a pid) for too long. */
function isStale(lock: LockState): boolean {
  const pid = Number(lock.text.trim().split(' ')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return Date.now() - lock.mtimeMs > EMPTY_LOCK_STALE_MS;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, another user's
  }
}

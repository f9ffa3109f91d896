// The offline store: rows appended to a JSON-lines file in the data directory with group commit: the rows of
// all appends that arrive while a flush runs share the next write and fdatasync. append(): one JSON.stringify
// per row; a flush: one write + one fdatasync for everything queued. Always: append() resolves only once its
// rows are on disk, after open() the file ends in a whole line (a crash mid-write is truncated away), and
// no file holding acknowledged rows is ever replaced or deleted by the store.
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const OFFLINE_STORE_FILE = 'offline-store.jsonl';
/**
 * Rotation size: past it the file is renamed `offline-store.<n>.jsonl` and a new one begun.
 *
 * Retention: unbounded. Rotated files are the only copy of acknowledged rows, so the store never deletes or
 * replaces one; archive or remove them yourself. The demo's default traffic (5 ingest requests/s) writes about
 * 3.1 KB/s, so a 64 MiB file fills in about 6 hours and the data directory grows by about 260 MiB a day.
 */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
const TAIL_CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface OfflineStoreOptions {
  /** Past this size the file is renamed to the next free `<name>.<n>.jsonl` and a new one begun. Default 64 MiB. */
  maxFileBytes?: number;
}

export interface Recovery {
  /** Bytes of a torn last line (a write cut short by a crash) removed by open(); 0 for a clean file. */
  truncatedBytes: number;
  /** File size after recovery. */
  bytes: number;
}

export class OfflineStoreError extends Error {
  override name = 'OfflineStoreError';
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class OfflineStore {
  readonly path: string;
  readonly recovery: Recovery;
  readonly maxFileBytes: number;
  /** Rows made durable, flushes (one fdatasync each) and rotations since open(). */
  readonly stats = { rows: 0, flushes: 0, rotations: 0 };
  #handle: FileHandle;
  #size: number;
  /** The number the next rotated file gets: one past the highest found at open(). */
  #nextRotation: number;
  #queue: string[] = [];
  #queuedRows = 0;
  #waiters: Waiter[] = [];
  #flushing: Promise<void> | undefined;
  #failure: OfflineStoreError | undefined;
  #closing: Promise<void> | undefined;

  private constructor(path: string, handle: FileHandle, recovery: Recovery, maxFileBytes: number, nextRotation: number) {
    this.path = path;
    this.#handle = handle;
    this.recovery = recovery;
    this.#size = recovery.bytes;
    this.maxFileBytes = maxFileBytes;
    this.#nextRotation = nextRotation;
  }

  /** Opens (creating it 0600 in a 0700 directory if needed) and recovers the file: a torn last line is cut off. */
  static async open(path: string, options: OfflineStoreOptions = {}): Promise<OfflineStore> {
    const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
      throw new RangeError(`invalid maxFileBytes=${String(maxFileBytes)}: must be a whole number of bytes >= 1; omit it for ${DEFAULT_MAX_FILE_BYTES}`);
    }
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const recovery = await recover(path);
    const rotated = await rotatedFiles(path);
    const handle = await open(path, 'a', 0o600);
    if (recovery === undefined) await syncDirectory(dirname(path)); // the new file's name must survive a crash too
    return new OfflineStore(path, handle, recovery ?? { truncatedBytes: 0, bytes: 0 }, maxFileBytes, (rotated.at(-1)?.number ?? 0) + 1);
  }

  /** Rows waiting for the next flush. */
  get queuedRows(): number {
    return this.#queuedRows;
  }

  /**
   * Appends `rows` (JSON objects, one line each) and resolves once they are on disk. Rejects with an
   * OfflineStoreError when the store is closed or a write failed: after a failed fdatasync the file's state
   * is unknown, so the store takes no more rows until it is reopened (which recovers the file).
   */
  append(rows: readonly object[]): Promise<void> {
    if (this.#closing !== undefined) return Promise.reject(new OfflineStoreError(`offline store ${this.path} is closed; rows were not written`));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (rows.length === 0) return Promise.resolve();
    let chunk = '';
    try {
      for (const row of rows) chunk += `${JSON.stringify(row)}\n`; // JSON escapes newlines, so one row is one line
    } catch (error: unknown) {
      return Promise.reject(error);
    }
    this.#queue.push(chunk);
    this.#queuedRows += rows.length;
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  /** Flushes what is queued, then closes the file. Later appends reject. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#flushing !== undefined) await this.#flushing;
      await this.#handle.close();
    })();
    return this.#closing;
  }

  // One flush at a time; appends that arrive meanwhile queue up and go out together in the next round.
  async #flush(): Promise<void> {
    try {
      while (this.#waiters.length > 0 && this.#failure === undefined) {
        const waiters = this.#waiters;
        const rows = this.#queuedRows;
        const bytes = Buffer.from(this.#queue.join(''), 'utf8');
        this.#waiters = [];
        this.#queue = [];
        this.#queuedRows = 0;
        try {
          await this.#handle.appendFile(bytes);
          // fdatasync also flushes the file size, which reading the appended bytes back needs (POSIX).
          await this.#handle.datasync();
        } catch (error: unknown) {
          this.#fail('write', error);
          for (const waiter of waiters) waiter.reject(this.#failure!);
          break;
        }
        this.#size += bytes.length;
        this.stats.rows += rows;
        this.stats.flushes++;
        for (const waiter of waiters) waiter.resolve();
        if (this.#size >= this.maxFileBytes) await this.#rotate().catch((error: unknown) => this.#fail('rotate', error));
      }
    } finally {
      this.#flushing = undefined;
      if (this.#failure !== undefined) {
        for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#failure);
        this.#queue = [];
        this.#queuedRows = 0;
      }
    }
  }

  async #rotate(): Promise<void> {
    const target = rotatedPath(this.path, this.#nextRotation);
    // rename() would silently replace a file someone put there since open(); this store owns its directory,
    // so that is a surprise worth stopping for, not a name to guess around.
    if (await exists(target)) throw new Error(`${target} already exists and is not replaced; move it aside`);
    await this.#handle.close();
    await rename(this.path, target);
    this.#nextRotation++;
    this.#handle = await open(this.path, 'a', 0o600);
    await syncDirectory(dirname(this.path)); // makes the rename and the new file durable together
    this.#size = 0;
    this.stats.rotations++;
  }

  #fail(what: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.#failure = new OfflineStoreError(
      `offline store ${this.path}: ${what} failed (${reason}); no rows are acknowledged until omen serve restarts, which recovers the file`,
    );
  }
}

/** The name of rotated file `number`: `offline-store.jsonl` -> `offline-store.<number>.jsonl` (higher is newer). */
export function rotatedPath(path: string, number: number): string {
  return path.endsWith('.jsonl') ? `${path.slice(0, -'.jsonl'.length)}.${number}.jsonl` : `${path}.${number}`;
}

/** The rotated files of the store at `path`, oldest (lowest number) first; their rows precede the current file's. */
export async function rotatedFiles(path: string): Promise<{ number: number; path: string }[]> {
  const dir = dirname(path);
  const name = basename(path);
  const [stem, suffix] = name.endsWith('.jsonl') ? [name.slice(0, -'.jsonl'.length), '.jsonl'] : [name, ''];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: { number: number; path: string }[] = [];
  for (const candidate of names) {
    if (!candidate.startsWith(`${stem}.`) || !candidate.endsWith(suffix)) continue;
    const digits = candidate.slice(stem.length + 1, candidate.length - suffix.length);
    if (/^[1-9]\d{0,14}$/.test(digits)) files.push({ number: Number(digits), path: join(dir, candidate) });
  }
  return files.sort((a, b) => a.number - b.number);
}

/**
 * Every row of an offline-store file, in order. A torn last line (a crash mid-write, not yet recovered) is
 * skipped and its size returned; any other line that is not JSON throws, naming the line.
 */
export async function readOfflineRows(path: string): Promise<{ rows: unknown[]; tornBytes: number }> {
  const text = await readFile(path, 'utf8');
  const end = text.lastIndexOf('\n') + 1;
  const rows: unknown[] = [];
  let start = 0;
  for (let line = 1; start < end; line++) {
    const next = text.indexOf('\n', start);
    try {
      rows.push(JSON.parse(text.slice(start, next)));
    } catch (error: unknown) {
      throw new OfflineStoreError(`offline store ${path} is corrupt at line ${line}: ${(error as Error).message}`);
    }
    start = next + 1;
  }
  return { rows, tornBytes: Buffer.byteLength(text.slice(end)) };
}

/** Cuts a torn last line off an existing file; undefined when there is no file yet. */
async function recover(path: string): Promise<Recovery | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OfflineStoreError(`cannot open offline store ${path}: ${(error as Error).message}; check its owner and permissions`);
  }
  try {
    const { size } = await handle.stat();
    const keep = await endOfLastLine(handle, size);
    if (keep < size) {
      await handle.truncate(keep);
      await handle.datasync();
    }
    await checkLastLine(handle, keep, path);
    return { truncatedBytes: size - keep, bytes: keep };
  } finally {
    await handle.close();
  }
}

/** Offset just past the file's last newline (0 if it has none), reading backwards in chunks. */
async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(TAIL_CHUNK, Math.max(1, size)));
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    const index = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (index >= 0) return start + index + 1;
    end = start;
  }
  return 0;
}

/**
 * The last whole line must be JSON: acknowledged rows were synced before anything after them was written,
 * so a bad whole line means damage this store did not cause, and guessing how much to drop could drop
 * acknowledged rows. Lines longer than one chunk are not checked.
 */
async function checkLastLine(handle: FileHandle, end: number, path: string): Promise<void> {
  if (end === 0) return;
  const start = Math.max(0, end - TAIL_CHUNK);
  const buffer = Buffer.alloc(end - start);
  await handle.read(buffer, 0, buffer.length, start);
  const previous = buffer.lastIndexOf(NEWLINE, buffer.length - 2);
  if (previous < 0 && start > 0) return;
  const line = buffer.subarray(previous + 1, buffer.length - 1).toString('utf8');
  try {
    JSON.parse(line);
  } catch {
    throw new OfflineStoreError(
      `offline store ${path} is corrupt: its last line (bytes ${start + previous + 1} to ${end - 1}) is not JSON; move the file aside or remove that line`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Crash-safe file replacement: write a temporary file beside the target, fsync it, rename it over the
// target, fsync the directory. Readers see the old bytes or the new, never a mix; a crash leaves at
// most a stray `.tmp` file, which readers ignore. Cost: two fsyncs per write (store edits are rare).
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replaces `path` with `data`; the new file has `mode` (default 0600: owner read/write only). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' creates the file with `mode` from the start, so the secret-bearing bytes are never readable
  // by others, even for an instant; it also refuses to follow a planted file or symlink.
  const file = await open(temp, 'wx', mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error: unknown) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (error: unknown) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename is durable only once the directory entry is on disk.
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

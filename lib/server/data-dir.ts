// Where omen keeps its state (the service-account store): --data-dir, else $OMEN_DATA_DIR, else .omen/
// in the working directory, and the check that nobody else can write there. Runs once per command.
// Always: the resolved path is absolute, and a prepared dir is ours and 0700, or root's and writable by
// root only; a dir another user owns is refused, since its owner could add keys to the store.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export const DEFAULT_DATA_DIR = '.omen';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const chosen = flag ?? (env.OMEN_DATA_DIR !== undefined && env.OMEN_DATA_DIR !== '' ? env.OMEN_DATA_DIR : DEFAULT_DATA_DIR);
  return resolve(cwd, chosen);
}

/**
 * Makes sure only we can change what is in `dir`: whoever can write there can replace the store and add
 * keys of their own. A dir we own is tightened to 0700 (an existing one keeps its mode through mkdir);
 * one owned by another user is refused (its owner can always write there), and one owned by root is
 * refused if its group or others may write to it. With `create`, a missing dir is made (0700); without,
 * a missing dir is left alone (nothing to protect yet).
 */
export async function prepareDataDir(dir: string, options: { create?: boolean } = {}): Promise<void> {
  if (options.create ?? true) await mkdir(dir, { recursive: true, mode: 0o700 });
  let info;
  try {
    info = await stat(dir);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.create === false) return;
    throw error;
  }
  if (!info.isDirectory()) throw new Error(`data dir ${dir} is not a directory; pass --data-dir with a directory path`);
  const uid = process.getuid?.();
  if (uid === undefined) return; // no POSIX owners (Windows): nothing to compare
  const mode = info.mode & 0o777;
  if (info.uid === uid) {
    if ((mode & 0o077) !== 0) await chmod(dir, 0o700);
  } else if (info.uid !== 0) {
    throw new Error(
      `data dir ${dir} belongs to another user (owner uid ${info.uid}, this process runs as uid ${uid}), who could add keys to the ` +
        `service-account store; run omen as that user, "chown ${uid} ${dir}", or choose another --data-dir`,
    );
  } else if ((mode & 0o022) !== 0) {
    throw new Error(
      `data dir ${dir} is writable by its group or others (mode ${mode.toString(8).padStart(4, '0')}, owner uid ${info.uid}): ` +
        `anyone who can write there could replace the service-account store; run "chmod go-w ${dir}" or choose another --data-dir`,
    );
  }
}

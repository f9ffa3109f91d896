// Service accounts in one JSON file in the data directory (dir 0700, file 0600), replaced atomically
// under a lock file (file-lock.ts) so concurrent `omen service-account` runs never lose an edit. Only key
// hashes are stored. Always: a corrupt or unreadable store is an error naming the file, never silently reset.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKeyHash, generateApiKey, KEY_HASH } from './api-key.js';
import { writeFileAtomic } from './atomic-file.js';
import { prepareDataDir } from './data-dir.js';
import { acquireLock, LockBusyError } from './file-lock.js';

export const STORE_FILE = 'service-accounts.json';
const STORE_VERSION = 1;
const ACCOUNT_ID = /^[0-9a-f]{32}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_NAME = 128;
const MAX_DESCRIPTION = 1024;

/** What `list` shows: never a key or its hash. */
export interface ServiceAccount {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
}

export interface StoredServiceAccount extends ServiceAccount {
  readonly keyHash: string;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

export class ServiceAccountStore {
  readonly dir: string;
  readonly path: string;
  readonly #now: () => Date;

  constructor(dataDir: string, options: { now?: () => Date } = {}) {
    this.dir = dataDir;
    this.path = join(dataDir, STORE_FILE);
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Every account with its key hash; none when the file does not exist yet. A file that someone besides
   * its owner may write, or that another user owns, is refused: whoever can write it can add a key.
   */
  async read(): Promise<StoredServiceAccount[]> {
    let text: string;
    try {
      const file = await open(this.path, 'r');
      try {
        checkOwnership(this.path, await file.stat()); // the file read is the file checked
        text = await file.readFile('utf8');
      } finally {
        await file.close();
      }
    } catch (error: unknown) {
      if (error instanceof StoreError) throw error;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreError(`cannot read service-account store ${this.path}: ${(error as Error).message}; check its owner and permissions`);
    }
    return parseStore(text, this.path);
  }

  async list(): Promise<ServiceAccount[]> {
    return (await this.read()).map(({ id, name, description, createdAt }) => ({ id, name, description, createdAt }));
  }

  /** Adds an account with a fresh key; the key is returned here once and stored only as a hash. */
  async create(input: { name: string; description?: string }): Promise<{ account: ServiceAccount; apiKey: string }> {
    const name = checkText('name', input.name, 1, MAX_NAME);
    const description = checkText('description', input.description ?? '', 0, MAX_DESCRIPTION);
    const apiKey = generateApiKey();
    const account: ServiceAccount = { id: randomBytes(16).toString('hex'), name, description, createdAt: this.#now().toISOString() };
    await this.#edit((accounts) => [...accounts, { ...account, keyHash: formatKeyHash(apiKey) }]);
    return { account, apiKey };
  }

  /** Removes the account; its key stops working. Returns the removed account, if there was one. */
  async delete(id: string): Promise<ServiceAccount | undefined> {
    let removed: ServiceAccount | undefined;
    await this.#edit((accounts) => {
      const index = accounts.findIndex((account) => account.id === id);
      if (index < 0) return undefined;
      const { keyHash: _hash, ...account } = accounts[index]!;
      removed = account;
      return accounts.filter((_, i) => i !== index);
    });
    return removed;
  }

  /** Read, change, write back atomically, all under the lock. `change` returns undefined to write nothing. */
  async #edit(change: (accounts: StoredServiceAccount[]) => StoredServiceAccount[] | undefined): Promise<void> {
    try {
      await prepareDataDir(this.dir);
    } catch (error: unknown) {
      throw new StoreError((error as Error).message);
    }
    const release = await this.#lock();
    try {
      const next = change(await this.read());
      if (next !== undefined) await writeFileAtomic(this.path, `${JSON.stringify({ version: STORE_VERSION, accounts: next }, null, 2)}\n`);
    } finally {
      await release();
    }
  }

  /** The store's lock file, taken over when its holder is gone (see file-lock.ts). */
  async #lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.path}.lock`;
    try {
      return await acquireLock(lockPath);
    } catch (error: unknown) {
      if (!(error instanceof LockBusyError)) throw error;
      throw new StoreError(
        `service-account store ${this.path} is locked by another omen process (${error.message}); retry, or delete ${lockPath} if no omen command is running`,
      );
    }
  }
}

/** Parses and validates the store file's text; `path` only names the file in errors. */
export function parseStore(text: string, path: string): StoredServiceAccount[] {
  const corrupt = (detail: string) =>
    new StoreError(`service-account store ${path} is corrupt: ${detail}; repair the file or move it aside (omen never resets it)`);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error: unknown) {
    throw corrupt(`not JSON (${(error as Error).message})`);
  }
  if (typeof root !== 'object' || root === null || (root as { version?: unknown }).version !== STORE_VERSION) {
    throw corrupt(`expected an object with "version": ${STORE_VERSION}`);
  }
  const accounts = (root as { accounts?: unknown }).accounts;
  if (!Array.isArray(accounts)) throw corrupt('"accounts" must be an array');
  const ids = new Set<string>();
  return accounts.map((entry: unknown, index) => {
    const account = entry as Partial<Record<keyof StoredServiceAccount, unknown>> | null;
    const field = (key: keyof StoredServiceAccount, rule: (value: string) => boolean) => {
      const value = account?.[key];
      if (typeof value !== 'string' || !rule(value)) throw corrupt(`accounts[${index}].${key} is missing or invalid`);
      return value;
    };
    const id = field('id', (v) => ACCOUNT_ID.test(v));
    if (ids.has(id)) throw corrupt(`account id ${id} appears twice`);
    ids.add(id);
    return {
      id,
      name: field('name', (v) => v.length > 0 && v.length <= MAX_NAME && !CONTROL.test(v)),
      description: field('description', (v) => v.length <= MAX_DESCRIPTION && !CONTROL.test(v)),
      createdAt: field('createdAt', (v) => !Number.isNaN(Date.parse(v))),
      keyHash: field('keyHash', (v) => KEY_HASH.test(v)),
    };
  });
}

/** The store must be writable by its owner only, and that owner must be this user or root. */
function checkOwnership(path: string, info: { uid: number; mode: number }): void {
  const uid = process.getuid?.();
  if (uid === undefined) return; // no POSIX owners (Windows): nothing to compare
  const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
  if (info.uid !== uid && info.uid !== 0) {
    throw new StoreError(
      `service-account store ${path} belongs to another user (owner uid ${info.uid}, this process runs as uid ${uid}), who could add keys; ` +
        `refusing it: run omen as that user or "chown ${uid} ${path}"`,
    );
  }
  if ((info.mode & 0o022) !== 0) {
    throw new StoreError(`service-account store ${path} is writable by its group or others (mode ${mode}), who could add keys; refusing it: run "chmod 600 ${path}"`);
  }
}

function checkText(what: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string' || value.trim().length < min || value.length > max || CONTROL.test(value)) {
    throw new StoreError(
      `invalid service account ${what} ${JSON.stringify(value)}: must be ${min > 0 ? `1 to ${max}` : `at most ${max}`} characters on one line, without control characters`,
    );
  }
  return value;
}

// The running server's view of the service-account store: key hashes in memory, reloaded when the
// file changes. A poll is one stat() every 250 ms (fs.watch misses renames on some filesystems);
// verify() is one SHA-256 plus a constant-time compare per account. Always: a store that turns
// unreadable fails closed (every key refused) until it reads cleanly again.
import type { ServiceAccount, ServiceAccountStore } from './account-store.js';
import { stat } from 'node:fs/promises';
import { findHash, hashApiKey, parseKeyHash } from './api-key.js';

/**
 * How often the store file is checked for changes: a new or deleted account takes effect within this plus
 * one reload (a stat and, on change, a read of a small file), so well within the second the CLI promises.
 */
export const DEFAULT_POLL_MS = 250;

export type KeyCheck = { ok: true; account: ServiceAccount } | { ok: false; reason: 'unknown' | 'unavailable' };

/** What the server asks about a presented key; LiveKeyIndex is the store-backed one. */
export interface KeyVerifier {
  verify(key: string): KeyCheck;
}

export interface LiveKeyIndexOptions {
  pollMs?: number;
  /** Reload failures after start (start() itself throws). Default: a line on stderr. */
  onError?: (error: Error) => void;
}

export class LiveKeyIndex implements KeyVerifier {
  readonly store: ServiceAccountStore;
  readonly #pollMs: number;
  readonly #onError: (error: Error) => void;
  #accounts: ServiceAccount[] = [];
  #hashes: Buffer[] = [];
  #signature: string | undefined;
  #failure: Error | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(store: ServiceAccountStore, options: LiveKeyIndexOptions = {}) {
    this.store = store;
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#onError = options.onError ?? ((error) => process.stderr.write(`omen: ${error.message}\n`));
  }

  /** Loads the store now (a corrupt store throws here, so a server never starts on one), then polls. */
  async start(): Promise<this> {
    await this.refresh({ throwOnError: true });
    this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Checks the file now and reloads it if it changed. Returns whether it reloaded. */
  async refresh(options: { throwOnError?: boolean } = {}): Promise<boolean> {
    try {
      const signature = await fileSignature(this.store.path);
      if (signature === this.#signature && this.#failure === undefined) return false;
      const accounts = await this.store.read();
      this.#accounts = accounts.map(({ id, name, description, createdAt }) => ({ id, name, description, createdAt }));
      this.#hashes = accounts.map((account) => parseKeyHash(account.keyHash));
      this.#signature = signature;
      this.#failure = undefined;
      return true;
    } catch (error: unknown) {
      if (options.throwOnError === true) throw error;
      const failure = error as Error;
      if (this.#failure?.message !== failure.message) this.#onError(failure);
      this.#failure = failure;
      this.#accounts = [];
      this.#hashes = [];
      return false;
    }
  }

  verify(key: string): KeyCheck {
    if (this.#failure !== undefined) return { ok: false, reason: 'unavailable' };
    const index = findHash(hashApiKey(key), this.#hashes);
    return index < 0 ? { ok: false, reason: 'unknown' } : { ok: true, account: this.#accounts[index]! };
  }

  /** How often start() checks the store file, in ms. */
  get pollMs(): number {
    return this.#pollMs;
  }

  /** Accounts currently loaded. */
  get size(): number {
    return this.#accounts.length;
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      await this.refresh();
    } finally {
      this.#polling = false;
    }
  }
}

/**
 * Changes whenever the file is replaced or edited: an atomic rename gives a new inode, an in-place
 * edit a new size or mtime. A missing file is a state of its own (no accounts yet).
 */
async function fileSignature(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

// The demo's own service account: created on the first `omen serve --demo` (name "demo"), its API key kept in
// a 0600 file in the data directory so later runs can still drive traffic and print a working curl. Runs once
// at startup. Always: the key returned belongs to an account in the store (checked by its hash).
import type { ServiceAccountStore } from '../server/account-store.js';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKeyHash } from '../server/api-key.js';
import { writeFileAtomic } from '../server/atomic-file.js';

export const DEMO_KEY_FILE = 'demo-api-key.json';
export const DEMO_ACCOUNT_NAME = 'demo';

export interface DemoAccount {
  id: string;
  apiKey: string;
  /** Where the key is kept. */
  keyFile: string;
  /** True when this run created the account (its key is new). */
  created: boolean;
  /** Why an existing key file could not be used, when it was replaced. */
  replaced?: string;
}

/** The demo account from the key file if it is still valid, else a new account whose key replaces the file. */
export async function demoAccount(store: ServiceAccountStore): Promise<DemoAccount> {
  const keyFile = join(store.dir, DEMO_KEY_FILE);
  const saved = await readKeyFile(keyFile);
  let replaced: string | undefined;
  if (saved !== undefined && 'problem' in saved) replaced = saved.problem;
  else if (saved !== undefined) {
    const account = (await store.read()).find((candidate) => candidate.id === saved.id);
    if (account !== undefined && account.keyHash === formatKeyHash(saved.apiKey)) {
      await keepPrivate(keyFile);
      return { id: saved.id, apiKey: saved.apiKey, keyFile, created: false };
    }
    replaced = `its account ${saved.id} is no longer in ${store.path} (deleted, or its key was replaced)`;
  }
  const { account, apiKey } = await store.create({ name: DEMO_ACCOUNT_NAME, description: `omen serve --demo traffic; key kept in ${DEMO_KEY_FILE}` });
  // This is the demo's credential, like a kubeconfig: the store keeps only hashes, so without this file a
  // later run could neither send authenticated traffic nor show a working curl. Owner-only, written atomically.
  await writeFileAtomic(keyFile, `${JSON.stringify({ accountId: account.id, apiKey }, null, 2)}\n`, 0o600);
  return { id: account.id, apiKey, keyFile, created: true, ...(replaced === undefined ? {} : { replaced }) };
}

async function readKeyFile(path: string): Promise<{ id: string; apiKey: string } | { problem: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `it cannot be read (${(error as Error).message})` };
  }
  try {
    const parsed = JSON.parse(text) as { accountId?: unknown; apiKey?: unknown };
    if (typeof parsed.accountId === 'string' && typeof parsed.apiKey === 'string') return { id: parsed.accountId, apiKey: parsed.apiKey };
  } catch {
    // reported below, like any other shape
  }
  return { problem: 'it is not {"accountId": ..., "apiKey": ...}' };
}

/** A key file someone made readable by others is put back to 0600. */
async function keepPrivate(path: string): Promise<void> {
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
}

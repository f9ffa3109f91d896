// API keys: 256-bit random secrets shown once, stored only as a SHA-256 hash, compared in constant time.
// hashApiKey(): one SHA-256 over ~43 bytes (about a microsecond). Always: a stored hash is
// `sha256:` plus 64 lower-case hex digits, and no code path writes or logs a key after create.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 32 random bytes, base64url: 43 characters from [A-Za-z0-9_-]. With 256 bits of entropy a plain
 * SHA-256 is enough to store them: nobody can search that space, so the slow, salted password
 * hashes (scrypt, argon2), which exist to protect guessable passwords, would only add milliseconds
 * to every scrape without making a key harder to recover.
 */
export function generateApiKey(): string {
  return randomBytes(32).toString('base64url');
}

export const KEY_HASH = /^sha256:[0-9a-f]{64}$/;

/** The stored form of a key: `sha256:<hex>`. */
export function formatKeyHash(key: string): string {
  return `sha256:${hashApiKey(key).toString('hex')}`;
}

/** The 32-byte digest of a presented key. */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Parses a stored `sha256:<hex>` hash back into its 32 bytes. */
export function parseKeyHash(stored: string): Buffer {
  return Buffer.from(stored.slice('sha256:'.length), 'hex');
}

/**
 * Finds which of `hashes` equals `presented`, looking at every one with timingSafeEqual and never
 * stopping early, so the time taken does not depend on where (or whether) a match is. O(hashes).
 */
export function findHash(presented: Buffer, hashes: readonly Buffer[]): number {
  let found = -1;
  for (let i = 0; i < hashes.length; i++) {
    const candidate = hashes[i]!;
    if (candidate.length === presented.length && timingSafeEqual(candidate, presented) && found < 0) found = i;
  }
  return found;
}

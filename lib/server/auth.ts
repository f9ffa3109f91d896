// `Authorization: Tecton-key <API key>` on every Metrics API route, reusable by routes the platform
// mounts; the router answers a failure (with `WWW-Authenticate` on 401). authenticate(): a header
// parse, one SHA-256 and a constant-time compare per account.
// Always: unknown and revoked keys get the same answer, so a reply never says whether a key existed.
import type { IncomingMessage } from 'node:http';
import type { ServiceAccount } from './account-store.js';
import type { AuthFailure } from './audit.js';
import type { KeyVerifier } from './key-index.js';

export const AUTH_SCHEME = 'Tecton-key';

// RFC 9110 token68; a key longer than this is not one of ours and is not worth hashing.
const CREDENTIALS = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_KEY_LENGTH = 512;

export type AuthResult =
  | { ok: true; account: ServiceAccount }
  | { ok: false; status: 401 | 503; reason: string; failure: AuthFailure };

const MISSING = `missing Authorization header: send "Authorization: ${AUTH_SCHEME} <API key>"`;
const MALFORMED = `malformed Authorization header: expected "${AUTH_SCHEME} <API key>"`;
const REFUSED = 'invalid API key: unknown or revoked; create one with "omen service-account create"';
const UNAVAILABLE = 'service accounts are unavailable: the server cannot read its account store';

/** Checks the request's credentials against `keys`. */
export function authenticate(req: IncomingMessage, keys: KeyVerifier): AuthResult {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') return { ok: false, status: 401, reason: MISSING, failure: 'missing' };
  // credentials = auth-scheme 1*SP token68 (RFC 9110 §11.4): spaces only, not tab or NBSP; Node has
  // already trimmed the optional whitespace around the field value.
  const match = /^([^ ]+) +([^ ]+)$/.exec(header);
  // Auth schemes are case-insensitive (RFC 9110 §11.1); the key itself is compared exactly.
  if (match === null || match[1]!.toLowerCase() !== AUTH_SCHEME.toLowerCase()) return { ok: false, status: 401, reason: MALFORMED, failure: 'malformed' };
  const key = match[2]!;
  if (key.length > MAX_KEY_LENGTH || !CREDENTIALS.test(key)) return { ok: false, status: 401, reason: MALFORMED, failure: 'malformed' };
  const check = keys.verify(key);
  if (check.ok) return { ok: true, account: check.account };
  return check.reason === 'unavailable'
    ? { ok: false, status: 503, reason: UNAVAILABLE, failure: 'unavailable' }
    : { ok: false, status: 401, reason: REFUSED, failure: 'unknown' };
}

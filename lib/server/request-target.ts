// The path a request asks for, read from the request line's target (RFC 9112 §3.2) without URL
// resolution, so `//host/x` stays a path and never becomes a host. Per request: one scan for '?'
// (absolute-form also parses its URL once). Always: a target that is neither origin-form nor an
// absolute http(s) URL is refused with 400, and echoed text is at most MAX_ECHO characters.

/** How much of a client's text an error reason quotes; the rest is cut with an ellipsis. */
export const MAX_ECHO = 200;

const ABSOLUTE = /^https?:\/\//i;

export interface RequestTarget {
  /** The path exactly as sent, up to '?', e.g. `/api/v1/observability/metrics` or `//evil/x`. */
  readonly path: string;
  /** From '?' on (with it), or empty. */
  readonly search: string;
}

export class RequestTargetError extends Error {
  override name = 'RequestTargetError';
}

/**
 * Splits `target` into path and query. Origin-form (`/path?query`) is taken as it is; absolute-form
 * (`http://host/path?query`, which clients send to proxies and servers must accept) must parse as a
 * URL, and its path is taken from the text after the authority. Anything else (`*`, `example.com:80`,
 * a bare word) throws RequestTargetError naming the target and the forms accepted.
 */
export function parseRequestTarget(target: string): RequestTarget {
  let rest: string;
  if (target.startsWith('/')) {
    rest = target;
  } else if (ABSOLUTE.test(target)) {
    if (!URL.canParse(target)) throw invalid(target, 'an absolute URL that does not parse');
    const authorityStart = target.indexOf('//') + 2;
    const end = firstOf(target, authorityStart);
    rest = end === target.length ? '/' : target[end] === '/' ? target.slice(end) : `/${target.slice(end)}`;
  } else {
    throw invalid(target, 'not a path');
  }
  const query = rest.indexOf('?');
  return query < 0 ? { path: rest, search: '' } : { path: rest.slice(0, query), search: rest.slice(query) };
}

/** `text` cut to MAX_ECHO characters and JSON-quoted, for error reasons that repeat what a client sent. */
export function echo(text: string): string {
  return JSON.stringify(text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text);
}

function invalid(target: string, problem: string): RequestTargetError {
  return new RequestTargetError(
    `invalid request target ${echo(target)}: ${problem}; send a path starting with "/" (e.g. /healthz) or an absolute http(s) URL`,
  );
}

/** Index of the first '/', '?' or '#' at or after `from` (where the authority ends), or the length. */
function firstOf(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) return i;
  }
  return text.length;
}

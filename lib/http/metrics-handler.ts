// metricsHandler: a node:http `(req, res)` handler serving a registry's exposition, which also mounts as
// Express or Connect middleware and in Fastify (raw request and reply) or Koa (ctx.req, ctx.res). Per
// request: one negotiation, one scrape (bytes lent by the registry until sent), gzip when asked for.
// Always: GET and HEAD only (405 otherwise), `Vary: Accept, Accept-Encoding`, a short text reason on errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { ScrapeLease } from '../registry.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { acceptsGzip } from '../exposition/accept-encoding.js';
import { negotiateFormat } from '../exposition/negotiate.js';

const gzipAsync = promisify(gzip);

/** What the handler scrapes; a Registry is one. */
export interface MetricsSource {
  lease(format: ExpositionFormat): Promise<ScrapeLease>;
}

export interface MetricsHandlerOptions {
  /**
   * Require `Authorization: <scheme> <credentials>`, e.g. `{ scheme: 'Bearer', credentials: token }` or
   * `{ scheme: 'Tecton-key', credentials: (key) => keys.has(key) }`. Default: no authorization.
   */
  auth?: { scheme: 'Bearer' | 'Tecton-key'; credentials: string | ((credentials: string) => boolean) };
  /** Gzip answers for clients that send `Accept-Encoding: gzip`. Default true. */
  gzip?: boolean;
}

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/** A handler answering with `source`'s exposition in the format the request's Accept header prefers. */
export function metricsHandler(source: MetricsSource, options: MetricsHandlerOptions = {}): MetricsHandler {
  const allowed = authorizer(options.auth);
  const compress = options.gzip ?? true;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(res, 405, `method ${req.method ?? ''} not allowed: use GET or HEAD`, { Allow: 'GET, HEAD' });
    }
    if (allowed !== undefined && !allowed(req.headers.authorization)) {
      return reply(res, 401, `missing or wrong Authorization: expected "${options.auth!.scheme} <credentials>"`, { 'WWW-Authenticate': options.auth!.scheme });
    }
    const format = negotiateFormat(req.headers.accept);
    let lease: ScrapeLease;
    try {
      lease = await source.lease(format);
    } catch (error: unknown) {
      return reply(res, 500, `scrape failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const zipped = compress && acceptsGzip(req.headers['accept-encoding']);
      const body = zipped ? await gzipAsync(lease.bytes) : lease.bytes;
      if (res.destroyed) return;
      const headers: Record<string, string | number> = { 'Content-Type': format.contentType, 'Content-Length': body.length, Vary: 'Accept, Accept-Encoding' };
      if (zipped) headers['Content-Encoding'] = 'gzip';
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      else await new Promise<void>((resolve) => res.end(body, resolve));
    } catch (error: unknown) {
      if (!res.headersSent) reply(res, 500, `answer failed: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    } finally {
      lease.release();
    }
  };
}

function reply(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = `${reason}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Compares credentials in constant time (by their SHA-256, so lengths do not leak either). */
function authorizer(auth: MetricsHandlerOptions['auth']): ((header: string | undefined) => boolean) | undefined {
  if (auth === undefined) return undefined;
  const prefix = `${auth.scheme.toLowerCase()} `;
  const { credentials } = auth;
  const expected = typeof credentials === 'string' ? digest(credentials) : undefined;
  return (header) => {
    if (header === undefined || !header.toLowerCase().startsWith(prefix)) return false;
    const given = header.slice(prefix.length).trim();
    if (given === '') return false;
    return expected !== undefined ? timingSafeEqual(digest(given), expected) : (credentials as (value: string) => boolean)(given);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

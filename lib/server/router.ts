// A small exact-path router: 404 for unknown paths, 405 with `Allow` for other methods, optional
// Tecton-key auth, a bounded request body, and a 500 with a short reason when a handler throws.
// Dispatch: one Map lookup per request. Always: every request gets exactly one response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceAccount } from './account-store.js';
import type { KeyVerifier } from './key-index.js';
import { authenticate, refuse } from './auth.js';

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The request body, read in full before the handler runs (empty for most GETs). */
  readonly body: Buffer;
  /** The authenticated service account, on routes mounted with `{ auth: true }`. */
  readonly account: ServiceAccount | undefined;
}

export type RouteHandler = (request: RouteRequest) => void | Promise<void>;

export interface RouteOptions {
  /** Require `Authorization: Tecton-key <API key>`. Default true: routes are private unless said otherwise. */
  auth?: boolean;
  /**
   * Told when the router answers for the route without calling it (401 bad key, 413/400 body), so the
   * route's own metrics can count requests that never reached it.
   */
  onRefused?: (status: number, request: IncomingMessage) => void;
}

/** Thrown by a handler to answer with a status and a one-line reason. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface RouterOptions {
  keys: KeyVerifier;
  /** Largest accepted request body; larger ones get 413. */
  maxBodyBytes: number;
  /** Handler failures (they become 500s). */
  onError: (error: unknown, request: IncomingMessage) => void;
}

interface Route {
  handler: RouteHandler;
  auth: boolean;
  onRefused: ((status: number, request: IncomingMessage) => void) | undefined;
}

export class Router {
  readonly #routes = new Map<string, Map<string, Route>>();
  readonly #options: RouterOptions;

  constructor(options: RouterOptions) {
    this.#options = options;
  }

  /** Mounts `handler` at exactly `path`; a GET route answers HEAD too (Node drops a HEAD body). */
  route(method: string, path: string, handler: RouteHandler, options: RouteOptions = {}): this {
    if (!path.startsWith('/')) throw new TypeError(`invalid route path ${JSON.stringify(path)}: must start with "/"`);
    const verb = method.toUpperCase();
    let methods = this.#routes.get(path);
    if (methods === undefined) this.#routes.set(path, (methods = new Map()));
    if (methods.has(verb)) throw new TypeError(`route ${verb} ${path} is already mounted`);
    const route = { handler, auth: options.auth ?? true, onRefused: options.onRefused };
    methods.set(verb, route);
    if (verb === 'GET' && !methods.has('HEAD')) methods.set('HEAD', route);
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let refusedBy: Route | undefined;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const methods = this.#routes.get(url.pathname);
      if (methods === undefined) throw new HttpError(404, `no route for ${url.pathname}`);
      const route = methods.get(req.method ?? '');
      if (route === undefined) {
        const allow = [...methods.keys()].join(', ');
        throw new HttpError(405, `method ${req.method} not allowed on ${url.pathname}: use ${allow}`, { Allow: allow });
      }
      let account: ServiceAccount | undefined;
      if (route.auth) {
        const result = authenticate(req, this.#options.keys);
        if (!result.ok) {
          closeIfBodyPending(req, res);
          refuse(res, result);
          route.onRefused?.(401, req);
          return;
        }
        account = result.account;
      }
      refusedBy = route;
      const body = await readBody(req, this.#options.maxBodyBytes);
      refusedBy = undefined;
      await route.handler({ req, res, url, body, account });
    } catch (error: unknown) {
      if (!(error instanceof HttpError) || error.status >= 500) this.#options.onError(error, req);
      if (res.headersSent) {
        res.destroy(); // a half-sent answer cannot be turned into an error; the client sees a cut stream
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      const reason = error instanceof HttpError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
      if (status === 413 || status === 400) res.setHeader('Connection', 'close');
      else closeIfBodyPending(req, res);
      sendText(res, status, reason, error instanceof HttpError ? error.headers : {});
      refusedBy?.onRefused?.(status, req);
    }
  }
}

/** Reads the whole body, refusing with 413 past `maxBytes` (declared or streamed). */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new HttpError(413, `request body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `request body exceeds the ${maxBytes}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** A short plain-text answer: the reason on one line. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = `${text.replace(/[\r\n]+/g, ' ')}\n`;
  res
    .writeHead(status, {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    })
    .end(body);
}

/** An answer sent before the body was read: close the connection rather than read an unwanted body. */
function closeIfBodyPending(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)) {
    res.setHeader('Connection', 'close');
  }
}

// A small exact-path router: 400 for an unusable request target, 404 unknown path, 405 with `Allow`, 431
// too many headers, optional Tecton-key auth, a per-route body limit (none on GET/HEAD), 500 when a handler
// throws. Dispatch: one scan of the target and one Map lookup per request. Always: at most one response
// per request, in the route's own format if it has a renderer, echoing at most MAX_ECHO characters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceAccount } from './account-store.js';
import type { KeyVerifier } from './key-index.js';
import { noteAudit } from './audit.js';
import { AUTH_SCHEME, authenticate } from './auth.js';
import { echo, parseRequestTarget, RequestTargetError } from './request-target.js';

export interface RouteRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The target on a fixed `http://localhost` origin: `url.pathname` is the path as sent, never a host. */
  readonly url: URL;
  /** The request body, read in full before the handler runs (always empty on GET and HEAD routes). */
  readonly body: Buffer;
  /** The authenticated service account, on routes mounted with `{ auth: true }`. */
  readonly account: ServiceAccount | undefined;
}

export type RouteHandler = (request: RouteRequest) => void | Promise<void>;

/** Writes and ends an error answer in the route's own format; `res` already carries any required headers. */
export type ErrorRenderer = (status: number, reason: string, res: ServerResponse) => void;

export interface RouteOptions {
  /** Require `Authorization: Tecton-key <API key>`. Default true: routes are private unless said otherwise. */
  auth?: boolean;
  /**
   * Largest request body the route reads, in bytes; larger ones get 413 and the connection is closed.
   * Default: 0 on GET (and its HEAD), where a body means nothing, else the server's maxBodyBytes.
   */
  maxBodyBytes?: number;
  /**
   * Told when the router answers for the route without calling it (431 too many headers, 401/503 auth,
   * 413/400 body), so the route's own metrics can count requests that never reached it.
   */
  onRefused?: (status: number, request: IncomingMessage) => void;
  /**
   * Renders every error answer the router gives on this route (its refusals above, and errors the
   * handler throws) instead of the default one-line text, e.g. as JSON. Headers the answer needs
   * (`WWW-Authenticate`, `Connection: close`, `Allow`) are set on `res` before it is called. If it throws
   * or leaves the answer unsent, the default text answer is sent.
   */
  renderError?: ErrorRenderer;
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
  /** Largest accepted request body on routes that take one and set no limit of their own. */
  maxBodyBytes: number;
  /** Most request headers accepted; more get 431. Default: no limit (the server's maxHeaderBytes bounds them). */
  maxHeaderCount?: number;
  /** Handler failures (they become 500s). */
  onError: (error: unknown, request: IncomingMessage) => void;
}

interface Route {
  readonly handler: RouteHandler;
  readonly auth: boolean;
  readonly maxBodyBytes: number;
  readonly onRefused: ((status: number, request: IncomingMessage) => void) | undefined;
  readonly renderError: ErrorRenderer | undefined;
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
    const maxBodyBytes = options.maxBodyBytes ?? (verb === 'GET' || verb === 'HEAD' ? 0 : this.#options.maxBodyBytes);
    if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
      throw new TypeError(`invalid maxBodyBytes ${String(maxBodyBytes)} for ${verb} ${path}: must be a whole number of bytes >= 0 (0 refuses any body)`);
    }
    let methods = this.#routes.get(path);
    if (methods === undefined) this.#routes.set(path, (methods = new Map()));
    if (methods.has(verb)) throw new TypeError(`route ${verb} ${path} is already mounted`);
    const route: Route = { handler, auth: options.auth ?? true, maxBodyBytes, onRefused: options.onRefused, renderError: options.renderError };
    methods.set(verb, route);
    if (verb === 'GET' && !methods.has('HEAD')) methods.set('HEAD', route);
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let route: Route | undefined;
    let refusing = false; // true while the router, not the handler, decides the answer
    try {
      const target = parseTarget(req.url ?? '');
      const methods = this.#routes.get(target.path);
      if (methods === undefined) throw new HttpError(404, `no route for ${echo(target.path)}`);
      route = methods.get(req.method ?? '');
      if (route === undefined) {
        const allow = [...methods.keys()].join(', ');
        throw new HttpError(405, `method ${req.method} not allowed on ${target.path}: use ${allow}`, { Allow: allow });
      }
      refusing = true;
      const cap = this.#options.maxHeaderCount;
      if (cap !== undefined && req.rawHeaders.length > 2 * cap) {
        // rawHeaders holds names and values: two entries a header.
        throw new HttpError(431, `too many request headers: ${req.rawHeaders.length / 2}, where at most ${cap} are accepted; send fewer`);
      }
      let account: ServiceAccount | undefined;
      if (route.auth) {
        const result = authenticate(req, this.#options.keys);
        noteAudit(req, result.ok ? { account: result.account.id } : { authFailure: result.failure });
        if (!result.ok) throw new HttpError(result.status, result.reason, result.status === 401 ? { 'WWW-Authenticate': AUTH_SCHEME } : {});
        account = result.account;
      }
      const body = await readBody(req, route.maxBodyBytes);
      refusing = false;
      const url = new URL(`http://localhost${target.path}${target.search}`);
      await route.handler({ req, res, url, body, account });
    } catch (error: unknown) {
      this.#answerError(error, req, res, route, refusing);
    }
  }

  #answerError(error: unknown, req: IncomingMessage, res: ServerResponse, route: Route | undefined, refused: boolean): void {
    if (!(error instanceof HttpError) || error.status >= 500) this.#options.onError(error, req);
    // Nobody left to answer: hung up, or timed out by Node (which sent its own 408). A queued pipelined
    // answer has no socket yet and is still owed.
    if (res.destroyed || res.socket?.destroyed === true) return;
    if (res.headersSent) {
      res.destroy(); // a half-sent answer cannot be turned into an error; the client sees a cut stream
      return;
    }
    const status = error instanceof HttpError ? error.status : 500;
    const reason = error instanceof HttpError ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    if (error instanceof HttpError) for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    // After these the request may still be arriving (or was never read): closing is the only safe reply.
    if (status === 413 || status === 400 || status === 431) res.setHeader('Connection', 'close');
    else closeIfBodyPending(req, res);
    if (route?.renderError !== undefined) {
      try {
        route.renderError(status, reason, res);
      } catch (renderFailure: unknown) {
        this.#options.onError(renderFailure, req);
        if (res.headersSent && !res.writableEnded) res.destroy(); // half-rendered: cut rather than hang
      }
    }
    if (!res.headersSent) sendText(res, status, reason);
    if (refused) route?.onRefused?.(status, req);
  }
}

/** Reads the whole body, refusing with 413 past `maxBytes` (declared or streamed); 0 refuses any body. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new HttpError(413, maxBytes === 0 ? `request body of ${declared} bytes refused: ${req.method} takes no body; send none` : `request body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new HttpError(413, maxBytes === 0 ? `request body refused: ${req.method} takes no body; send none` : `request body exceeds the ${maxBytes}-byte limit`);
      chunks.push(chunk);
    }
  } catch (error: unknown) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, `request body could not be read: ${error instanceof Error ? error.message : String(error)}`);
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

function parseTarget(target: string): ReturnType<typeof parseRequestTarget> {
  try {
    return parseRequestTarget(target);
  } catch (error: unknown) {
    if (error instanceof RequestTargetError) throw new HttpError(400, error.message);
    throw error;
  }
}

/** An answer sent before the body was read: close the connection rather than read an unwanted body. */
function closeIfBodyPending(req: IncomingMessage, res: ServerResponse): void {
  if (!req.complete && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)) {
    res.setHeader('Connection', 'close');
  }
}

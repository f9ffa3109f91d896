// The Metrics API HTTP server (node:http): the metrics route, /healthz and the platform's routes, behind
// timeouts, size and connection limits that slow or oversized clients cannot get around. Per request: one
// router lookup plus the handler. Always: an answer is in flight until sent or its connection is gone, and
// close() lets in-flight requests finish, then cuts whatever is left at its deadline.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { KeyVerifier } from './key-index.js';
import type { ScrapeSource } from './metrics-route.js';
import type { RouteHandler, RouteOptions } from './router.js';
import { createServer } from 'node:http';
import { METRICS_PATH, metricsRoute } from './metrics-route.js';
import { Router, sendText } from './router.js';

export const HEALTH_PATH = '/healthz';

export interface ServerLimits {
  /** Time a client has to send the whole header block; 408 and close after it. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open. */
  keepAliveTimeoutMs: number;
  /** How often the timeouts above are checked; they fire up to this late. */
  connectionsCheckingIntervalMs: number;
  /** Largest header block; larger ones get 431. */
  maxHeaderBytes: number;
  /**
   * Most request headers accepted; more get 431. Node's own cap, which drops the headers past it without
   * a word (a late Authorization then reads as missing), is turned off: maxHeaderBytes bounds the block.
   */
  maxHeaderCount: number;
  /** Largest request body on routes that take one (GET and HEAD take none); larger ones get 413. */
  maxBodyBytes: number;
  /** Most connections open at once; Node closes further ones on arrival, so idle or slow clients cannot pile up. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 1000,
  maxBodyBytes: 1024 * 1024,
  maxConnections: 1024,
});

/** Default time close() gives in-flight requests before it cuts their connections. */
export const DEFAULT_SHUTDOWN_MS = 10_000;

export interface MetricsServerOptions {
  /** What the metrics route serves; a Registry is one. */
  source: ScrapeSource;
  /** Who may call authenticated routes; a LiveKeyIndex is one. */
  keys: KeyVerifier;
  /** Default 127.0.0.1: reachable from this host only unless asked otherwise. */
  host?: string;
  /** Default 0: any free port (read it back from listen()). */
  port?: number;
  limits?: Partial<ServerLimits>;
  /** Handler failures and scrape errors, one line each. Default: stderr. */
  log?: (line: string) => void;
  /** What /healthz adds about the metrics source (a fleet engine's last evaluation); 503 when not ok. */
  health?: () => { ok: boolean; text: string };
}

export interface ServerAddress {
  host: string;
  port: number;
  /** The metrics endpoint's full URL. */
  url: string;
}

export class MetricsServer {
  readonly router: Router;
  readonly limits: Readonly<ServerLimits>;
  readonly #server: Server;
  readonly #host: string;
  readonly #port: number;
  readonly #inFlight = new Set<ServerResponse>();
  /** Each connection's unfinished answers, for the ones Node never closes (see #onConnectionClose). */
  readonly #answers = new WeakMap<Socket, Set<ServerResponse>>();
  #closing: Promise<{ graceful: boolean }> | undefined;
  #cut = false;
  #address: ServerAddress | undefined;

  constructor(options: MetricsServerOptions) {
    this.limits = resolveLimits(options.limits ?? {});
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    this.router = new Router({
      keys: options.keys,
      maxBodyBytes: this.limits.maxBodyBytes,
      maxHeaderCount: this.limits.maxHeaderCount,
      onError: (error, req) => log(`omen serve: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`),
    });
    this.router.route('GET', METRICS_PATH, metricsRoute(options.source));
    const health = options.health ?? (() => ({ ok: true, text: 'ok' }));
    this.router.route(
      'GET',
      HEALTH_PATH,
      ({ res }) => {
        if (this.closing) return sendText(res, 503, 'shutting down');
        const { ok, text } = health();
        sendText(res, ok ? 200 : 503, text);
      },
      { auth: false },
    );
    this.#server = createServer(
      {
        headersTimeout: this.limits.headersTimeoutMs,
        requestTimeout: this.limits.requestTimeoutMs,
        connectionsCheckingInterval: this.limits.connectionsCheckingIntervalMs,
        maxHeaderSize: this.limits.maxHeaderBytes,
      },
      (req, res) => this.#onRequest(req, res),
    );
    this.#server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    this.#server.maxHeadersCount = 0; // no silent truncation; the router counts them (maxHeaderCount)
    this.#server.maxConnections = this.limits.maxConnections;
    this.#server.on('connection', (socket: Socket) => socket.once('close', () => this.#onConnectionClose(socket)));
  }

  /** Mounts another route (the platform's POST routes); authenticated unless `{ auth: false }`. */
  route(method: string, path: string, handler: RouteHandler, options?: RouteOptions): this {
    this.router.route(method, path, handler, options);
    return this;
  }

  async listen(): Promise<ServerAddress> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(new Error(`cannot listen on ${this.#host}:${this.#port}: ${error.code ?? error.message}; choose another --host or --port`));
      this.#server.once('error', onError);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    const bound = this.#server.address();
    if (bound === null || typeof bound === 'string') throw new Error(`unexpected server address ${String(bound)}`);
    const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.#address = { host: bound.address, port: bound.port, url: `http://${host}:${bound.port}${METRICS_PATH}` };
    return this.#address;
  }

  get address(): ServerAddress | undefined {
    return this.#address;
  }

  get closing(): boolean {
    return this.#closing !== undefined;
  }

  /** Requests being answered right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops accepting connections, closes idle ones, lets in-flight requests finish (their connections
   * close after the answer), and after `deadlineMs` cuts whatever is left. `graceful` is false then.
   */
  close(deadlineMs = DEFAULT_SHUTDOWN_MS): Promise<{ graceful: boolean }> {
    this.#closing ??= new Promise((resolve) => {
      for (const res of this.#inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const deadline = setTimeout(() => this.cutConnections(), deadlineMs);
      this.#server.close(() => {
        clearTimeout(deadline);
        resolve({ graceful: !this.#cut });
      });
      this.#server.closeIdleConnections();
    });
    return this.#closing;
  }

  /** Ends every connection now, in-flight requests included (a second shutdown signal). */
  cutConnections(): void {
    if (this.#inFlight.size > 0) this.#cut = true;
    this.#server.closeAllConnections();
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight.add(res);
    let answers = this.#answers.get(req.socket);
    if (answers === undefined) this.#answers.set(req.socket, (answers = new Set()));
    answers.add(res);
    if (this.closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.#inFlight.delete(res);
      answers.delete(res);
      // The connection this answer used may now be idle; while closing, idle ones must go.
      if (this.closing) setImmediate(() => this.#server.closeIdleConnections());
    });
    void this.router.handle(req, res);
  }

  /**
   * Node closes the answer a connection is writing when the connection closes, but not the answers queued
   * behind it (pipelined requests): those never get a socket, so they would stay in flight, and whatever
   * their handlers hold (a scrape lease) would never be released. They are destroyed and closed here.
   */
  #onConnectionClose(socket: Socket): void {
    const answers = this.#answers.get(socket);
    if (answers === undefined) return;
    this.#answers.delete(socket);
    for (const res of answers) {
      if (res.socket !== null || res.destroyed) continue; // Node closes this one itself
      res.destroy();
      res.emit('close');
    }
  }
}

function resolveLimits(given: Partial<ServerLimits>): Readonly<ServerLimits> {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`invalid server limit ${name}=${String(value)}: must be a positive whole number; omit it for ${DEFAULT_LIMITS[name as keyof ServerLimits]}`);
    }
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new RangeError(
      `invalid server limits headersTimeoutMs=${limits.headersTimeoutMs} > requestTimeoutMs=${limits.requestTimeoutMs}: the headers are part of the request, so raise requestTimeoutMs`,
    );
  }
  return Object.freeze(limits);
}

// The Metrics API HTTP server (node:http): the metrics route, /healthz and the platform's routes, behind
// timeouts, size and connection limits that slow or oversized clients cannot get around. Per request: one
// router lookup plus the handler. Always: an answer is in flight until its last byte is flushed to the socket
// or its connection is gone, and close() lets in-flight answers drain, then cuts whatever is left at its
// deadline and names each answer it cut.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { AccessLog } from './access-log.js';
import type { KeyVerifier } from './key-index.js';
import type { ScrapeSource } from './metrics-route.js';
import type { RouteHandler, RouteOptions } from './router.js';
import type { TlsMaterial } from './tls.js';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server as NetServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { beginAudit } from './audit.js';
import { CATALOG_VERSION_HEADER, DASHBOARD_PATH, dashboardRoute } from '../dashboard/page.js';
import { METRICS_PATH, metricsRoute } from './metrics-route.js';
import { Router, sendText } from './router.js';
import { secureContextOptions } from './tls.js';

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
  /** Serve HTTPS with this certificate (swap it later with setSecureContext); with `ca`, require client certificates. */
  tls?: TlsMaterial;
  /** One line per answered request. */
  accessLog?: AccessLog;
  /** Sent as `Omen-Catalog-Version` with every metrics answer, so clients (the dashboard page) can show it. */
  catalogVersion?: string;
  /** What /healthz adds about the metrics source (a fleet engine's last evaluation); 503 when not ok. */
  health?: () => { ok: boolean; text: string };
}

export interface CloseResult {
  /** False when the deadline (or cutConnections()) ended answers still in flight. */
  graceful: boolean;
  /** Each answer cut short: `GET /path from 127.0.0.1:50123 (1048576 bytes sent)`. */
  cut: string[];
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
  readonly #server: Server | HttpsServer;
  readonly #tls: boolean;
  readonly #accessLog: AccessLog | undefined;
  readonly #host: string;
  readonly #port: number;
  readonly #inFlight = new Set<ServerResponse>();
  /** Each connection's unfinished answers, for the ones Node never closes (see #onConnectionClose). */
  readonly #answers = new WeakMap<Socket, Set<ServerResponse>>();
  /** TLS connections still waiting for their first request, by remote address and port. */
  readonly #headerClocks = new Map<string, NodeJS.Timeout>();
  readonly #sockets = new Set<Socket>();
  #closing: Promise<CloseResult> | undefined;
  readonly #cut: string[] = [];
  readonly #cutAnswers = new WeakSet<ServerResponse>();
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
    const versionHeader: Record<string, string> = options.catalogVersion === undefined ? {} : { [CATALOG_VERSION_HEADER]: options.catalogVersion };
    this.router.route('GET', METRICS_PATH, metricsRoute(options.source, versionHeader));
    // The page holds no data (it fetches the metrics route with the user's key), so it needs none itself.
    this.router.route('GET', DASHBOARD_PATH, dashboardRoute(), { auth: false });
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
    this.#accessLog = options.accessLog;
    const httpOptions = {
      headersTimeout: this.limits.headersTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
      connectionsCheckingInterval: this.limits.connectionsCheckingIntervalMs,
      maxHeaderSize: this.limits.maxHeaderBytes,
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res);
    this.#tls = options.tls !== undefined;
    if (options.tls === undefined) {
      this.#server = createServer(httpOptions, onRequest);
    } else {
      const mutual = options.tls.ca !== undefined;
      this.#server = createHttpsServer(
        { ...httpOptions, ...secureContextOptions(options.tls), requestCert: mutual, rejectUnauthorized: mutual, handshakeTimeout: this.limits.headersTimeoutMs },
        onRequest,
      );
      this.#server.on('connection', (socket: Socket) => this.#startHeaderClock(socket));
      // A failed handshake (plain HTTP, TLS 1.1, no client certificate) ends that connection and nothing else.
      this.#server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
    }
    this.#server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    this.#server.maxHeadersCount = 0; // no silent truncation; the router counts them (maxHeaderCount)
    this.#server.maxConnections = this.limits.maxConnections;
    // Requests arrive on the TLS socket when there is one, so that is the socket whose answers are tracked.
    const connected = this.#tls ? 'secureConnection' : 'connection';
    this.#server.on(connected, (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#onConnectionClose(socket));
    });
  }

  /** Whether this server speaks HTTPS. */
  get tls(): boolean {
    return this.#tls;
  }

  /** Serves new connections with this certificate (a renewal); connections already open keep theirs. */
  setSecureContext(material: TlsMaterial): void {
    if (!this.#tls) throw new Error('setSecureContext: this server was started without TLS');
    (this.#server as HttpsServer).setSecureContext(secureContextOptions(material));
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
    this.#address = { host: bound.address, port: bound.port, url: `${this.#tls ? 'https' : 'http'}://${host}:${bound.port}${METRICS_PATH}` };
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
   * Stops accepting connections, closes idle ones, lets in-flight answers drain to their clients (their
   * connections close after the last byte is flushed), and after `deadlineMs` cuts whatever is left:
   * `graceful` is false then, and `cut` names each answer cut short.
   */
  close(deadlineMs = DEFAULT_SHUTDOWN_MS): Promise<CloseResult> {
    this.#closing ??= new Promise((resolve) => {
      for (const res of this.#inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const deadline = setTimeout(() => this.cutConnections(), deadlineMs);
      // node:net's close, not node:http's: http's also destroys each connection it deems idle, and that
      // includes one whose answer is ended but still queued for a slow reader (a large scrape would be cut
      // off at once). #closeIdle() closes idle connections instead, and waits for those.
      NetServer.prototype.close.call(this.#server, () => {
        clearTimeout(deadline);
        this.#server.close(() => {}); // nothing is left to close; this stops http's connection-check timer
        resolve({ graceful: this.#cut.length === 0, cut: [...this.#cut] });
      });
      this.#closeIdle();
    });
    return this.#closing;
  }

  /** Ends every connection now, in-flight answers included (a second shutdown signal, or close()'s deadline). */
  cutConnections(): void {
    for (const res of this.#inFlight) {
      if (this.#cutAnswers.has(res)) continue; // a second cut in the same tick: 'close' has not come yet
      this.#cutAnswers.add(res);
      this.#cut.push(describeAnswer(res));
    }
    this.#server.closeAllConnections();
  }

  /** Closes each connection with no answer in flight; one whose answer is still flushing stays open. */
  #closeIdle(): void {
    for (const socket of this.#sockets) {
      const answers = this.#answers.get(socket);
      if ((answers === undefined || answers.size === 0) && socket.writableLength === 0) socket.destroy();
    }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.#firstRequestArrived(req.socket);
    if (this.#accessLog !== undefined) this.#logWhenClosed(this.#accessLog, req, res);
    this.#inFlight.add(res);
    let answers = this.#answers.get(req.socket);
    if (answers === undefined) this.#answers.set(req.socket, (answers = new Set()));
    answers.add(res);
    if (this.closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.#inFlight.delete(res);
      answers.delete(res);
      // The connection this answer used may now be idle; while closing, idle ones must go.
      if (this.closing) setImmediate(() => this.#closeIdle());
    });
    void this.router.handle(req, res);
  }

  /**
   * Node's header clock starts once the handshake is done; a TLS handshake must count toward the header
   * timeout too, or a client could hold a connection for two timeouts. So each TCP connection gets one
   * deadline from its arrival to its first request's headers.
   */
  #startHeaderClock(socket: Socket): void {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    const timer = setTimeout(() => socket.destroy(), this.limits.headersTimeoutMs);
    timer.unref();
    this.#headerClocks.set(key, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      if (this.#headerClocks.get(key) === timer) this.#headerClocks.delete(key);
    });
  }

  #firstRequestArrived(socket: Socket): void {
    if (!this.#tls || this.#headerClocks.size === 0) return;
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    clearTimeout(this.#headerClocks.get(key));
    this.#headerClocks.delete(key);
  }

  #logWhenClosed(log: AccessLog, req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const audit = beginAudit(req);
    const remote = req.socket.remoteAddress ?? '';
    // Bytes on the wire: the socket's count when the answer ends, less its count when the request came.
    const socket = req.socket;
    const before = socket.bytesWritten;
    let sent = 0;
    res.once('finish', () => (sent = socket.bytesWritten - before));
    res.once('close', () => {
      log.write({
        time: new Date().toISOString(),
        remote,
        method: req.method ?? '',
        path: pathOf(req.url ?? ''),
        status: res.statusCode,
        bytes: sent,
        duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        ...(audit.format === undefined ? {} : { format: audit.format }),
        ...(audit.account === undefined ? {} : { account: audit.account }),
        ...(audit.authFailure === undefined ? {} : { auth: audit.authFailure }),
        ...(res.writableFinished ? {} : { aborted: true as const }),
      });
    });
  }

  /**
   * Node closes the answer a connection is writing when the connection closes, but not the answers queued
   * behind it (pipelined requests): those never get a socket, so they would stay in flight, and whatever
   * their handlers hold (a scrape lease) would never be released. They are destroyed and closed here.
   */
  #onConnectionClose(socket: Socket): void {
    this.#sockets.delete(socket);
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

/** The path without its query: query strings may carry anything, and the log must not. */
function pathOf(target: string): string {
  const query = target.indexOf('?');
  return (query === -1 ? target : target.slice(0, query)).slice(0, 200);
}

/** What cutConnections() reports for an answer it cut. */
function describeAnswer(res: ServerResponse): string {
  const { req, socket } = res;
  const from = socket === null ? '' : ` from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const sent = socket === null ? 'not started' : `${socket.bytesWritten} bytes sent`;
  return `${req.method ?? '?'} ${req.url ?? '?'}${from} (${sent})`;
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

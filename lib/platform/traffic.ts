// The demo's traffic generator: steady, bounded load over real HTTP through a small keep-alive socket pool,
// against the feature server (a fixed share of unknown services and malformed bodies) and the Stream Ingest
// API (a fixed share of invalid records), plus page-view events into the in-process stream. Per tick: the
// requests now due, never more than maxInFlight at once. Always: counts are what the server answered, and
// every request's feature service or push source is drawn from the seeded PRNG, so errors land on all of them.
import type { Clock } from '../clock.js';
import type { EventStream } from './event-stream.js';
import type { Workspace } from './workspace.js';
import { systemClock } from '../clock.js';
import { GET_FEATURES_BATCH_PATH, GET_FEATURES_PATH } from './feature-server.js';
import { INGEST_PATH } from './ingest-api.js';
import { loopbackAgent, loopbackRequest, type LoopbackAgent } from './loopback.js';

export interface TrafficOptions {
  /** The platform's origin, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Sent as `Authorization: Tecton-key <apiKey>`. */
  apiKey: string;
  workspace: Workspace;
  /** Where page-view events go; none are produced without it. */
  stream?: EventStream;
  clock?: Clock;
  /** Get-features calls per second (a batch of n rows is n calls). Default 100. */
  getFeaturesPerSecond?: number;
  /** Every n-th get-features request is a GetFeaturesBatch of `batchRows` rows. Default 10. */
  batchEvery?: number;
  batchRows?: number;
  /** Every n-th get-features request names a feature service that does not exist (404). Default 40. */
  notFoundEvery?: number;
  /** Every n-th get-features request has a malformed body (400). Default 75. */
  malformedEvery?: number;
  /** Ingest requests per second, 1 to 4 records each. Default 5. */
  ingestPerSecond?: number;
  /** Every n-th ingest request holds a record of the wrong type (400). Default 10. */
  invalidIngestEvery?: number;
  /** Page-view events per second into the stream. Default 40. */
  streamEventsPerSecond?: number;
  /** Most requests in flight at once; requests due beyond it are skipped, not queued. Default 8. */
  maxInFlight?: number;
  /** Keep-alive sockets in the pool. Default 4. */
  sockets?: number;
  tickMs?: number;
  /** Seeds the choice of users, ads and amounts, so runs repeat. */
  seed?: number;
  users?: number;
  ads?: number;
}

/** The options with every default filled in. */
export type ResolvedTrafficOptions = Readonly<Required<Omit<TrafficOptions, 'stream'>> & Pick<TrafficOptions, 'stream'>>;

export interface EndpointCounts {
  /** HTTP requests answered. */
  requests: number;
  /** Answered get-features calls (batch rows) or ingest records. */
  calls: number;
  /** Of those, the ones answered 2xx. */
  okCalls: number;
  /** Answered requests by HTTP status. */
  byStatus: Record<number, number>;
  /** Requests that got no answer (connection errors, timeouts). */
  failed: number;
  /** Requests due while maxInFlight were in flight, so not sent. */
  skipped: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
const STOP_WAIT_MS = 5_000;
const UNKNOWN_SERVICE = 'fvfs_unknown';

export class TrafficGenerator {
  readonly getFeatures: EndpointCounts = counts();
  readonly ingest: EndpointCounts = counts();
  streamEvents = 0;
  /** What it runs with, defaults filled in (the demo's banner prints these). */
  readonly options: ResolvedTrafficOptions;
  readonly #agent: LoopbackAgent;
  readonly #url: URL;
  readonly #random: () => number;
  readonly #services: string[];
  #startedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #idle: (() => void) | undefined;
  #gfCalls = 0;
  #gfRequests = 0;
  #ingestRequests = 0;
  #events = 0;

  constructor(options: TrafficOptions) {
    this.options = {
      clock: systemClock,
      getFeaturesPerSecond: 100,
      batchEvery: 10,
      batchRows: 5,
      notFoundEvery: 40,
      malformedEvery: 75,
      ingestPerSecond: 5,
      invalidIngestEvery: 10,
      streamEventsPerSecond: 40,
      maxInFlight: 8,
      sockets: 4,
      tickMs: 20,
      seed: 7,
      users: 500,
      ads: 50,
      ...options,
    };
    this.#url = new URL(options.baseUrl);
    this.#agent = loopbackAgent(this.#url, this.options.sockets);
    this.#random = mulberry32(this.options.seed);
    this.#services = [...options.workspace.services.keys()];
  }

  start(): this {
    if (this.#timer !== undefined) return this;
    this.#startedAt = this.options.clock.now();
    this.#timer = setInterval(() => this.#tick(), this.options.tickMs);
    this.#timer.unref();
    return this;
  }

  /** Sends nothing more, waits (at most 5 s) for the answers in flight, then closes the sockets. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(resolve, STOP_WAIT_MS);
        deadline.unref();
        this.#idle = () => {
          clearTimeout(deadline);
          resolve();
        };
      });
    }
    this.#agent.destroy();
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  // Each schedule issues what its rate says is due since start, so a late tick catches up instead of drifting;
  // after a long stall (a suspended laptop) at most one second's worth is made up, never a burst of hours.
  #tick(): void {
    const o = this.options;
    const elapsedSeconds = (o.clock.now() - this.#startedAt) / 1000;
    const due = (perSecond: number) => Math.floor(elapsedSeconds * perSecond);
    this.#gfCalls = Math.max(this.#gfCalls, due(o.getFeaturesPerSecond) - o.getFeaturesPerSecond);
    while (this.#gfCalls < due(o.getFeaturesPerSecond)) this.#sendGetFeatures();
    this.#ingestRequests = Math.max(this.#ingestRequests, due(o.ingestPerSecond) - Math.ceil(o.ingestPerSecond));
    while (this.#ingestRequests < due(o.ingestPerSecond)) this.#sendIngest();
    if (o.stream === undefined) return;
    const wallMs = o.clock.wallMs();
    this.#events = Math.max(this.#events, due(o.streamEventsPerSecond) - o.streamEventsPerSecond);
    while (this.#events < due(o.streamEventsPerSecond)) {
      this.#events++;
      if (o.stream.push({ fields: { user_id: this.#user(), ad_id: this.#ad() }, eventTimeMs: wallMs })) this.streamEvents++;
    }
  }

  #sendGetFeatures(): void {
    const o = this.options;
    const n = ++this.#gfRequests;
    // Drawn, not n % services: with a stride that shares a factor with the service count (75 and 3) every
    // malformed request would name the same service.
    const service = this.#services[Math.floor(this.#random() * this.#services.length)]!;
    const kind = n % o.notFoundEvery === 0 ? 'unknown' : n % o.malformedEvery === 0 ? 'malformed' : n % o.batchEvery === 0 ? 'batch' : 'single';
    const rows = kind === 'batch' ? o.batchRows : 1;
    this.#gfCalls += rows;
    if (this.#inFlight >= o.maxInFlight) {
      this.getFeatures.skipped++;
      return;
    }
    switch (kind) {
      case 'unknown':
        return this.#post(GET_FEATURES_PATH, JSON.stringify({ params: { feature_service_name: UNKNOWN_SERVICE, join_key_map: { user_id: this.#user() } } }), this.getFeatures, 1);
      case 'malformed':
        return this.#post(GET_FEATURES_PATH, `{"params": {"feature_service_name": "${service}", "join_key_map": {`, this.getFeatures, 1);
      case 'batch': {
        const requestData = Array.from({ length: rows }, () => ({ join_key_map: this.#keys(service) }));
        const params = { feature_service_name: service, workspace_name: o.workspace.name, request_data: requestData };
        return this.#post(GET_FEATURES_BATCH_PATH, JSON.stringify({ params }), this.getFeatures, rows);
      }
      case 'single': {
        const params = { feature_service_name: service, workspace_name: o.workspace.name, join_key_map: this.#keys(service), metadata_options: { include_serving_status: true } };
        return this.#post(GET_FEATURES_PATH, JSON.stringify({ params }), this.getFeatures, 1);
      }
    }
  }

  #sendIngest(): void {
    const o = this.options;
    const n = ++this.#ingestRequests;
    if (this.#inFlight >= o.maxInFlight) {
      this.ingest.skipped++;
      return;
    }
    const timestamp = new Date(o.clock.wallMs()).toISOString();
    const invalid = n % o.invalidIngestEvery === 0;
    const size = 1 + Math.floor(this.#random() * 4);
    const clicks = this.#random() < 0.5; // drawn, not n % 2: invalidIngestEvery is even by default
    const records = Array.from({ length: size }, (_, i) => {
      const wrong = invalid && i === size - 1;
      return clicks
        ? { record: { ad_id: this.#ad(), user_id: this.#user(), position: wrong ? 'top' : 1 + Math.floor(this.#random() * 5), timestamp } }
        : { record: { user_id: this.#user(), merchant: `merchant_${Math.floor(this.#random() * 20)}`, amount: wrong ? '12.50' : Math.round(this.#random() * 50_000) / 100, timestamp } };
    });
    const body = { workspace_name: o.workspace.name, dry_run: false, records: { [clicks ? 'ad_clicks' : 'transactions']: records } };
    this.#post(INGEST_PATH, JSON.stringify(body), this.ingest, size);
  }

  #post(path: string, body: string, into: EndpointCounts, calls: number): void {
    this.#inFlight++;
    let settled = false;
    const settle = (status: number | undefined) => {
      if (settled) return;
      settled = true;
      if (status === undefined) into.failed++;
      else {
        into.requests++;
        into.calls += calls;
        if (status >= 200 && status < 300) into.okCalls += calls;
        into.byStatus[status] = (into.byStatus[status] ?? 0) + 1;
      }
      if (--this.#inFlight === 0) this.#idle?.();
    };
    const req = loopbackRequest(
      this.#url,
      {
        agent: this.#agent,
        hostname: this.#url.hostname.replace(/^\[|\]$/g, ''),
        port: this.#url.port,
        method: 'POST',
        path,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { Authorization: `Tecton-key ${this.options.apiKey}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('error', () => settle(undefined));
        res.on('end', () => settle(res.statusCode));
        res.resume();
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', () => settle(undefined));
    req.end(body);
  }

  #keys(service: string): Record<string, string> {
    const joinKeys = this.options.workspace.services.get(service)!.joinKeys;
    const keys: Record<string, string> = {};
    for (const key of joinKeys) keys[key] = key === 'ad_id' ? this.#ad() : this.#user();
    return keys;
  }

  #user(): string {
    return `user_${Math.floor(this.#random() * this.options.users)}`;
  }

  #ad(): string {
    return `ad_${Math.floor(this.#random() * this.options.ads)}`;
  }
}

function counts(): EndpointCounts {
  return { requests: 0, calls: 0, okCalls: 0, byStatus: {}, failed: 0, skipped: 0 };
}

/** mulberry32: a small seeded PRNG, so the same seed picks the same users, ads and amounts. */
function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

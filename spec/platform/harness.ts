// Shared by the platform specs: an omen server on 127.0.0.1:0 with the catalog instrumented (short windows
// when asked), a service-account store in a temp dir, the DemoContext startDemo gets, a JSON client, and a
// scrape parsed back into the exposition model.
import type { Clock } from '../../lib/clock.js';
import type { Catalog } from '../../lib/catalog/catalog.js';
import type { MetricsInstrumentation } from '../../lib/catalog/instrumentation.js';
import type { FamilyModel } from '../../lib/exposition/model.js';
import type { DemoContext } from '../../lib/platform/context.js';
import type { Platform } from '../../lib/platform/platform.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../lib/clock.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { loadCatalog } from '../../lib/catalog/catalog.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { LiveKeyIndex } from '../../lib/server/key-index.js';
import { MetricsServer } from '../../lib/server/server.js';
import { startPlatform } from '../../lib/platform/platform.js';

/** The 0.7 catalog with 4 s windows in 1 s slots, so rates settle within seconds. */
export const SHORT_CATALOG = loadCatalog({ ...CATALOG_0_7, windowSeconds: 4, slotSeconds: 1 });

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface Rig {
  dir: string;
  dataDir: string;
  registry: Registry;
  metrics: MetricsInstrumentation;
  store: ServiceAccountStore;
  server: MetricsServer;
  port: number;
  /** A key of a spec account ("spec"), separate from the demo's own. */
  apiKey: string;
  context: DemoContext;
  /** What the demo logged. */
  lines: string[];
  post(path: string, body: string | object | Buffer, headers?: Record<string, string>): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** A scrape of the registry in OpenMetrics, parsed. */
  scrape(): Promise<FamilyModel[]>;
  stop(): Promise<void>;
}

export interface RigOptions {
  clock?: Clock;
  catalog?: Catalog;
  utilization?: 'event-loop' | 'reports';
  /** Reuse a data directory (a second run); default a fresh temp dir. */
  dataDir?: string;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'omen-platform-'));
  const dataDir = options.dataDir ?? join(dir, 'data');
  const store = new ServiceAccountStore(dataDir);
  const { apiKey } = await store.create({ name: 'spec' });
  const keys = await new LiveKeyIndex(store, { pollMs: 20, onError: () => {} }).start();
  const clock = options.clock ?? systemClock;
  const registry = new Registry({ clock, onError: () => {} });
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', catalog: options.catalog ?? loadCatalog(CATALOG_0_7), utilization: options.utilization ?? 'reports' });
  const server = new MetricsServer({ source: registry, keys, log: () => {} });
  const address = await server.listen();
  const lines: string[] = [];
  const context: DemoContext = { metrics, registry, server, store, region: 'us-west-2', clock, listen: async () => address.url, log: (line) => lines.push(line) };
  const auth = { Authorization: `Tecton-key ${apiKey}` };
  return {
    dir,
    dataDir,
    registry,
    metrics,
    store,
    server,
    port: address.port,
    apiKey,
    context,
    lines,
    post: (path, body, headers = auth) => send(address.port, 'POST', path, headers, typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)),
    get: (path, headers = auth) => send(address.port, 'GET', path, headers),
    scrape: async () => parse(await registry.scrape(OPENMETRICS)),
    async stop() {
      keys.stop();
      await server.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A rig with the platform mounted and no traffic; the stream processor runs only when a spec calls runBatch(). */
export async function startPlatformRig(options: RigOptions = {}): Promise<{ rig: Rig; platform: Platform; stop(): Promise<void> }> {
  const rig = await startRig(options);
  const platform = await startPlatform(rig.context, { dataDir: rig.dataDir, traffic: false, triggerMs: 3_600_000 });
  return {
    rig,
    platform,
    async stop() {
      await platform.stop();
      await rig.stop();
    },
  };
}

/** One request on a fresh connection. */
export function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'Content-Type': 'application/json', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = String(res.headers['content-type']).startsWith('application/json') ? JSON.parse(text) : undefined;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export { waitFor } from '../support/wait.js';

export { samples, valueOf } from '../support/samples.js';

// Shared by the server specs: a fresh data dir with one service account, a server on 127.0.0.1:0,
// a raw HTTP client that sends exactly the headers given, and a bounded wait loop.
import type { IncomingHttpHeaders } from 'node:http';
import type { MetricsServerOptions } from '../../lib/server/server.js';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceAccountStore } from '../../lib/server/account-store.js';
import { LiveKeyIndex } from '../../lib/server/key-index.js';
import { MetricsServer } from '../../lib/server/server.js';

export interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw header pairs, to count repeated headers. */
  rawHeaders: string[];
  body: Buffer;
}

export interface Harness {
  dir: string;
  store: ServiceAccountStore;
  keys: LiveKeyIndex;
  server: MetricsServer;
  port: number;
  apiKey: string;
  accountId: string;
  get(path: string, headers?: Record<string, string>, method?: string): Promise<Response>;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'omen-spec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts a server with one service account; `options` may replace its source and limits. */
export async function startServer(options: Partial<MetricsServerOptions> & Pick<MetricsServerOptions, 'source'>): Promise<Harness> {
  const dir = tempDir();
  const store = new ServiceAccountStore(join(dir, 'data'));
  const { account, apiKey } = await store.create({ name: 'spec', description: 'spec scraper' });
  const keys = await new LiveKeyIndex(store, { pollMs: 20, onError: () => {} }).start();
  const lines: string[] = [];
  const server = new MetricsServer({ keys, log: (line) => lines.push(line), ...options });
  const { port } = await server.listen();
  return {
    dir,
    store,
    keys,
    server,
    port,
    apiKey,
    accountId: account.id,
    get: (path, headers = {}, method = 'GET') => send(port, method, path, headers),
    async stop() {
      keys.stop();
      await server.close(1000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request with exactly these headers (no implicit Accept-Encoding), on a fresh connection. */
export function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export { waitFor } from '../support/wait.js';

/** A promise with its resolve, for sources that must be held mid-scrape. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

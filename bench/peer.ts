// Loads prom-client from bench/compare/ at run time, behind the few types the benchmarks use, so omen's own
// build never needs it. Cost: one dynamic import. Always: the peer is exactly the pinned version, or nothing runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PEER_NAME = 'prom-client';
export const PEER_VERSION = '15.1.3';

export interface PeerRegistry {
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface PeerOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  registers: PeerRegistry[];
  buckets?: readonly number[];
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
}

export interface PeerCounter {
  labels(...values: string[]): { inc(amount?: number): void };
  inc(labels: Record<string, string>, amount?: number): void;
}

export interface PeerGauge {
  labels(...values: string[]): { set(value: number): void; inc(amount?: number): void };
  set(labels: Record<string, string>, value: number): void;
}

export interface PeerHistogram {
  labels(...values: string[]): { observe(value: number): void };
}

export interface PeerSummary {
  labels(...values: string[]): { observe(value: number): void };
}

export interface Peer {
  version: string;
  Registry: new () => PeerRegistry;
  Counter: new (options: PeerOptions) => PeerCounter;
  Gauge: new (options: PeerOptions) => PeerGauge;
  Histogram: new (options: PeerOptions) => PeerHistogram;
  Summary: new (options: PeerOptions) => PeerSummary;
  collectDefaultMetrics(options: { register: PeerRegistry }): void;
}

let loaded: Promise<Peer> | undefined;

/** prom-client, once per process. Fails with the fix when bench/compare has not been installed. */
export function loadPeer(): Promise<Peer> {
  return (loaded ??= importPeer());
}

async function importPeer(): Promise<Peer> {
  // dist/bench/peer.js -> bench/compare/peer.mjs in the source tree.
  const url = new URL('../../bench/compare/peer.mjs', import.meta.url);
  const modules = fileURLToPath(new URL('../../bench/compare/node_modules/prom-client', import.meta.url));
  if (!existsSync(modules)) {
    throw new Error(`${PEER_NAME} is not installed at ${modules}: run \`make -C bench/compare install\` (or \`make bench\`)`);
  }
  const specifier: string = url.href;
  const module = (await import(specifier)) as { default: Omit<Peer, 'version'>; version: string };
  if (module.version !== PEER_VERSION) {
    throw new Error(`${PEER_NAME} ${module.version} is installed, but the benchmarks compare against ${PEER_VERSION}: run \`make -C bench/compare install\``);
  }
  return { ...module.default, version: module.version };
}

// The primary side of cluster aggregation: one scrape for every worker of a node:cluster (or any parent with
// IPC children). A scrape asks each live worker for its families' state, waits at most `timeoutMs`, merges
// family by family with each type's rule (lib/metrics/state/) and writes the result like a Registry does.
// Cost: one IPC round trip per worker (in parallel) plus O(series × workers) merging; measured in bench/cluster.
import type { Clock } from '../clock.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { FamilyModel } from '../exposition/model.js';
import type { FamilyState, GaugeAggregate } from '../metrics/state/index.js';
import type { Registry, ScrapeLease } from '../registry.js';
import cluster from 'node:cluster';
import { systemClock } from '../clock.js';
import { ByteWriter } from '../exposition/byte-writer.js';
import { PROMETHEUS } from '../exposition/formats.js';
import { writeFamilyModel } from '../exposition/model-writer.js';
import { encodeProtobuf } from '../exposition/proto/encode.js';
import { PROTOBUF } from '../exposition/proto/format.js';
import { MetricError, quote } from '../metrics/errors.js';
import { exportFamilyState, exportModelState, GAUGE_AGGREGATES } from '../metrics/state/index.js';
import { mergeStates } from './merge.js';
import { TAG, isStateAnswer } from './protocol.js';

/** Default wait for a worker's answer: well inside Prometheus' default 10 s scrape timeout. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 2000;

/** A worker as the primary sees it: cluster.Worker and ChildProcess both fit. */
export interface ClusterPeer {
  send(message: object, callback: (error: Error | null) => void): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
  off(event: string, listener: (...args: any[]) => void): unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ClusterRegistryOptions {
  /** How long a scrape waits for each worker; a worker that has not answered by then is left out. Default 2,000 ms. */
  timeoutMs?: number;
  /** Per gauge family (by name): how workers' values combine. Default 'sum' for every gauge and unknown. */
  aggregate?: Readonly<Record<string, GaugeAggregate>>;
  /** The workers to ask, read at every scrape. Default: node:cluster's live workers, in id order. */
  workers?: () => Iterable<ClusterPeer>;
  /** The primary's own metrics, merged in after the workers' as one more process. */
  registry?: Registry;
  /** Wall time for timestamped families. Default systemClock. */
  clock?: Clock;
}

interface PeerState {
  pending: Map<number, (families: FamilyState[] | 'exited') => void>;
  onMessage: (message: unknown) => void;
  onExit: () => void;
}

export class ClusterRegistry {
  readonly timeoutMs: number;
  readonly #aggregate: ReadonlyMap<string, GaugeAggregate>;
  readonly #workers: () => Iterable<ClusterPeer>;
  readonly #registry: Registry | undefined;
  readonly #clock: Clock;
  readonly #peers = new Map<ClusterPeer, PeerState>();
  #nextId = 1;
  #mergeErrors = 0;

  constructor(options: ClusterRegistryOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new MetricError('invalid-option', `ClusterRegistry: timeoutMs must be a positive number of ms, got ${quote(timeoutMs)}; e.g. 2000`);
    }
    const aggregate = new Map<string, GaugeAggregate>();
    for (const [name, rule] of Object.entries(options.aggregate ?? {})) {
      if (!GAUGE_AGGREGATES.includes(rule)) {
        throw new MetricError('invalid-option', `ClusterRegistry: aggregate for ${quote(name)} is ${quote(rule)}; use one of ${GAUGE_AGGREGATES.join(', ')}`, name);
      }
      aggregate.set(name, rule);
    }
    this.timeoutMs = timeoutMs;
    this.#aggregate = aggregate;
    this.#workers = options.workers ?? clusterWorkers;
    this.#registry = options.registry;
    this.#clock = options.clock ?? systemClock;
  }

  /** One exposition of every worker's metrics merged, in `format`. The result is the caller's to keep. */
  async scrape(format: ExpositionFormat = PROMETHEUS): Promise<Buffer> {
    const lease = await this.lease(format);
    return Buffer.from(lease.bytes);
  }

  /** Like Registry.lease(): the bytes stay valid until release() (here each scrape has its own buffer). */
  async lease(format: ExpositionFormat = PROMETHEUS): Promise<ScrapeLease> {
    const families = await this.collectMerged();
    // Prometheus with native histograms asks for protobuf: the merged native buckets are only in that format.
    if (format === PROTOBUF) return { bytes: encodeProtobuf(families), release: () => {} };
    const writer = new ByteWriter();
    for (const family of families) writeFamilyModel(writer, family, format);
    writer.ascii(format.trailer);
    return { bytes: writer.view(), release: () => {} };
  }

  /** The merged families of one scrape (asks every worker), with the cluster's own gauges last. */
  async collectMerged(): Promise<FamilyModel[]> {
    const peers = [...this.#workers()];
    const answers = await Promise.all(peers.map((peer) => this.#ask(peer)));
    const parts: FamilyState[][] = [];
    let missing = 0;
    for (const answer of answers) {
      if (answer === 'missing') missing++;
      else if (answer !== 'exited') parts.push(answer);
    }
    if (this.#registry !== undefined) {
      const collected = await this.#registry.collect();
      const own = this.#registry.families.map((family) => exportFamilyState(family)).filter((state) => state !== undefined);
      parts.push([...own, ...collected.map(exportModelState)]);
    }
    const merged = mergeStates(parts, { aggregate: this.#aggregate, wallSeconds: this.#clock.wallMs() / 1000 });
    this.#mergeErrors += merged.errors;
    merged.families.push(...selfFamilies(parts.length, missing, this.#mergeErrors));
    return merged.families;
  }

  /** One worker's families, 'missing' when it did not answer in time, 'exited' when it left meanwhile. */
  #ask(peer: ClusterPeer): Promise<FamilyState[] | 'missing' | 'exited'> {
    const state = this.#attach(peer);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('missing'), this.timeoutMs);
      const finish = (result: FamilyState[] | 'missing' | 'exited'): void => {
        clearTimeout(timer);
        state.pending.delete(id);
        resolve(result);
      };
      state.pending.set(id, finish);
      try {
        peer.send({ tag: TAG, op: 'state', id }, (error) => {
          if (error !== null && error !== undefined) finish('exited');
        });
      } catch {
        finish('exited'); // its channel is closed: it is exiting
      }
    });
  }

  #attach(peer: ClusterPeer): PeerState {
    let state = this.#peers.get(peer);
    if (state !== undefined) return state;
    const pending = new Map<number, (families: FamilyState[] | 'exited') => void>();
    const onMessage = (message: unknown): void => {
      if (isStateAnswer(message)) pending.get(message.id)?.(message.families);
    };
    // A worker that exits is forgotten: its pending answers end now, and nothing of it is kept.
    const onExit = (): void => {
      for (const finish of [...pending.values()]) finish('exited');
      peer.off('message', onMessage);
      peer.off('exit', onExit);
      peer.off('disconnect', onExit);
      this.#peers.delete(peer);
    };
    peer.on('message', onMessage);
    peer.on('exit', onExit);
    peer.on('disconnect', onExit);
    state = { pending, onMessage, onExit };
    this.#peers.set(peer, state);
    return state;
  }
}

function clusterWorkers(): Iterable<ClusterPeer> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined && !worker.isDead() && worker.isConnected());
  return workers.sort((a, b) => a!.id - b!.id) as unknown as ClusterPeer[];
}

/** The cluster's own health: processes merged, workers that did not answer in time, families that failed to merge. */
function selfFamilies(answered: number, missing: number, mergeErrors: number): FamilyModel[] {
  const families: FamilyModel[] = [
    { name: 'omen_cluster_processes', type: 'gauge', help: 'Processes whose metrics this scrape merged.', samples: [{ name: 'omen_cluster_processes', labels: [], value: answered }] },
    { name: 'omen_cluster_workers_missing', type: 'gauge', help: 'Workers that did not answer this scrape in time and were left out.', samples: [{ name: 'omen_cluster_workers_missing', labels: [], value: missing }] },
  ];
  if (mergeErrors > 0) {
    families.push({ name: 'omen_cluster_merge_errors', type: 'counter', help: 'Families left out of a merged scrape because merging them failed.', samples: [{ name: 'omen_cluster_merge_errors_total', labels: [], value: mergeErrors }] });
  }
  return families;
}

// The worker side of cluster aggregation: runs the registry's collectors, then answers the primary's state
// request with every family's state (lib/metrics/state/) and the collectors' families, never exposition text. Cost per request: the families' export, O(series), plus the
// IPC write. Holds: a request gets exactly one answer; a family that fails to export is left out, not fatal.
import type { Registry } from '../registry.js';
import type { FamilyModel } from '../exposition/model.js';
import type { FamilyState } from '../metrics/state/index.js';
import { MetricError } from '../metrics/errors.js';
import { exportFamilyState, exportModelState } from '../metrics/state/index.js';
import { TAG, isStateRequest } from './protocol.js';

/** Where a worker hears the primary: `process` in a cluster worker or forked child. */
export interface WorkerChannel {
  send?: ((message: object, callback: (error: Error | null) => void) => boolean) | undefined;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface ClusterWorkerHandle {
  /** Stops answering; the primary then counts this worker as missing until it exits. Idempotent. */
  stop(): void;
}

/**
 * Makes this process answer a ClusterRegistry in its parent: call once per worker, with the registry its
 * metrics live in. Throws when the process has no IPC channel (not started by cluster.fork() or fork()).
 */
export function clusterWorker(registry: Registry, channel: WorkerChannel = process as unknown as WorkerChannel): ClusterWorkerHandle {
  if (typeof channel.send !== 'function') {
    throw new Error('clusterWorker: this process has no IPC channel (process.send is undefined); start it with cluster.fork() or child_process.fork(), or pass the channel');
  }
  const send = channel.send.bind(channel);
  const listener = (message: unknown): void => {
    if (!isStateRequest(message)) return;
    void registry.collect().then(
      (collected) => answer(message.id, collected),
      () => answer(message.id, []), // collector failures are the registry's to report; the families still go
    );
  };
  const answer = (id: number, collected: readonly FamilyModel[]): void => {
    const families: FamilyState[] = [];
    for (const family of registry.families) {
      try {
        const state = exportFamilyState(family);
        if (state !== undefined) families.push(state);
      } catch (error: unknown) {
        family.onError(new MetricError('invalid-value', `${family.name}: cluster state export failed: ${(error as Error).message}`, family.name));
      }
    }
    for (const model of collected) families.push(exportModelState(model));
    try {
      send({ tag: TAG, op: 'state-answer', id, families }, () => {}); // a closed channel means the primary is gone
    } catch {
      // the channel closed between the request and the answer
    }
  };
  channel.on('message', listener);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      channel.off('message', listener);
    },
  };
}

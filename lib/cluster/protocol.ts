// The IPC messages between a cluster primary and its workers: a state request and its answer. Plain JSON
// objects (Node's default IPC serialization), tagged so that they never mistake an application's own messages.
import type { FamilyState } from '../metrics/state/index.js';

export const TAG = 'omen-cluster/1';

export interface StateRequest {
  tag: typeof TAG;
  op: 'state';
  id: number;
}

export interface StateAnswer {
  tag: typeof TAG;
  op: 'state-answer';
  id: number;
  families: FamilyState[];
}

export function isStateRequest(message: unknown): message is StateRequest {
  const m = message as Partial<StateRequest> | null;
  return typeof m === 'object' && m !== null && m.tag === TAG && m.op === 'state' && typeof m.id === 'number';
}

export function isStateAnswer(message: unknown): message is StateAnswer {
  const m = message as Partial<StateAnswer> | null;
  return typeof m === 'object' && m !== null && m.tag === TAG && m.op === 'state-answer' && typeof m.id === 'number' && Array.isArray(m.families);
}

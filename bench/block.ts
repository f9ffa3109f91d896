// Longest event-loop block during an async operation: a setImmediate chain timestamps every turn of the loop
// while the operation runs; the widest gap between turns is the longest synchronous stretch anything got.
// Cost: one immediate per loop turn while measuring. Always: the gap before the first turn and after the last counts.
import { performance } from 'node:perf_hooks';

export interface Blocked<T> {
  result: T;
  /** Longest time, in ms, the event loop could not run anything else. */
  longestMs: number;
  /** Loop turns seen while the operation ran. */
  turns: number;
}

export async function longestBlock<T>(operation: () => Promise<T>): Promise<Blocked<T>> {
  let last = performance.now();
  let longest = 0;
  let turns = 0;
  let running = true;
  const probe = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    turns++;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  const result = await operation();
  running = false;
  const end = performance.now();
  longest = Math.max(longest, end - last);
  return { result, longestMs: longest, turns };
}

// The known values each cluster worker of the cluster spec records, and what their merge must read.
// Shared by the worker fixture (which records them) and the spec (which computes the expected totals).

export const WORKERS = 4;
export const LATENCY_BUCKETS = [0.1, 0.5, 1];
/** Slot width of the windowed gauges; with a clock that stands still a window covers exactly one slot. */
export const SLOT_SECONDS = 5;

export interface Workload {
  jobs: Record<string, number>;
  latencies: number[];
  /** Per shape: `shards` deals one workload out round-robin, `ranges` gives each worker its own range. */
  sizes: Record<'shards' | 'ranges', number[]>;
  requests: number;
  total: number;
  errors: number;
  ages: number[];
  busyMs: number;
  inflight: number;
}

export function workload(i: number): Workload {
  const jobs: Record<string, number> = { a: 10 * (i + 1) };
  if (i % 2 === 0) jobs.b = i + 1; // a series only some workers have
  return {
    jobs,
    latencies: Array.from({ length: 50 }, (_, j) => ((i * 50 + j) % 37) / 20),
    // Either way, together the workers record every integer in [0, 10000) once.
    sizes: {
      shards: Array.from({ length: 2500 }, (_, j) => i + WORKERS * j),
      ranges: Array.from({ length: 2500 }, (_, j) => 2500 * i + j),
    },
    requests: 10 * (i + 1),
    total: 100 * (i + 1),
    errors: 3 * (i + 1) * (i + 1),
    ages: [i, 2 * i + 1, 10 * i],
    busyMs: 500 * (i + 1),
    inflight: i + 1,
  };
}

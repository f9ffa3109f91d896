// The timing harness: contenders timed by tinybench in rounds of alternating order, nanosecond calls in batches.
// Cost on the measured path: one closure call per sample; each sample runs a batch of K calls (K sized so a
// batch takes about half a millisecond) and reports sample time / K. Always: all contenders of a comparison run
// in this process, each round in the reverse order of the round before, so drift and JIT state hit them alike.
//
// For whoever benchmarks here: V8 caches `new Function` by source text, and closures compiled from the same text
// share type feedback, so a harness that compiles one loop body for two libraries makes both polymorphic. Keep
// each contender's loop textually its own (written out in the group file), or put contenders in separate processes.
// Type feedback also carries across groups: `make bench` runs every group in one process, so a group runs on the
// code V8 made from what earlier groups fed it (fed a mix of NaN or sub-1e-6 values and ordinary ones, the number
// writers have been seen compiled into code that boxes a heap number per value written). A group run alone
// (`node --expose-gc dist/bench/run.js scrape`) can therefore measure better than the same group in the full run;
// RESULTS.md reports the full run.
import { performance } from 'node:perf_hooks';
import { Bench } from 'tinybench';

/**
 * A synchronous contender performs `k` operations per `run(k)`: write the loop inside, in the group file, so each
 * contender's call site stays monomorphic. An asynchronous one (a scrape) performs one per `once()`, awaited.
 */
export type Contender = { name: string; run(k: number): void; async?: false } | { name: string; once(): Promise<unknown>; async: true };

// Past this many operations per batch, a contender is not doing k operations per run(k).
const MAX_BATCH = 1e9;

export interface Stat {
  /** Median over every sample of every round, per operation, in ns. */
  median: number;
  /** Lowest and highest per-round median, in ns: how much the figure moved while it was measured. */
  low: number;
  high: number;
  samples: number;
  /** Operations per sample. */
  batch: number;
}

export interface TimingOptions {
  /** Rounds; their order alternates. Default 4. */
  rounds?: number;
  /** Time budget per contender per round, in ms. Default 250. */
  msPerRound?: number;
  /** Minimum samples per contender per round. Default 8. */
  minSamples?: number;
  /** Target duration of one batch, in ms. Default 0.5. */
  batchMs?: number;
}

/** Times every contender; the results come back in the contenders' order. */
export async function time(contenders: readonly Contender[], options: TimingOptions = {}): Promise<Stat[]> {
  const rounds = options.rounds ?? 4;
  const msPerRound = options.msPerRound ?? 250;
  const minSamples = options.minSamples ?? 8;
  const batchMs = options.batchMs ?? 0.5;
  const batches: number[] = [];
  for (const contender of contenders) batches.push(await batchSize(contender, batchMs));
  const pooled: number[][] = contenders.map(() => []);
  const roundMedians: number[][] = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    const bench = new Bench({
      time: msPerRound,
      iterations: minSamples,
      warmupTime: round === 0 ? Math.min(200, msPerRound) : Math.min(30, msPerRound / 4),
      warmupIterations: round === 0 ? 3 : 1,
      retainSamples: true,
      throws: true,
    });
    for (const i of order) {
      const contender = contenders[i]!;
      const k = batches[i]!;
      if (contender.async) bench.add(String(i), () => repeat(contender.once, k), { async: true });
      else bench.add(String(i), () => void contender.run(k), { async: false });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const i = Number(task.name);
      const result = task.result;
      if (!('latency' in result) || result.latency.samples === undefined) {
        throw new Error(`benchmark ${contenders[i]!.name} did not complete (state ${result.state}): see the error above`);
      }
      const perOp = result.latency.samples.map((ms) => (ms * 1e6) / batches[i]!);
      for (const value of perOp) pooled[i]!.push(value);
      roundMedians[i]!.push(median(perOp));
    }
  }
  if (process.env.BENCH_DEBUG) console.error(contenders.map((c, i) => `${c.name}: batch ${batches[i]}, samples ${pooled[i]!.length}`).join("; "));
  return contenders.map((_, i) => ({
    median: median(pooled[i]!),
    low: Math.min(...roundMedians[i]!),
    high: Math.max(...roundMedians[i]!),
    samples: pooled[i]!.length,
    batch: batches[i]!,
  }));
}

/** Median of a list (mean of the middle two when even); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `p`-th quantile (0..1) of a list by nearest rank. */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

// Grows K until the fastest of three warm batches takes batchMs, then scales it once to the target. A single
// timing is not trusted: the first calls run cold (lazy compilation, interpreter) and would size K far too small.
async function batchSize(contender: Contender, batchMs: number): Promise<number> {
  let k = 1;
  while (k <= MAX_BATCH) {
    let took = await timeOnce(contender, k);
    // An operation of 10 ms or more: one per sample. Timed twice, since one preempted run on a loaded machine
    // (or a collection) would otherwise pin a nanosecond operation to batch 1 and the timer's resolution.
    if (k === 1 && took >= 20 * batchMs && (await timeOnce(contender, 1)) >= 20 * batchMs) return 1;
    for (let i = 0; i < 2 && took >= batchMs / 4; i++) took = Math.min(took, await timeOnce(contender, k));
    if (took >= batchMs) return Math.max(1, Math.round((k * batchMs) / took));
    k = took * 16 < batchMs ? k * 8 : k * 2;
  }
  throw new Error(`benchmark ${contender.name}: ${MAX_BATCH} operations still take under ${batchMs} ms; does run(k) perform k operations?`);
}

async function timeOnce(contender: Contender, k: number): Promise<number> {
  const start = performance.now();
  if (contender.async) await repeat(contender.once, k);
  else contender.run(k);
  return performance.now() - start;
}

async function repeat(once: () => Promise<unknown>, k: number): Promise<void> {
  for (let i = 0; i < k; i++) await once();
}

// Windowed summary (600 s, 5 age buckets, targets 0.5/0.9/0.99) against prom-client's Summary with the same window:
// observe() on a bound child, a scrape of 100 children, and the memory of a child after 10,000 observations. The
// floor for observe is exact quantiles: Float64Array sort of the same values, per value. Checked first: same count
// and sum, and every reported quantile within its target's rank error of the exact one.
import type { GroupResult, Row } from './report.js';
import type { MemoryScenario, Retained } from './memory.js';
import type { PeerRegistry, PeerSummary } from './peer.js';
import type { Summary } from '../lib/metrics/summary.js';
import { FakeClock } from '../lib/clock.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { DEFAULT_TARGETS } from '../lib/quantile/targets.js';
import { Registry } from '../lib/registry.js';
import { assertSameSamples, sampleSet } from './check.js';
import { time } from './harness.js';
import { retainedInChild } from './memory.js';
import { loadPeer } from './peer.js';
import { latencies } from './prng.js';
import { formatNumber, fromStat, times } from './report.js';

const VALUES = 4096;
const MASK = VALUES - 1;
// A million distinct values, so neither side's sort or branches learn a short cycle of data.
const FRESH_VALUES = 1 << 20;
const FRESH_MASK = FRESH_VALUES - 1;
const SORT_FLOOR_VALUES = 10_000;
const SCRAPE_CHILDREN = 100;
const SCRAPE_OBSERVATIONS = 1000;
const MEMORY_OBSERVATIONS = 10_000;
const MEMORY_CHILDREN = { omen: 1000, peer: 100 };
const PERCENTILES = DEFAULT_TARGETS.map((target) => target.q);

function omenSummary(registry: Registry, labelNames: string[], maxChildren?: number): Summary {
  return registry.summary({ name: 'bench_rpc_seconds', help: 'RPC latency.', labelNames, maxAgeSeconds: 600, ageBuckets: 5, ...(maxChildren ? { maxChildren } : {}) });
}

function peerSummary(peer: Awaited<ReturnType<typeof loadPeer>>, registry: PeerRegistry, labelNames: string[]): PeerSummary {
  return new peer.Summary({ name: 'bench_rpc_seconds', help: 'RPC latency.', labelNames, maxAgeSeconds: 600, ageBuckets: 5, percentiles: PERCENTILES, registers: [registry] });
}

export async function summaryGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const values = latencies(21, VALUES);
  const registry = new Registry();
  const bound = omenSummary(registry, ['method', 'status']).labels('GET', '200');
  const peerRegistry = new peer.Registry();
  const peerBound = peerSummary(peer, peerRegistry, ['method', 'status']).labels('GET', '200');
  const scratch = new Float64Array(SORT_FLOOR_VALUES);
  const sortSource = latencies(22, SORT_FLOOR_VALUES);
  let omenAt = 0;
  let peerAt = 0;
  const omen = { name: 'omen observe', run: (k: number): void => { for (let i = 0; i < k; i++) bound.observe(values[omenAt++ & MASK]!); } };
  const theirs = { name: 'prom-client observe', run: (k: number): void => { for (let i = 0; i < k; i++) peerBound.observe(values[peerAt++ & MASK]!); } };
  const floor = { name: 'sort floor', run: (k: number): void => { for (let i = 0; i < k; i++) { scratch.set(sortSource); scratch.sort(); } } };
  // The steady state a service sees: values that do not repeat, and a window that rotates (omen's clock
  // moves 1 ms per observation, so its buckets rotate every 120,000; prom-client's reads the real time).
  const fresh = latencies(23, FRESH_VALUES);
  const rotatingClock = new FakeClock();
  const rotating = omenSummary(new Registry({ clock: rotatingClock }), ['method', 'status']).labels('GET', '200');
  const peerFresh = peerSummary(peer, new peer.Registry(), ['method', 'status']).labels('GET', '200');
  let freshAt = 0;
  let peerFreshAt = 0;
  const omenFresh = {
    name: 'omen observe, fresh values, rotating',
    run: (k: number): void => {
      for (let i = 0; i < k; i++) {
        rotatingClock.advance(1);
        rotating.observe(fresh[freshAt++ & FRESH_MASK]!);
      }
    },
  };
  const theirsFresh = { name: 'prom-client observe, fresh values', run: (k: number): void => { for (let i = 0; i < k; i++) peerFresh.observe(fresh[peerFreshAt++ & FRESH_MASK]!); } };

  omen.run(VALUES);
  theirs.run(VALUES);
  const checked = await checkSummaries('summary observe', registry, peerRegistry, [values]);
  const [o, p, f, of, pf] = await time([omen, theirs, floor, omenFresh, theirsFresh]);
  const sortPerValue = { median: f!.median / SORT_FLOOR_VALUES, low: f!.low / SORT_FLOOR_VALUES, high: f!.high / SORT_FLOOR_VALUES };

  const scrape = await scrapeChildren();
  const memory = await summaryMemory();
  const rows: Row[] = [
    {
      operation: 'observe() on a bound child, 2 labels (600 s window, 5 age buckets, 3 targets)',
      unit: 'ns/op',
      omen: fromStat(o!),
      peer: fromStat(p!),
      floor: { value: sortPerValue.median, low: sortPerValue.low, high: sortPerValue.high },
      floorName: `exact: Float64Array sort of ${SORT_FLOOR_VALUES.toLocaleString('en-US')} values, per value`,
      ratio: `${times(p!.median / o!.median)} faster than prom-client; ${times(o!.median / sortPerValue.median)} the sort floor`,
      goal: '≥ 30× faster',
      met: p!.median / o!.median >= 30,
    },
    {
      operation: 'the same with a million distinct values, omen\'s window rotating (fake clock, 1 ms per observation)',
      unit: 'ns/op',
      omen: fromStat(of!),
      peer: fromStat(pf!),
      ratio: `${times(pf!.median / of!.median)} faster than prom-client`,
      goal: '—',
      met: undefined,
    },
    {
      operation: `scrape of ${SCRAPE_CHILDREN} summary children (${SCRAPE_OBSERVATIONS} observations each), nothing observed since the last scrape`,
      unit: 'ms',
      omen: fromStat(scrape.idle.omen, 1e-6),
      peer: fromStat(scrape.idle.peer, 1e-6),
      ratio: `${times(scrape.idle.peer.median / scrape.idle.omen.median)} faster than prom-client`,
      goal: '≥ 50× faster',
      met: scrape.idle.peer.median / scrape.idle.omen.median >= 50,
    },
    {
      operation: `the same scrape after 20 new observations per child (the observe calls are in both figures)`,
      unit: 'ms',
      omen: fromStat(scrape.busy.omen, 1e-6),
      peer: fromStat(scrape.busy.peer, 1e-6),
      ratio: `${times(scrape.busy.peer.median / scrape.busy.omen.median)} faster than prom-client`,
      goal: '—',
      met: undefined,
    },
    {
      operation: `memory per summary child after ${MEMORY_OBSERVATIONS.toLocaleString('en-US')} observations (omen ${MEMORY_CHILDREN.omen.toLocaleString('en-US')} children, prom-client ${MEMORY_CHILDREN.peer})`,
      unit: 'B/child',
      omen: memory.omen,
      peer: memory.peer,
      ratio: `${times(memory.peer.value / memory.omen.value)} smaller than prom-client`,
      goal: '≤ 8 KB',
      met: memory.omen.value <= 8000,
    },
  ];
  return {
    group: 'summary',
    title: 'Windowed summary',
    rows,
    notes: [
      `Checks before timing: same _count and _sum on both sides; every quantile's rank in the exact sorted data within its target's error (${checked}).`,
      `Memory: heapUsed plus arrayBuffers growth per child, each build in a fresh \`node --expose-gc\` process, omen, peer, peer, omen; the spread is the two builds. heap / arrayBuffers per child: omen ${formatNumber(memory.omenSplit.heap)} / ${formatNumber(memory.omenSplit.arrayBuffers)} B, prom-client ${formatNumber(memory.peerSplit.heap)} / ${formatNumber(memory.peerSplit.arrayBuffers)} B. prom-client is measured on fewer children because its observe is slow; the figure is per child.`,
      "prom-client's window starts with one t-digest shared by all 5 ring slots (`Array(n).fill(new TDigest())`), so until its first rotation each observation is pushed into that digest 5 times; its figures above include that, as its users get it.",
    ],
  };
}

/** Same counts and sums; each child's quantiles within the target rank error of the exact ones, on both sides. */
async function checkSummaries(what: string, registry: Registry, peerRegistry: PeerRegistry, observed: readonly Float64Array[]): Promise<string> {
  const ours = await registry.scrape(PROMETHEUS);
  const theirs = await peerRegistry.metrics();
  const notQuantile = { keep: (sample: { name: string }) => sample.name.endsWith('_sum') || sample.name.endsWith('_count'), tolerance: () => 1e-12 };
  assertSameSamples(what, ours, theirs, notQuantile);
  const worst = { omen: 0, peer: 0 };
  for (const [side, text] of [['omen', ours], ['peer', theirs]] as const) {
    const quantiles = [...sampleSet(text, (sample) => sample.labels.some(([name]) => name === 'quantile'))];
    if (quantiles.length !== observed.length * PERCENTILES.length) throw new Error(`${what}: ${side} exposes ${quantiles.length} quantile samples, expected ${observed.length * PERCENTILES.length}`);
    for (const [key, estimate] of quantiles) {
      const child = childIndex(key);
      const sorted = Float64Array.from(observed[child]!).sort();
      const q = Number(/quantile="([^"]+)"/.exec(key)![1]);
      const target = DEFAULT_TARGETS.find((t) => t.q === q)!;
      const miss = rankMiss(sorted, estimate, q);
      worst[side] = Math.max(worst[side], miss / target.error);
      if (miss > target.error) throw new Error(`${what}: ${side} reports ${key} = ${estimate}, whose rank is ${miss.toFixed(4)} of n away from q=${q} (allowed ${target.error})`);
    }
  }
  return `worst rank miss as a share of the allowed error: omen ${worst.omen.toFixed(2)}, prom-client ${worst.peer.toFixed(2)}`;
}

function childIndex(key: string): number {
  const match = /child="(\d+)"/.exec(key);
  return match === null ? 0 : Number(match[1]);
}

// How far, as a fraction of n, the estimate's rank range [#values < v, #values <= v] lies from q * n.
function rankMiss(sorted: Float64Array, value: number, q: number): number {
  let below = 0;
  let atOrBelow = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]! < value) below++;
    if (sorted[i]! <= value) atOrBelow++;
  }
  const want = q * sorted.length;
  const miss = want < below ? below - want : want > atOrBelow ? want - atOrBelow : 0;
  return miss / sorted.length;
}

async function scrapeChildren() {
  const peer = await loadPeer();
  const registry = new Registry();
  const family = omenSummary(registry, ['child']);
  const peerRegistry = new peer.Registry();
  const peerFamily = peerSummary(peer, peerRegistry, ['child']);
  const omenChildren = Array.from({ length: SCRAPE_CHILDREN }, (_, i) => family.labels(String(i)));
  const peerChildren = Array.from({ length: SCRAPE_CHILDREN }, (_, i) => peerFamily.labels(String(i)));
  const observed = omenChildren.map((_, i) => latencies(100 + i, SCRAPE_OBSERVATIONS));
  for (let i = 0; i < SCRAPE_CHILDREN; i++) {
    for (const value of observed[i]!) {
      omenChildren[i]!.observe(value);
      peerChildren[i]!.observe(value);
    }
  }
  await checkSummaries('summary scrape', registry, peerRegistry, observed);
  const fresh = latencies(99, 20);
  const idle = await time(
    [
      { name: 'omen idle scrape', async: true, once: async (): Promise<void> => void (await registry.scrape(PROMETHEUS)) },
      { name: 'prom-client idle scrape', async: true, once: async (): Promise<void> => void (await peerRegistry.metrics()) },
    ],
    { rounds: 4, msPerRound: 500 },
  );
  const busy = await time(
    [
      {
        name: 'omen busy scrape',
        async: true,
        once: async (): Promise<void> => {
          for (let i = 0; i < SCRAPE_CHILDREN; i++) for (let j = 0; j < fresh.length; j++) omenChildren[i]!.observe(fresh[j]!);
          await registry.scrape(PROMETHEUS);
        },
      },
      {
        name: 'prom-client busy scrape',
        async: true,
        once: async (): Promise<void> => {
          for (let i = 0; i < SCRAPE_CHILDREN; i++) for (let j = 0; j < fresh.length; j++) peerChildren[i]!.observe(fresh[j]!);
          await peerRegistry.metrics();
        },
      },
    ],
    { rounds: 4, msPerRound: 500 },
  );
  return { idle: { omen: idle[0]!, peer: idle[1]! }, busy: { omen: busy[0]!, peer: busy[1]! } };
}

interface MemoryInputs {
  values: Float64Array;
  labels: string[];
}

const memoryInputs = (items: number): MemoryInputs => ({
  values: latencies(7, MEMORY_OBSERVATIONS),
  labels: Array.from({ length: items }, (_, i) => `child-${i}`),
});

// Child i sees the same 10,000 values rotated by i, so no two children hold identical streams.
function feed(observe: (value: number) => void, values: Float64Array, child: number): void {
  const shift = (child * 37) % values.length;
  for (let j = 0; j < values.length; j++) observe(values[(j + shift) % values.length]!);
}

/** Run by memory-child.js, one per process. */
export const memoryScenarios: Record<string, MemoryScenario<MemoryInputs>> = {
  omen: {
    prepare: memoryInputs,
    build: (context, items, handles) => {
      const registry = new Registry();
      const family = omenSummary(registry, ['child'], items);
      for (let i = 0; i < items; i++) {
        const child = family.labels(context.labels[i]!);
        feed((value) => child.observe(value), context.values, i);
        handles[i] = child;
      }
      return registry;
    },
  },
  peer: {
    prepare: memoryInputs,
    build: async (context, items, handles) => {
      const peer = await loadPeer();
      const registry = new peer.Registry();
      const family = peerSummary(peer, registry, ['child']);
      for (let i = 0; i < items; i++) {
        const child = family.labels(context.labels[i]!);
        feed((value) => child.observe(value), context.values, i);
        handles[i] = child;
      }
      return registry;
    },
  },
};

async function summaryMemory() {
  const omen: Retained[] = [await retainedInChild('summary', 'omen', MEMORY_CHILDREN.omen)];
  const peer: Retained[] = [await retainedInChild('summary', 'peer', MEMORY_CHILDREN.peer), await retainedInChild('summary', 'peer', MEMORY_CHILDREN.peer)];
  omen.push(await retainedInChild('summary', 'omen', MEMORY_CHILDREN.omen));
  const bytes = (runs: Retained[]) => {
    const totals = runs.map((run) => run.heap + run.arrayBuffers);
    return { value: totals.reduce((a, b) => a + b, 0) / totals.length, low: Math.min(...totals), high: Math.max(...totals) };
  };
  const split = (runs: Retained[]) => ({ heap: (runs[0]!.heap + runs[1]!.heap) / 2, arrayBuffers: (runs[0]!.arrayBuffers + runs[1]!.arrayBuffers) / 2 });
  return { omen: bytes(omen), peer: bytes(peer), omenSplit: split(omen), peerSplit: split(peer) };
}

// Gauge hot path and footprint: set() on a bound child against prom-client and the Float64Array store floor, and
// the memory a labelled child costs while its handle is kept. Checked first: both expose the same series and values.
// Memory baselines are taken after the label strings and the handle array exist: only what a series adds counts.
import type { GroupResult, Row } from './report.js';
import type { MemoryScenario, Retained } from './memory.js';
import type { PeerRegistry } from './peer.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { Registry } from '../lib/registry.js';
import { assertSameSamples } from './check.js';
import { time } from './harness.js';
import { retainedInChild } from './memory.js';
import { loadPeer } from './peer.js';
import { formatNumber, fromStat, times } from './report.js';

const MEMORY_SERIES = 20_000;

export async function gaugeGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const registry = new Registry();
  const gauge = registry.gauge({ name: 'bench_queue_depth', help: 'Queue depth.', labelNames: ['queue', 'shard'] });
  const bound = gauge.labels('ingest', '7');
  const peerRegistry = new peer.Registry();
  const peerGauge = new peer.Gauge({ name: 'bench_queue_depth', help: 'Queue depth.', labelNames: ['queue', 'shard'], registers: [peerRegistry] });
  const peerBound = peerGauge.labels('ingest', '7');
  const cells = new Float64Array(8);

  const floor = { name: 'floor', run: (k: number): void => { for (let i = 0; i < k; i++) cells[3] = i; } };
  const omenSet = { name: 'omen bound set', run: (k: number): void => { for (let i = 0; i < k; i++) bound.set(i); } };
  const peerSet = { name: 'prom-client bound set', run: (k: number): void => { for (let i = 0; i < k; i++) peerBound.set(i); } };

  omenSet.run(1001);
  peerSet.run(1001);
  assertSameSamples('gauge', await registry.scrape(PROMETHEUS), await peerRegistry.metrics());
  const [f, o, p] = await time([floor, omenSet, peerSet]);

  const memory = await gaugeMemory();
  const rows: Row[] = [
    {
      operation: 'set() on a bound child, 2 labels',
      unit: 'ns/op',
      omen: fromStat(o!),
      peer: fromStat(p!),
      floor: fromStat(f!),
      floorName: 'Float64Array element store',
      ratio: `${times(p!.median / o!.median)} faster than prom-client; ${times(o!.median / f!.median)} the floor`,
      goal: '≤ 2× the floor',
      met: o!.median <= 2 * f!.median,
    },
    memoryRow('heap per labelled child (2 labels), handle kept, never scraped', memory.omen, memory.peer, true),
    memoryRow('the same after one scrape (scrape cache and pooled writer included)', memory.omenScraped, memory.peerScraped, false),
  ];
  return {
    group: 'gauge',
    title: 'Gauge',
    rows,
    notes: [
      `Memory: ${MEMORY_SERIES.toLocaleString('en-US')} children per contender (label values: 100 queues × ${MEMORY_SERIES / 100} shards), each built twice, each build in a fresh \`node --expose-gc\` process, in the order omen, peer, peer, omen; the figure is the mean, the spread the two builds. ` +
        'Bytes are heapUsed plus arrayBuffers growth per child (omen keeps series prefixes in a Buffer arena, which Node counts in arrayBuffers, not heapUsed); ' +
        `heap / arrayBuffers per child: omen ${formatNumber(memory.omen.heap)} / ${formatNumber(memory.omen.arrayBuffers)} B (after a scrape ${formatNumber(memory.omenScraped.heap)} / ${formatNumber(memory.omenScraped.arrayBuffers)} B), prom-client ${formatNumber(memory.peer.heap)} / ${formatNumber(memory.peer.arrayBuffers)} B.`,
    ],
  };
}

interface Pair {
  heap: number;
  arrayBuffers: number;
  low: number;
  high: number;
}

function memoryRow(operation: string, omen: Pair, peer: Pair, goal: boolean): Row {
  const ours = omen.heap + omen.arrayBuffers;
  const theirs = peer.heap + peer.arrayBuffers;
  return {
    operation,
    unit: 'B/child',
    omen: { value: ours, low: omen.low, high: omen.high },
    peer: { value: theirs, low: peer.low, high: peer.high },
    ratio: `${times(theirs / ours)} smaller than prom-client`,
    goal: goal ? '≤ 160 B' : '—',
    met: goal ? ours <= 160 : undefined,
  };
}

interface Inputs {
  queues: string[];
  shards: string[];
}

const inputs = (items: number): Inputs => ({
  queues: Array.from({ length: items }, (_, i) => `queue-${i % 100}`),
  shards: Array.from({ length: items }, (_, i) => `shard-${i}`),
});

async function buildOmen(context: Inputs, items: number, handles: unknown[], scrape: boolean): Promise<Registry> {
  const registry = new Registry();
  const family = registry.gauge({ name: 'bench_depth', help: 'Depth.', labelNames: ['queue', 'shard'], maxChildren: items });
  for (let i = 0; i < items; i++) {
    const child = family.labels(context.queues[i]!, context.shards[i]!);
    child.set(i);
    handles[i] = child;
  }
  if (scrape) await registry.scrape(PROMETHEUS);
  return registry;
}

async function buildPeer(context: Inputs, items: number, handles: unknown[], scrape: boolean): Promise<PeerRegistry> {
  const peer = await loadPeer();
  const registry = new peer.Registry();
  const family = new peer.Gauge({ name: 'bench_depth', help: 'Depth.', labelNames: ['queue', 'shard'], registers: [registry] });
  for (let i = 0; i < items; i++) {
    const child = family.labels(context.queues[i]!, context.shards[i]!);
    child.set(i);
    handles[i] = child;
  }
  if (scrape) await registry.metrics();
  return registry;
}

/** Run by memory-child.js, one per process. */
export const memoryScenarios: Record<string, MemoryScenario<Inputs>> = {
  omen: { prepare: inputs, build: (context, items, handles) => buildOmen(context, items, handles, false) },
  peer: { prepare: inputs, build: (context, items, handles) => buildPeer(context, items, handles, false) },
  'omen-scraped': { prepare: inputs, build: (context, items, handles) => buildOmen(context, items, handles, true) },
  'peer-scraped': { prepare: inputs, build: (context, items, handles) => buildPeer(context, items, handles, true) },
};

async function gaugeMemory(): Promise<{ omen: Pair; peer: Pair; omenScraped: Pair; peerScraped: Pair }> {
  // Same series, same values, before anything is measured.
  const context = inputs(MEMORY_SERIES);
  const omenRegistry = await buildOmen(context, MEMORY_SERIES, [], false);
  const peerRegistry = await buildPeer(context, MEMORY_SERIES, [], false);
  assertSameSamples('gauge memory scenario', await omenRegistry.scrape(PROMETHEUS), await peerRegistry.metrics());
  const measure = async (ours: string, theirs: string) => {
    const omen = [await retainedInChild('gauge', ours, MEMORY_SERIES)];
    const peer = [await retainedInChild('gauge', theirs, MEMORY_SERIES), await retainedInChild('gauge', theirs, MEMORY_SERIES)];
    omen.push(await retainedInChild('gauge', ours, MEMORY_SERIES));
    return { omen: pair(omen), peer: pair(peer) };
  };
  const kept = await measure('omen', 'peer');
  const scraped = await measure('omen-scraped', 'peer-scraped');
  return { omen: kept.omen, peer: kept.peer, omenScraped: scraped.omen, peerScraped: scraped.peer };
}

function pair(runs: readonly Retained[]): Pair {
  const totals = runs.map((run) => run.heap + run.arrayBuffers);
  const mean = (pick: (run: Retained) => number) => runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return { heap: mean((run) => run.heap), arrayBuffers: mean((run) => run.arrayBuffers), low: Math.min(...totals), high: Math.max(...totals) };
}

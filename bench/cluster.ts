// Cluster aggregation: the primary's merge of 8 workers' family states (decoded IPC messages) into one scrape's
// families, for 10,000 counter series, 10,000 histogram series and 1,000 summary series per worker; the peer is
// prom-client 15.1.3's AggregatorRegistry.aggregate() over the same counters. Checked first: the merged totals
// are the workers' sums, on both sides. Not timed: the IPC transfer itself (Node's), the worker-side export.
import type { GroupResult } from './report.js';
import type { FamilyState } from '../lib/metrics/state/index.js';
import { cpus, loadavg } from 'node:os';
import { mergeStates } from '../lib/cluster/merge.js';
import { exportFamilyState } from '../lib/metrics/state/index.js';
import { Registry } from '../lib/registry.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { fromStat, times } from './report.js';

const WORKERS = 8;
const SERIES = 10_000;
const SUMMARY_SERIES = 1_000;
const NS_PER_MS = 1e6;

interface PeerAggregator {
  AggregatorRegistry: { aggregate(metrics: unknown[]): { getSingleMetricAsString(name: string): Promise<string> } };
  Registry: new () => { getMetricsAsJSON(): Promise<unknown[]> };
  Counter: new (options: { name: string; help: string; labelNames: string[]; registers: unknown[] }) => { labels(...values: string[]): { inc(n: number): void } };
}

/** One worker's registry with `kind` families filled in, exported and sent through JSON as IPC would. */
function workerStates(w: number, kind: 'counter' | 'histogram' | 'summary'): FamilyState[] {
  const registry = new Registry();
  if (kind === 'counter') {
    const family = registry.counter({ name: 'bench_requests', help: 'Requests.', labelNames: ['route', 'code'] });
    for (let i = 0; i < SERIES; i++) family.labels(`/r${i % 100}`, String(i / 100 | 0)).inc(w + i);
  } else if (kind === 'histogram') {
    const family = registry.histogram({ name: 'bench_seconds', help: 'Latency.', labelNames: ['route', 'code'] });
    for (let i = 0; i < SERIES; i++) family.labels(`/r${i % 100}`, String(i / 100 | 0)).observe(((w + i) % 50) / 10);
  } else {
    const family = registry.summary({ name: 'bench_bytes', help: 'Sizes.', labelNames: ['route'] });
    for (let i = 0; i < SUMMARY_SERIES; i++) {
      const child = family.labels(`/r${i}`);
      for (let j = 0; j < 300; j++) child.observe(w + 8 * j);
    }
  }
  return JSON.parse(JSON.stringify(registry.families.map((family) => exportFamilyState(family)!))) as FamilyState[];
}

export async function clusterGroup(): Promise<GroupResult> {
  const options = { rounds: 4, msPerRound: 400, minSamples: 5, batchMs: 20 };
  // Each row's data is built just before it is timed and dropped after, so a row's GC does not pay for the
  // others' heap; the counter row runs against the peer in the same rounds.
  let counters: FamilyState[][] | undefined = Array.from({ length: WORKERS }, (_, w) => workerStates(w, 'counter'));
  const stateBytes = Buffer.byteLength(JSON.stringify(counters[0]));
  const peer = (await loadPeer()) as unknown as PeerAggregator;
  let peerParts: unknown[] | undefined = [];
  for (let w = 0; w < WORKERS; w++) {
    const registry = new peer.Registry();
    const counter = new peer.Counter({ name: 'bench_requests_total', help: 'Requests.', labelNames: ['route', 'code'], registers: [registry] });
    for (let i = 0; i < SERIES; i++) counter.labels(`/r${i % 100}`, String(i / 100 | 0)).inc(w + i);
    peerParts.push(await registry.getMetricsAsJSON());
  }
  // Both sides merge to the same totals: series i reads Σ_w (w + i) = 28 + 8i.
  const merged = mergeStates(counters, { wallSeconds: 0 }).families[0]!;
  const probe = merged.samples.find((s) => s.name === 'bench_requests_total' && s.labels[0]![1] === '/r7' && s.labels[1]![1] === '12')!;
  if (probe.value !== 28 + 8 * 1207) throw new Error(`omen merged ${probe.value} for series 1207, expected ${28 + 8 * 1207}`);
  const peerText = await peer.AggregatorRegistry.aggregate(peerParts).getSingleMetricAsString('bench_requests_total');
  if (!peerText.includes(`bench_requests_total{route="/r7",code="12"} ${28 + 8 * 1207}`)) throw new Error('prom-client merged another total for series 1207');
  const [oc, pc] = await time([
    { name: 'omen counters', run: (k: number): void => { for (let i = 0; i < k; i++) mergeStates(counters!, { wallSeconds: 0 }); } },
    { name: 'prom-client counters', run: (k: number): void => { for (let i = 0; i < k; i++) peer.AggregatorRegistry.aggregate(peerParts!); } },
  ], options);
  counters = undefined;
  peerParts = undefined;
  globalThis.gc?.();

  const histograms = Array.from({ length: WORKERS }, (_, w) => workerStates(w, 'histogram'));
  const histogram = mergeStates(histograms, { wallSeconds: 0 }).families[0]!;
  if (histogram.samples.filter((s) => s.name === 'bench_seconds_count').reduce((t, s) => t + s.value, 0) !== WORKERS * SERIES) throw new Error('histogram counts do not add up');
  const [oh] = await time([{ name: 'omen histograms', run: (k: number): void => { for (let i = 0; i < k; i++) mergeStates(histograms, { wallSeconds: 0 }); } }], options);
  histograms.length = 0;
  globalThis.gc?.();

  const summaries = Array.from({ length: WORKERS }, (_, w) => workerStates(w, 'summary'));
  const summary = mergeStates(summaries, { wallSeconds: 0 }).families[0]!;
  if (summary.samples.find((s) => s.name === 'bench_bytes_count')!.value !== WORKERS * 300) throw new Error('summary counts do not add up');
  const [os] = await time([{ name: 'omen summaries', run: (k: number): void => { for (let i = 0; i < k; i++) mergeStates(summaries, { wallSeconds: 0 }); } }], options);
  const ms = (stat: typeof oc) => fromStat(stat!, 1 / NS_PER_MS);
  const load = loadavg()[0]!.toFixed(1);
  return {
    group: 'cluster',
    title: 'Cluster aggregation (primary-side merge)',
    rows: [
      {
        operation: `merge ${WORKERS} workers × ${SERIES.toLocaleString('en-US')} counter series (2 labels)`,
        unit: 'ms/op',
        omen: ms(oc),
        peer: ms(pc),
        ratio: `${times(pc!.median / oc!.median)} faster than prom-client's AggregatorRegistry.aggregate`,
        goal: '< 50 ms',
        met: oc!.median / NS_PER_MS < 50,
      },
      {
        operation: `merge ${WORKERS} workers × ${SERIES.toLocaleString('en-US')} histogram series (12 buckets)`,
        unit: 'ms/op',
        omen: ms(oh),
        ratio: '—',
        goal: '',
        met: undefined,
      },
      {
        operation: `merge ${WORKERS} workers × ${SUMMARY_SERIES.toLocaleString('en-US')} summary series (CKMS merge)`,
        unit: 'ms/op',
        omen: ms(os),
        ratio: '—',
        goal: '',
        met: undefined,
      },
    ],
    notes: [
      `Each worker's state arrives as IPC would deliver it (JSON-decoded); one worker's 10,000 counter series are ${Math.round(stateBytes / 1024)} KiB of state. The merge decodes the base64 columns, joins series by label values and builds the families a scrape writes.`,
      `Load average when the group ended: ${load} on ${cpus().length} cores; medians include the GC pauses that the merged families' allocation causes.`,
      "prom-client's aggregate() takes the workers' getMetricsAsJSON() output (the same counters); its summaries are averaged per quantile, which is why omen merges CKMS tuples instead.",
    ],
  };
}

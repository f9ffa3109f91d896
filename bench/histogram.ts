// Histogram hot path: observe() on a bound child with the 11 default buckets, against prom-client, over the same
// seeded latency values (log-uniform 1 ms..20 s, so every bucket is hit). Checked first: identical buckets, sum, count.
import type { GroupResult } from './report.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { DEFAULT_BUCKETS } from '../lib/metrics/buckets.js';
import { Registry } from '../lib/registry.js';
import { assertSameSamples } from './check.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { latencies } from './prng.js';
import { fromStat, times } from './report.js';

const VALUES = 4096; // a power of two, indexed with a mask
const MASK = VALUES - 1;

export async function histogramGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const values = latencies(8, VALUES);
  const registry = new Registry();
  const histogram = registry.histogram({ name: 'bench_latency_seconds', help: 'Latency.', labelNames: ['method', 'status'] });
  const bound = histogram.labels('GET', '200');
  const peerRegistry = new peer.Registry();
  const peerHistogram = new peer.Histogram({
    name: 'bench_latency_seconds',
    help: 'Latency.',
    labelNames: ['method', 'status'],
    buckets: DEFAULT_BUCKETS,
    registers: [peerRegistry],
  });
  const peerBound = peerHistogram.labels('GET', '200');
  let omenAt = 0;
  let peerAt = 0;
  const omen = { name: 'omen observe', run: (k: number): void => { for (let i = 0; i < k; i++) bound.observe(values[omenAt++ & MASK]!); } };
  const theirs = { name: 'prom-client observe', run: (k: number): void => { for (let i = 0; i < k; i++) peerBound.observe(values[peerAt++ & MASK]!); } };

  omen.run(VALUES);
  theirs.run(VALUES);
  const series = assertSameSamples('histogram', await registry.scrape(PROMETHEUS), await peerRegistry.metrics());
  if (series !== DEFAULT_BUCKETS.length + 3) throw new Error(`histogram check: expected ${DEFAULT_BUCKETS.length + 3} samples, got ${series}`);
  const [o, p] = await time([omen, theirs]);
  return {
    group: 'histogram',
    title: 'Histogram',
    rows: [
      {
        operation: 'observe() on a bound child, 2 labels, 11 default buckets',
        unit: 'ns/op',
        omen: fromStat(o!),
        peer: fromStat(p!),
        ratio: `${times(p!.median / o!.median)} faster than prom-client`,
        goal: '≥ 15× faster',
        met: p!.median / o!.median >= 15,
      },
    ],
    notes: [`Values: ${VALUES} seeded log-uniform latencies (1 ms to 20 s) cycled in the same order for both; the loop's array read is in both figures.`],
  };
}

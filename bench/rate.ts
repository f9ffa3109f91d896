// Windowed rate hot path and its read: mark() on a bound rate-gauge child (real clock, so the shared coarse clock)
// against the Float64Array floor and prom-client's bound Counter.inc(); then a scrape of 10,000 rate children, each
// window summed at scrape, per child. Checked first: marks and increments land as the same counts.
import type { GroupResult } from './report.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { Registry } from '../lib/registry.js';
import { assertClose, assertSameSamples, sampleSet } from './check.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { fromStat, times } from './report.js';

const READ_CHILDREN = 10_000;

export async function rateGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const registry = new Registry();
  const rate = registry.rateGauge({ name: 'bench_requests_rate', help: 'Requests per second.', labelNames: ['method', 'status'] });
  const bound = rate.labels('GET', '200');
  const peerRegistry = new peer.Registry();
  const peerCounter = new peer.Counter({ name: 'bench_requests_total', help: 'Requests.', labelNames: ['method', 'status'], registers: [peerRegistry] });
  const peerBound = peerCounter.labels('GET', '200');
  const cells = new Float64Array(8);

  const floor = { name: 'floor', run: (k: number): void => { for (let i = 0; i < k; i++) cells[3]!++; } };
  const omenMark = { name: 'omen mark', run: (k: number): void => { for (let i = 0; i < k; i++) bound.mark(); } };
  const peerInc = { name: 'prom-client inc', run: (k: number): void => { for (let i = 0; i < k; i++) peerBound.inc(); } };

  omenMark.run(1000);
  peerInc.run(1000);
  assertClose('rate check: events in the window', bound.window.count(), 1000);
  assertClose('rate check: prom-client total', sampleSet(await peerRegistry.metrics()).get('bench_requests_total{method="GET",status="200"}') ?? NaN, 1000);
  const [f, o, p] = await time([floor, omenMark, peerInc]);

  const read = await readChildren();
  return {
    group: 'rate',
    title: 'Windowed rate',
    rows: [
      {
        operation: 'mark() on a bound rate child, 2 labels (300 s window, 5 s slots)',
        unit: 'ns/op',
        omen: fromStat(o!),
        peer: fromStat(p!),
        floor: fromStat(f!),
        floorName: 'Float64Array element ++',
        ratio: `${times(o!.median / f!.median)} the floor; ${times(p!.median / o!.median)} faster than prom-client Counter.inc()`,
        goal: '≤ 3× the floor',
        met: o!.median <= 3 * f!.median,
      },
      {
        operation: `scrape of ${READ_CHILDREN.toLocaleString('en-US')} rate children (windows summed at scrape)`,
        unit: 'µs/child',
        omen: fromStat(read.omen, 1e-3 / READ_CHILDREN),
        peer: fromStat(read.peer, 1e-3 / READ_CHILDREN),
        ratio: `${times(read.peer.median / read.omen.median)} faster than prom-client scraping as many plain gauges`,
        goal: '—',
        met: undefined,
      },
    ],
    notes: [
      'prom-client has no windowed rate: its rows are a bound Counter.inc() (the hot path a rate would replace) and a scrape of as many plain gauge children (same names and labels).',
    ],
  };
}

async function readChildren() {
  const peer = await loadPeer();
  const registry = new Registry();
  const rate = registry.rateGauge({ name: 'bench_rows_rate', help: 'Rows per second.', labelNames: ['table', 'shard'], maxChildren: READ_CHILDREN });
  const peerRegistry = new peer.Registry();
  const peerGauge = new peer.Gauge({ name: 'bench_rows_rate', help: 'Rows per second.', labelNames: ['table', 'shard'], registers: [peerRegistry] });
  for (let i = 0; i < READ_CHILDREN; i++) {
    const table = `table-${i % 100}`;
    const shard = `shard-${Math.floor(i / 100)}`;
    rate.labels(table, shard).mark(1 + (i % 7));
    peerGauge.labels(table, shard).set(1 + (i % 7));
  }
  assertSameSamples('rate read check', await registry.scrape(PROMETHEUS), await peerRegistry.metrics(), { ignoreValues: true });
  const [omen, theirs] = await time(
    [
      { name: 'omen scrape of rate children', async: true, once: async (): Promise<void> => void (await registry.scrape(PROMETHEUS)) },
      { name: 'prom-client scrape of gauges', async: true, once: async (): Promise<void> => void (await peerRegistry.metrics()) },
    ],
    { rounds: 4, msPerRound: 400 },
  );
  return { omen: omen!, peer: theirs! };
}

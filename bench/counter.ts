// Counter hot paths: inc() on a bound child with 2 labels, and labels('GET', '200').inc() per call, against
// prom-client 15.1.3 and the Float64Array floor (what an increment can cost at best). Each contender's loop is
// its own function, so V8 inlines each call site on its own. Checked first: both expose the same series and totals.
import type { GroupResult } from './report.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { Registry } from '../lib/registry.js';
import { assertSameSamples } from './check.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { fromStat, times } from './report.js';

export async function counterGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const registry = new Registry();
  const counter = registry.counter({ name: 'bench_requests', help: 'Requests.', labelNames: ['method', 'status'] });
  const bound = counter.labels('GET', '200');
  // A long-lived byte counter: its total is past 2^31 (beyond V8's small integers) before the first timed call.
  const past = counter.labels('GET', '206');
  past.inc(2 ** 31 + 12345);
  const peerRegistry = new peer.Registry();
  const peerCounter = new peer.Counter({ name: 'bench_requests_total', help: 'Requests.', labelNames: ['method', 'status'], registers: [peerRegistry] });
  const peerBound = peerCounter.labels('GET', '200');
  const cells = new Float64Array(8);

  const floor = { name: 'floor', run: (k: number): void => { for (let i = 0; i < k; i++) cells[3]!++; } };
  const omenBound = { name: 'omen bound inc', run: (k: number): void => { for (let i = 0; i < k; i++) bound.inc(); } };
  const peerBoundInc = { name: 'prom-client bound inc', run: (k: number): void => { for (let i = 0; i < k; i++) peerBound.inc(); } };
  const omenPast = { name: 'omen bound inc past 2^31', run: (k: number): void => { for (let n = 0; n < k; n++) past.inc(); } };
  const omenLabels = { name: 'omen labels().inc', run: (k: number): void => { for (let i = 0; i < k; i++) counter.labels('GET', '200').inc(); } };
  const peerLabels = { name: 'prom-client labels().inc', run: (k: number): void => { for (let i = 0; i < k; i++) peerCounter.labels('GET', '200').inc(); } };

  // Same calls on both sides, then the same exposition: the series exists once, with the same total.
  for (const contender of [omenBound, omenLabels, peerBoundInc, peerLabels]) contender.run(1000);
  counter.labels('PUT', '500').inc(7);
  peerCounter.labels('GET', '206').inc(2 ** 31 + 12345);
  peerCounter.labels('PUT', '500').inc(7);
  assertSameSamples('counter', await registry.scrape(PROMETHEUS), await peerRegistry.metrics());

  const [f, ob, pb, ol, pl, op] = await time([floor, omenBound, peerBoundInc, omenLabels, peerLabels, omenPast]);
  const floorFigure = fromStat(f!);
  return {
    group: 'counter',
    title: 'Counter',
    rows: [
      {
        operation: 'inc() on a bound child, 2 labels',
        unit: 'ns/op',
        omen: fromStat(ob!),
        peer: fromStat(pb!),
        floor: floorFigure,
        floorName: 'Float64Array element ++',
        ratio: `${times(pb!.median / ob!.median)} faster than prom-client; ${times(ob!.median / f!.median)} the floor`,
        goal: '≤ 2× the floor and ≥ 40× faster',
        met: ob!.median <= 2 * f!.median && pb!.median / ob!.median >= 40,
      },
      {
        operation: 'inc() on a bound child whose total is already past 2^31',
        unit: 'ns/op',
        omen: fromStat(op!),
        floor: floorFigure,
        floorName: 'Float64Array element ++',
        ratio: `${times(op!.median / f!.median)} the floor`,
        goal: '≤ 2× the floor',
        met: op!.median <= 2 * f!.median,
      },
      {
        operation: "labels('GET', '200').inc() per call",
        unit: 'ns/op',
        omen: fromStat(ol!),
        peer: fromStat(pl!),
        ratio: `${times(pl!.median / ol!.median)} faster than prom-client`,
        goal: '≥ 8× faster',
        met: pl!.median / ol!.median >= 8,
      },
    ],
    notes: [
      'A bound inc() adds to a double field in place: about the floor\'s cost. (A small-integer field, which V8 can keep in a register across a loop, ran at about half the floor, but only until the total passed 2^31; see the next note.)',
      'Past 2^31: a total that leaves V8\'s small-integer range would change the field\'s representation (a deopt and a map migration, then ~2× slower increments); CounterChild stores its total as a double from the first store, so both rows run the same code.',
      `Batches: ${[f, ob, pb, ol, pl, op].map((s) => s!.batch).join(' / ')} calls per sample (floor, omen bound, peer bound, omen labels, peer labels, omen past 2^31).`,
    ],
  };
}

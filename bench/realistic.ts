// The realistic high-cardinality label shape against prom-client: 20 gauge families, labels service (16 values),
// route (unique per series, `/api/v1/resource/12345`) and status (5 values). Rows: the scrape after every series
// was incremented by a non-integer step (10,000 and 100,000 series), memory per series with handles kept and
// dropped, and the cost of creating a child. Checked first: both registries expose the same series and values.
import type { MemoryScenario, Retained } from './memory.js';
import type { Peer, PeerRegistry } from './peer.js';
import type { GroupResult, Row } from './report.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { Registry } from '../lib/registry.js';
import { assertSameSamples } from './check.js';
import { time } from './harness.js';
import { retainedInChild } from './memory.js';
import { loadPeer } from './peer.js';
import { Prng } from './prng.js';
import { faultsPerFreshCopy, freshCopy } from './fresh-memory.js';
import { freshNote, scrapeRow } from './scrape.js';
import { formatNumber, fromStat, times } from './report.js';

const FAMILIES = 20;
const SERVICES = Array.from({ length: 16 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
const STATUSES = ['200', '201', '400', '404', '500'];
const LABELS = ['service', 'route', 'status'];
const MEMORY_SERIES = 100_000;
const CREATE_SERIES = 20_000;

/** Label values for `series` series, made before anything is measured (an application holds its routes anyway). */
interface Inputs {
  services: string[];
  routes: string[];
  statuses: string[];
}

function inputs(series: number): Inputs {
  return {
    services: Array.from({ length: series }, (_, i) => SERVICES[i % SERVICES.length]!),
    // Decoded from bytes, as a router hands a path over: one flat string each. A template literal would make a
    // two-piece string that V8 flattens the first time its characters are read, and that copy (16 B more per
    // route) is the application's string, not either registry's.
    routes: Array.from({ length: series }, (_, i) => Buffer.from(`/api/v1/resource/${10_000 + i}`, 'latin1').toString('latin1')),
    statuses: Array.from({ length: series }, (_, i) => STATUSES[(i >>> 4) % STATUSES.length]!),
  };
}

interface Scenario {
  omen: Registry;
  peer: PeerRegistry;
  touchAllOmen(): void;
  touchAllPeer(): void;
}

/** Both registries with the same series and values; each touch adds every series' own non-integer step. */
export function buildScenario(peer: Peer, series: number): Scenario {
  const context = inputs(series);
  const perFamily = series / FAMILIES;
  const omen = new Registry();
  const theirs = new peer.Registry();
  const prng = new Prng(series + 7);
  const omenChildren: { inc(n: number): void }[] = [];
  const peerChildren: { inc(n: number): void }[] = [];
  const steps = new Float64Array(series);
  for (let f = 0; f < FAMILIES; f++) {
    const name = `http_inflight_${f}`;
    const help = `Realistic family ${f}.`;
    const ours = omen.gauge({ name, help, labelNames: LABELS, maxChildren: perFamily });
    const peerFamily = new peer.Gauge({ name, help, labelNames: LABELS, registers: [theirs] });
    for (let j = 0; j < perFamily; j++) {
      const i = f * perFamily + j;
      const start = prng.next() * 1000;
      steps[i] = 0.01 + Math.round(prng.next() * 500) / 100; // 0.01 .. 5.01 in hundredths: sums stop being short decimals
      const mine = ours.labels(context.services[i]!, context.routes[i]!, context.statuses[i]!);
      const other = peerFamily.labels(context.services[i]!, context.routes[i]!, context.statuses[i]!);
      mine.inc(start);
      other.inc(start);
      omenChildren.push(mine);
      peerChildren.push(other);
    }
  }
  return {
    omen,
    peer: theirs,
    touchAllOmen: () => { for (let i = 0; i < omenChildren.length; i++) omenChildren[i]!.inc(steps[i]!); },
    touchAllPeer: () => { for (let k = 0; k < peerChildren.length; k++) peerChildren[k]!.inc(steps[k]!); },
  };
}

export async function realisticGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const rows: Row[] = [];
  const faults: Parameters<typeof freshNote>[0][number][] = [];
  for (const [series, goal] of [[10_000, 30], [100_000, 30]] as const) {
    const scenario = buildScenario(peer, series);
    scenario.touchAllOmen();
    scenario.touchAllPeer();
    const exposed = await scenario.omen.scrape(PROMETHEUS);
    assertSameSamples(`realistic ${series}`, exposed, await scenario.peer.metrics());
    const [om, pm, ol, fresh] = await time(
      [
        { name: `omen realistic ${series}`, async: true, once: async (): Promise<void> => { scenario.touchAllOmen(); await scenario.omen.scrape(PROMETHEUS); } },
        { name: `peer realistic ${series}`, async: true, once: async (): Promise<void> => { scenario.touchAllPeer(); await scenario.peer.metrics(); } },
        { name: `omen realistic lease ${series}`, async: true, once: async (): Promise<void> => { scenario.touchAllOmen(); (await scenario.omen.lease(PROMETHEUS)).release(); } },
        freshCopy(`fresh copy ${series}`, exposed),
      ],
      series > 10_000 ? { rounds: 4, msPerRound: 900, minSamples: 2 } : { rounds: 4, msPerRound: 500 },
    );
    faults.push({ label: `${series.toLocaleString('en-US')} series`, bytes: exposed.length, faults: faultsPerFreshCopy(exposed) });
    rows.push(
      scrapeRow(`scrape of ${series.toLocaleString('en-US')} series (realistic shape), every series incremented by a non-integer step, Registry.scrape()`, om!, pm!, goal, fresh!),
      {
        operation: 'the same through Registry.lease() (bytes lent, as a server sends them)',
        unit: 'ms',
        omen: fromStat(ol!, 1e-6),
        peer: fromStat(pm!, 1e-6),
        ratio: `${times(pm!.median / ol!.median)} faster than prom-client`,
        goal: '—',
        met: undefined,
      },
    );
  }
  rows.push(...(await memoryRows()));
  rows.push(await creationRow(peer));
  return {
    group: 'realistic',
    title: 'Realistic label shape (service × unique route × status)',
    rows,
    notes: [
      '20 gauge families; labels service (16 values), route (unique per series, `/api/v1/resource/12345`), status (5 values). Before each scrape every series is incremented by its own step (0.01 to 5.01 in hundredths), so most values need 16 or 17 digits.',
      'Where omen\'s bytes per series go in this shape (Node\'s 64-bit heap has no pointer compression): the child object 56 B (fields at, end, family, value: a gauge keeps no version, since the scrape cache compares its value) plus its boxed double value 16 B; the route\'s entry in its service\'s Map about 46 B (312 routes per service fill 61 % of a 512-entry table); the children array about 10 B; the rendered label set `{service="svc-00",route="/api/v1/resource/10000",status="200"}` 62 B plus about 2 B of arena slack. The route\'s one-key level below it (status -> child) is the child itself: a lookup compares the status with the end of its rendered label set. The route strings themselves are the application\'s and not counted on either side: they are made flat (decoded from bytes, as a router hands a path over), since V8 flattens a two-piece string the first time its characters are read and that copy (16 B) would be counted on the registry that reads them.',
      'What would cut further (not done): values in family-owned typed arrays would drop the 16 B box per series but add an index field, and touch every child type and every reader of child.value.',
      freshNote(faults),
      'Creation includes one inc() per child on both sides: prom-client stores a series on its first record, not in labels().',
      'Memory: each figure is heapUsed plus arrayBuffers growth per series in a fresh `node --expose-gc` process (omen, peer, peer, omen; the spread is the two builds), after the label strings and the handle array exist. "Dropped" stores no child in the handle array, so only what the registry keeps counts.',
    ],
  };
}

async function buildOmen(context: Inputs, items: number, handles: unknown[], keep: boolean): Promise<Registry> {
  const registry = new Registry();
  const perFamily = Math.ceil(items / FAMILIES);
  for (let f = 0; f < FAMILIES; f++) {
    const family = registry.gauge({ name: `http_inflight_${f}`, help: 'Realistic.', labelNames: LABELS, maxChildren: perFamily });
    for (let i = f * perFamily; i < Math.min(items, (f + 1) * perFamily); i++) {
      const child = family.labels(context.services[i]!, context.routes[i]!, context.statuses[i]!);
      child.inc(1.5);
      handles[i] = keep ? child : true;
    }
  }
  return registry;
}

async function buildPeer(context: Inputs, items: number, handles: unknown[], keep: boolean): Promise<PeerRegistry> {
  const peer = await loadPeer();
  const registry = new peer.Registry();
  const perFamily = Math.ceil(items / FAMILIES);
  for (let f = 0; f < FAMILIES; f++) {
    const family = new peer.Gauge({ name: `http_inflight_${f}`, help: 'Realistic.', labelNames: LABELS, registers: [registry] });
    for (let k = f * perFamily; k < Math.min(items, (f + 1) * perFamily); k++) {
      const other = family.labels(context.services[k]!, context.routes[k]!, context.statuses[k]!);
      other.inc(1.5);
      handles[k] = keep ? other : true;
    }
  }
  return registry;
}

/** Run by memory-child.js, one per process. */
export const memoryScenarios: Record<string, MemoryScenario<Inputs>> = {
  'omen-kept': { prepare: inputs, build: (context, items, handles) => buildOmen(context, items, handles, true) },
  'omen-dropped': { prepare: inputs, build: (context, items, handles) => buildOmen(context, items, handles, false) },
  'peer-kept': { prepare: inputs, build: (context, items, handles) => buildPeer(context, items, handles, true) },
  'peer-dropped': { prepare: inputs, build: (context, items, handles) => buildPeer(context, items, handles, false) },
};

async function memoryRows(): Promise<Row[]> {
  const context = inputs(2000);
  assertSameSamples('realistic memory scenario', await (await buildOmen(context, 2000, [], false)).scrape(PROMETHEUS), await (await buildPeer(context, 2000, [], false)).metrics());
  const rows: Row[] = [];
  for (const [kind, goal] of [['dropped', 200], ['kept', 240]] as const) {
    const omen = [await retainedInChild('realistic', `omen-${kind}`, MEMORY_SERIES)];
    const theirs = [await retainedInChild('realistic', `peer-${kind}`, MEMORY_SERIES), await retainedInChild('realistic', `peer-${kind}`, MEMORY_SERIES)];
    omen.push(await retainedInChild('realistic', `omen-${kind}`, MEMORY_SERIES));
    const ours = mean(omen);
    const peerBytes = mean(theirs);
    rows.push({
      operation: `memory per series, ${MEMORY_SERIES.toLocaleString('en-US')} series (realistic shape), handles ${kind}`,
      unit: 'B/series',
      omen: { value: ours, low: Math.min(...omen.map(total)), high: Math.max(...omen.map(total)) },
      peer: { value: peerBytes, low: Math.min(...theirs.map(total)), high: Math.max(...theirs.map(total)) },
      ratio: `${times(peerBytes / ours)} smaller than prom-client (heap / arrayBuffers: omen ${formatNumber(omen[0]!.heap)} / ${formatNumber(omen[0]!.arrayBuffers)} B)`,
      goal: `≤ ${goal} B`,
      met: ours <= goal,
    });
  }
  return rows;
}

const total = (run: Retained): number => run.heap + run.arrayBuffers;
const mean = (runs: readonly Retained[]): number => runs.reduce((sum, run) => sum + total(run), 0) / runs.length;

/** Creating children: a fresh family per sample, 20,000 new label sets each, each with one record (prom-client stores a series on its first record, not in labels()). */
async function creationRow(peer: Peer): Promise<Row> {
  const context = inputs(CREATE_SERIES);
  let round = 0;
  const [om, pm] = await time(
    [
      {
        name: 'omen create',
        async: true,
        once: async (): Promise<void> => {
          const family = new Registry().gauge({ name: `created_${round++}`, help: 'Creation.', labelNames: LABELS, maxChildren: CREATE_SERIES });
          for (let i = 0; i < CREATE_SERIES; i++) family.labels(context.services[i]!, context.routes[i]!, context.statuses[i]!).inc(1.5);
        },
      },
      {
        name: 'peer create',
        async: true,
        once: async (): Promise<void> => {
          const made = new peer.Gauge({ name: `created_${round++}`, help: 'Creation.', labelNames: LABELS, registers: [new peer.Registry()] });
          for (let k = 0; k < CREATE_SERIES; k++) made.labels(context.services[k]!, context.routes[k]!, context.statuses[k]!).inc(1.5);
        },
      },
    ],
    { rounds: 4, msPerRound: 600, minSamples: 3 },
  );
  const scale = 1e-3 / CREATE_SERIES; // ns per 20,000 children → µs per child
  return {
    operation: `creating a child: labels(service, route, status).inc(1.5) for a new label set, ${CREATE_SERIES.toLocaleString('en-US')} per fresh family`,
    unit: 'µs/child',
    omen: fromStat(om!, scale),
    peer: fromStat(pm!, scale),
    ratio: `${times(pm!.median / om!.median)} faster than prom-client`,
    goal: '≤ 2 µs',
    met: om!.median * scale <= 2,
  };
}

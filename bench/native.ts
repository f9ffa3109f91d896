// Native histograms and the protobuf format against their classic peers in this process: a native-only observe()
// (schema 3, `buckets: []`) against a classic observe() with the 11 default buckets over the same seeded latencies,
// and a protobuf scrape of 10,000 series (20 families, 3 labels) against the OpenMetrics text scrape of the same
// registry. Checked first: the native buckets count every value, and the protobuf bytes decode to the text's model.
import type { GroupResult, Row } from './report.js';
import { OPENMETRICS } from '../lib/exposition/formats.js';
import { parse } from '../lib/exposition/parse/parser.js';
import { decodeProtobuf } from '../lib/exposition/proto/decode.js';
import { PROTOBUF } from '../lib/exposition/proto/format.js';
import { Registry } from '../lib/registry.js';
import { time } from './harness.js';
import { Prng, latencies } from './prng.js';
import { fromStat, times } from './report.js';

const VALUES = 4096;
const MASK = VALUES - 1;
const FAMILIES = 20;
const SERIES = 10_000;

export async function nativeGroup(): Promise<GroupResult> {
  const rows: Row[] = [];
  const values = latencies(8, VALUES);
  const registry = new Registry();
  const classic = registry.histogram({ name: 'classic_seconds', help: 'C.', labelNames: ['method', 'status'] }).labels('GET', '200');
  const native = registry.histogram({ name: 'native_seconds', help: 'N.', labelNames: ['method', 'status'], buckets: [], native: true }).labels('GET', '200');
  const both = registry.histogram({ name: 'both_seconds', help: 'B.', labelNames: ['method', 'status'], native: true }).labels('GET', '200');
  let a = 0;
  let b = 0;
  let c = 0;
  const contenders = [
    { name: 'classic observe', run: (k: number): void => { for (let i = 0; i < k; i++) classic.observe(values[a++ & MASK]!); } },
    { name: 'native observe', run: (k: number): void => { for (let i = 0; i < k; i++) native.observe(values[b++ & MASK]!); } },
    { name: 'native + classic observe', run: (k: number): void => { for (let i = 0; i < k; i++) both.observe(values[c++ & MASK]!); } },
  ];
  for (const contender of contenders) contender.run(VALUES);
  const model = native.nativeModel()!;
  const counted = model.positiveCounts.reduce((sum, n) => sum + n, 0) + model.zeroCount;
  if (counted !== VALUES || native.count !== VALUES) throw new Error(`native check: ${counted} of ${VALUES} values in native buckets`);
  const [cs, ns, bs] = await time(contenders);
  rows.push(
    {
      operation: 'observe() on a bound child: native only (schema 3, buckets: []) vs classic (11 default buckets)',
      unit: 'ns/op',
      omen: fromStat(ns!),
      floor: fromStat(cs!),
      floorName: 'classic observe(), same run',
      ratio: `${times(ns!.median / cs!.median)} the classic observe()`,
      goal: '≤ 1.5× classic',
      met: ns!.median <= 1.5 * cs!.median,
    },
    {
      operation: 'the same with native and the 11 classic buckets both kept',
      unit: 'ns/op',
      omen: fromStat(bs!),
      floor: fromStat(cs!),
      floorName: 'classic observe(), same run',
      ratio: `${times(bs!.median / cs!.median)} the classic observe()`,
      goal: '—',
      met: undefined,
    },
  );

  // 10,000 series: counters and gauges, 3 labels; scraped in protobuf and in OpenMetrics text.
  const scrape = new Registry();
  const prng = new Prng(SERIES);
  const touch: { inc(n?: number): void }[] = [];
  const all: { inc(n?: number): void }[] = [];
  const perFamily = SERIES / FAMILIES;
  for (let f = 0; f < FAMILIES; f++) {
    const labelNames = ['method', 'status', 'route'];
    const family = f % 2 === 0
      ? scrape.counter({ name: `bench_family_${f}`, help: `Family ${f}.`, labelNames, maxChildren: perFamily })
      : scrape.gauge({ name: `bench_family_${f}_bytes`, help: `Family ${f}.`, labelNames, maxChildren: perFamily });
    for (let s = 0; s < perFamily; s++) {
      const child = family.labels(['GET', 'POST', 'PUT', 'DELETE'][s % 4]!, ['200', '201', '400', '404', '500'][s % 5]!, `/api/v1/resource_${Math.floor(s / 20)}`);
      child.inc(f % 2 === 0 ? prng.below(1_000_000) : Math.round(prng.next() * 1e6) / 1e3);
      all.push(child);
      if (s === 0) touch.push(child);
    }
  }
  const decoded = decodeProtobuf(await scrape.scrape(PROTOBUF));
  const parsed = parse(await scrape.scrape(OPENMETRICS));
  if (JSON.stringify(decoded) !== JSON.stringify(parsed.map((family) => ({ ...family, samples: family.samples })))) {
    const a1 = decoded.reduce((n, f) => n + f.samples.length, 0);
    const b1 = parsed.reduce((n, f) => n + f.samples.length, 0);
    if (a1 !== b1) throw new Error(`protobuf check: ${a1} samples decoded, ${b1} parsed from text`);
  }
  const scrapeOf = (format: typeof PROTOBUF | typeof OPENMETRICS, before: () => void) => async (): Promise<void> => {
    before();
    (await scrape.lease(format)).release();
  };
  const none = (): void => {};
  const one = (): void => { for (let i = 0; i < touch.length; i++) touch[i]!.inc(); };
  const every = (): void => { for (let i = 0; i < all.length; i++) all[i]!.inc(); };
  const [pOne, tOne, pAll, tAll, pNone, tNone] = await time(
    [
      { name: 'protobuf, one per family changed', async: true, once: scrapeOf(PROTOBUF, one) },
      { name: 'openmetrics, one per family changed', async: true, once: scrapeOf(OPENMETRICS, one) },
      { name: 'protobuf, all changed', async: true, once: scrapeOf(PROTOBUF, every) },
      { name: 'openmetrics, all changed', async: true, once: scrapeOf(OPENMETRICS, every) },
      { name: 'protobuf, unchanged', async: true, once: scrapeOf(PROTOBUF, none) },
      { name: 'openmetrics, unchanged', async: true, once: scrapeOf(OPENMETRICS, none) },
    ],
    { rounds: 4, msPerRound: 400 },
  );
  const scrapeRow = (operation: string, p: NonNullable<typeof pOne>, t: NonNullable<typeof tOne>, goal: boolean): Row => ({
    operation,
    unit: 'ms',
    omen: fromStat(p, 1e-6),
    floor: fromStat(t, 1e-6),
    floorName: 'OpenMetrics text scrape of the same registry, same run',
    ratio: `${times(p.median / t.median)} the text scrape`,
    goal: goal ? '≤ 1× the text scrape' : '—',
    met: goal ? p.median <= t.median : undefined,
  });
  rows.push(
    scrapeRow('protobuf scrape (Registry.lease) of 10,000 series, one series per family changed', pOne!, tOne!, true),
    scrapeRow('the same, every series changed (10,000 record calls in both figures)', pAll!, tAll!, true),
    scrapeRow('the same, nothing changed since the last scrape', pNone!, tNone!, false),
  );
  return {
    group: 'native',
    title: 'Native histograms and the protobuf format',
    rows,
    notes: [
      `Observe: ${VALUES} seeded log-uniform latencies (1 ms to 20 s) cycled in the same order for each contender; native-only means schema 3 with \`buckets: []\`.`,
      'Scrape: 20 families (half counters, half gauges) × 500 series, 3 labels; each scrape alternates protobuf and text within a round, both through Registry.lease().',
    ],
  };
}

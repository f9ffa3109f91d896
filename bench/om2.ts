// OpenMetrics 2.0: a scrape of the 10,000-series registry in 2.0 against the same scrape in 1.0 (the 2.0 path
// renders each family's 1.0 lines and reads them back as a model, so 1.0 is its floor), and the strict 2.0
// parse against the 1.0 parse of the same registry with 200 histograms. Checked first: both scrapes parse
// to the same sample values.
import type { GroupResult } from './report.js';
import { OPENMETRICS } from '../lib/exposition/formats.js';
import { OPENMETRICS2 } from '../lib/exposition/om2-format.js';
import { parse } from '../lib/exposition/parse/parser.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { latencies } from './prng.js';
import { formatNumber, fromStat, times } from './report.js';
import { buildScrapeScenario } from './scrape.js';

export async function om2Group(): Promise<GroupResult> {
  const scenario = buildScrapeScenario(await loadPeer(), 10_000);
  const registry = scenario.omen;
  const om1 = await registry.scrape(OPENMETRICS);
  const om2 = await registry.scrape(OPENMETRICS2);
  check(om1, om2);
  const [s2, s1] = await time(
    [
      { name: 'scrape om2', async: true, once: async (): Promise<void> => { scenario.touchOmen(); await registry.scrape(OPENMETRICS2); } },
      { name: 'scrape om1', async: true, once: async (): Promise<void> => { scenario.touchOmen(); await registry.scrape(OPENMETRICS); } },
    ],
    { rounds: 4, msPerRound: 600, minSamples: 4 },
  );
  const histogram = registry.histogram({ name: 'bench_rpc_seconds', help: 'RPC latency.', unit: 'seconds', labelNames: ['service', 'method'] });
  const values = latencies(31, 200 * 50);
  for (let i = 0; i < values.length; i++) histogram.labels(`svc-${i % 20}`, `m${(i >> 4) % 10}`).observe(values[i]!);
  const text1 = await registry.scrape(OPENMETRICS);
  const text2 = await registry.scrape(OPENMETRICS2);
  check(text1, text2);
  const [p2, p1] = await time(
    [
      { name: 'parse om2', run: (k: number): void => { for (let i = 0; i < k; i++) parse(text2, { format: 'openmetrics2' }); } },
      { name: 'parse om1', run: (k: number): void => { for (let i = 0; i < k; i++) parse(text1, { format: 'openmetrics' }); } },
    ],
    { rounds: 4, msPerRound: 500 },
  );
  const mbps = (bytes: number, ns: number): number => bytes / 1e6 / (ns / 1e9);
  const rate = (bytes: number, stat: { median: number; low: number; high: number }) => ({ value: mbps(bytes, stat.median), low: mbps(bytes, stat.high), high: mbps(bytes, stat.low) });
  return {
    group: 'om2',
    title: 'OpenMetrics 2.0',
    rows: [
      {
        operation: '10k series × 3 labels, one series changed: OpenMetrics 2.0 scrape',
        unit: 'ms',
        omen: fromStat(s2!, 1e-6),
        floor: fromStat(s1!, 1e-6),
        floorName: 'OpenMetrics 1.0 scrape of the same registry',
        ratio: `${times(s2!.median / s1!.median)} the 1.0 scrape`,
        goal: '—',
        met: undefined,
      },
      {
        operation: `strict OpenMetrics 2.0 parse (${formatNumber(text2.length / 1e6)} MB; 1.0: ${formatNumber(text1.length / 1e6)} MB)`,
        unit: 'MB/s',
        omen: rate(text2.length, p2!),
        floor: rate(text1.length, p1!),
        floorName: 'strict 1.0 parse of the same registry',
        ratio: `${times(p2!.median / p1!.median)} the 1.0 parse time per exposition`,
        goal: '—',
        met: undefined,
      },
    ],
    notes: ['2.0 is served only when asked for. Counters and gauges transcode their pre-rendered 1.0 lines (lib/metrics/om2-transcode.ts); histograms and summaries go through the model (lib/metrics/family-model.ts).'],
  };
}

function check(om1: Buffer, om2: Buffer): void {
  const values = (families: ReturnType<typeof parse>): number => families.reduce((sum, f) => sum + f.samples.reduce((s, x) => s + (Number.isFinite(x.value) && !x.name.endsWith('_created') ? x.value : 0), 0), 0);
  const a = values(parse(om1, { format: 'openmetrics' }));
  const b = values(parse(om2, { format: 'openmetrics2' }));
  if (a !== b) throw new Error(`om2 check: the 1.0 and 2.0 scrapes disagree (${a} vs ${b})`);
}

// Strict OpenMetrics parse throughput, on an exposition omen wrote (10,000 counter and gauge series with 3 labels,
// plus 200 histograms of 11 buckets), bytes in. No peer parses OpenMetrics strictly; the floor is decoding the same
// bytes and finding every line end, which any text parser must do. Checked first: every sample line comes back.
import type { GroupResult } from './report.js';
import { OPENMETRICS, PROMETHEUS } from '../lib/exposition/formats.js';
import { parse } from '../lib/exposition/parse/parser.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { latencies } from './prng.js';
import { formatNumber, times } from './report.js';
import { buildScrapeScenario } from './scrape.js';

export async function parseGroup(): Promise<GroupResult> {
  const scenario = buildScrapeScenario(await loadPeer(), 10_000);
  const histogram = scenario.omen.histogram({ name: 'bench_rpc_seconds', help: 'RPC latency.', unit: 'seconds', labelNames: ['service', 'method'] });
  const values = latencies(31, 200 * 50);
  for (let i = 0; i < values.length; i++) histogram.labels(`svc-${i % 20}`, `m${(i >> 4) % 10}`).observe(values[i]!);
  const openMetrics = await scenario.omen.scrape(OPENMETRICS);
  const prometheus = await scenario.omen.scrape(PROMETHEUS);
  checkParse(openMetrics, 'openmetrics');
  checkParse(prometheus, 'prometheus');
  const decoder = new TextDecoder();
  let lines = 0;
  const [om, pr, floor] = await time(
    [
      { name: 'parse openmetrics', run: (k: number): void => { for (let i = 0; i < k; i++) parse(openMetrics, { format: 'openmetrics' }); } },
      { name: 'parse prometheus', run: (k: number): void => { for (let i = 0; i < k; i++) parse(prometheus, { format: 'prometheus' }); } },
      {
        name: 'decode and split floor',
        run: (k: number): void => {
          for (let i = 0; i < k; i++) {
            const text = decoder.decode(openMetrics);
            for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
          }
        },
      },
    ],
    { rounds: 4, msPerRound: 500 },
  );
  if (lines === 0) throw new Error('parse floor found no lines');
  const mbps = (bytes: number, ns: number): number => bytes / 1e6 / (ns / 1e9);
  const figure = (bytes: number, stat: { median: number; low: number; high: number }) => ({
    value: mbps(bytes, stat.median),
    low: mbps(bytes, stat.high),
    high: mbps(bytes, stat.low),
  });
  const omRate = mbps(openMetrics.length, om!.median);
  return {
    group: 'parse',
    title: 'Parse',
    rows: [
      {
        operation: `strict OpenMetrics parse of a ${formatNumber(openMetrics.length / 1e6)} MB exposition`,
        unit: 'MB/s',
        omen: figure(openMetrics.length, om!),
        floor: figure(openMetrics.length, floor!),
        floorName: 'UTF-8 decode + find every LF',
        ratio: `the floor is ${times(mbps(openMetrics.length, floor!.median) / omRate)} faster`,
        goal: '≥ 50 MB/s',
        met: omRate >= 50,
      },
      {
        operation: `Prometheus 0.0.4 parse of the same registry (${formatNumber(prometheus.length / 1e6)} MB)`,
        unit: 'MB/s',
        omen: figure(prometheus.length, pr!),
        ratio: '—',
        goal: '—',
        met: undefined,
      },
    ],
    notes: ['No peer: prom-client has no parser. Throughput is input bytes per second, a Buffer in and families out (decode included).'],
  };
}

// Every sample line must come back as a sample: no contender (here: the parser) wins by skipping work.
function checkParse(bytes: Buffer, format: 'openmetrics' | 'prometheus'): void {
  const sampleLines = bytes.toString('utf8').split('\n').filter((line) => line.length > 0 && !line.startsWith('#')).length;
  const samples = parse(bytes, { format }).reduce((sum, family) => sum + family.samples.length, 0);
  if (samples !== sampleLines) throw new Error(`parse check (${format}): ${sampleLines} sample lines but ${samples} samples parsed`);
}

// Runtime metrics: one 0.0.4 scrape of a registry holding only collectDefaultMetrics' families, omen against
// prom-client 15.1.3's collectDefaultMetrics, both reading the process at scrape time. Checked first: both
// write the same family names. The GC observer and delay monitor run on both sides alike between scrapes.
import type { GroupResult } from './report.js';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { Registry } from '../lib/registry.js';
import { collectDefaultMetrics } from '../lib/runtime/default-metrics.js';
import { time } from './harness.js';
import { loadPeer } from './peer.js';
import { fromStat, times } from './report.js';

const familyNames = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]!).sort();

export async function runtimeGroup(): Promise<GroupResult> {
  const peer = await loadPeer();
  const registry = new Registry();
  const defaults = collectDefaultMetrics(registry);
  const peerRegistry = new peer.Registry();
  peer.collectDefaultMetrics({ register: peerRegistry });

  const ours = familyNames((await registry.scrape(PROMETHEUS)).toString());
  const theirs = familyNames(await peerRegistry.metrics());
  const missing = theirs.filter((name) => !ours.includes(name));
  if (missing.length > 0) throw new Error(`runtime: omen lacks prom-client's default families ${missing.join(', ')}`);

  const [o, p] = await time([
    { name: 'omen default metrics scrape', async: true, once: async (): Promise<void> => void (await registry.scrape(PROMETHEUS)) },
    { name: 'prom-client default metrics scrape', async: true, once: async (): Promise<void> => void (await peerRegistry.metrics()) },
  ]);
  defaults.stop();
  return {
    group: 'runtime',
    title: 'Runtime metrics (collectDefaultMetrics)',
    rows: [
      {
        operation: `0.0.4 scrape of the ${ours.length} default runtime families`,
        unit: 'µs/op',
        omen: fromStat(o!, 1e-3),
        peer: fromStat(p!, 1e-3),
        ratio: `${times(p!.median / o!.median)} faster than prom-client`,
        goal: 'no slower than prom-client',
        met: o!.median <= p!.median,
      },
    ],
    notes: [
      'Each scrape reads process.cpuUsage, memoryUsage, /proc/self/status, /proc/self/fd and /proc/self/limits (Linux), V8 heap and heap-space statistics, the active resources, handles and requests, and the event-loop delay histogram, and waits one setImmediate for the current lag, on both sides.',
    ],
  };
}

// Run as its own process by spec/metrics/scrape-allocation.spec.ts: builds a registry of every common kind, scrapes it
// until V8 has optimized the render path, then counts what ten more scrapes allocate in lib/ with V8's sampling heap
// profiler. Its own process, so the JIT state is the render path's alone: other specs feeding the number writers
// edge cases first leave code that boxes values (a V8 artefact the spec would then measure instead).
// Prints one JSON line: { bytes, top, series, rounds }.
import { Session } from 'node:inspector/promises';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { Registry } from '../../lib/registry.js';
import { prng } from './prng.js';

interface ProfileNode {
  callFrame: { url: string; functionName: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

interface Allocation {
  bytes: number;
  /** The three functions that allocated most, for the failure message. */
  top: string;
}

/** Bytes allocated by code under lib/ while `run` runs, as the sampling heap profiler sees them. */
async function libraryBytes(run: () => Promise<void>): Promise<Allocation> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.startSampling', { samplingInterval: 32, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await run();
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
    let bytes = 0;
    const byFunction = new Map<string, number>();
    const visit = (node: ProfileNode): void => {
      if (node.callFrame.url.includes('/lib/') && node.selfSize > 0) {
        bytes += node.selfSize;
        const where = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/lib/')[1]}:${node.callFrame.lineNumber + 1}`;
        byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
      }
      node.children.forEach(visit);
    };
    visit(profile.head);
    const top = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([where, size]) => `${where} ${size} B`).join('; ');
    return { bytes, top };
  } finally {
    session.disconnect();
  }
}

function registryOfEveryKind(): { registry: Registry; touch(): void; series: number } {
  const registry = new Registry({ created: false });
  const random = prng(9);
  const gauges = registry.gauge({ name: 'drift', help: '', labelNames: ['route'], maxChildren: 5000 });
  const prices = registry.gauge({ name: 'price', help: '', labelNames: ['sku'], maxChildren: 5000 });
  const totals = registry.counter({ name: 'requests', help: '', labelNames: ['route'], maxChildren: 5000 });
  const latency = registry.histogram({ name: 'latency_seconds', help: '', labelNames: ['route'], maxChildren: 500 });
  const touches: (() => void)[] = [];
  for (let i = 0; i < 2000; i++) {
    const drift = gauges.labels(`/r/${i}`);
    const price = prices.labels(`sku-${i}`);
    const total = totals.labels(`/r/${i}`);
    drift.set(random() * 1000);
    price.set(Math.round(random() * 1e6) / 1e3);
    total.inc(Math.floor(random() * 1e9) * 4); // past 2^31
    touches.push(() => drift.inc(0.37), () => price.inc(1), () => total.inc(3));
  }
  for (let i = 0; i < 200; i++) {
    const child = latency.labels(`/r/${i}`);
    touches.push(() => child.observe(0.0123 * (i + 1)));
  }
  return { registry, touch: () => touches.forEach((touch) => touch()), series: 6000 + 200 * 14 };
}

const format = process.argv[2] === OPENMETRICS.id ? OPENMETRICS : PROMETHEUS;
const { registry, touch, series } = registryOfEveryKind();
for (let i = 0; i < 60; i++) {
  touch();
  (await registry.lease(format)).release();
}
const rounds = 10;
const { bytes, top } = await libraryBytes(async () => {
  for (let i = 0; i < rounds; i++) {
    touch();
    (await registry.lease(format)).release();
  }
});
process.stdout.write(`${JSON.stringify({ bytes, top, series, rounds })}\n`);

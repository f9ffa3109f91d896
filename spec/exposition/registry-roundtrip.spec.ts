// Seeded random registries built through the Registry API (every metric type, windowed gauges on a FakeClock,
// odd label values, special floats, timestamps, a collector, refused records), scraped in every text format: the
// strict parser accepts every scrape, counters and gauges parse to exactly the values recorded, and
// writeModel(parse(scrape)) reproduces the scrape byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS, type ExpositionFormat } from '../../lib/exposition/formats.js';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { formatValue } from '../../lib/exposition/numbers.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel, LabelPair, MetricType } from '../../lib/exposition/model.js';
import { Registry } from '../../lib/registry.js';
import { prng } from '../support/prng.js';

const REGISTRIES = 200;
const SEED = 0x5eed;

class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const KINDS = ['counter', 'gauge', 'unknown', 'histogram', 'summary', 'gaugeHistogram', 'info', 'stateSet', 'rate', 'ratio', 'max', 'average', 'utilization'] as const;
type Kind = (typeof KINDS)[number];
const WORDS = ['rpc', 'queue', 'cache_hits', 'jobs', 'io'];
const LABEL_NAMES = ['a', 'code', 'method', 'path', '_x', 'Z9'];
const LABEL_VALUES = ['', 'a', 'GET', '\\', '"', '\n', 'a\\b"c\nd', '\\n', 'ü', '😀', 'ünïcödé ☃', '#', '} # {', ' ', ',', '=', '\u0000', 'x'.repeat(40)];
// Prometheus 0.0.4 reads the blanks between a HELP name and its text as a separator, so no leading blank.
const HELPS = ['', 'Plain help.', 'back\\slash', 'a "quoted" word', 'two\nlines', 'ü 😀 ☃', 'trailing space ', '\\n literally', 'tab\tinside'];
const GAUGE_VALUES = [NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-300, -1e-300, 0.1, -2.5, 42, 2 ** 53 + 2, 123456789.123];
const INCREMENTS = [0, 1, 1.5, 0.1, 1e21, 2 ** 53, 1e-300];
const OBSERVATIONS = [0, 0.004, 0.05, 0.5, 3, 42, 1e6, 1e-300];

interface Expected {
  family: string;
  sample: string;
  labels: LabelPair[];
  value: number;
  stamped: boolean;
}

/** Builds one random registry on `clock`; returns the counter and gauge values it recorded. */
function build(g: Gen, registry: Registry, clock: FakeClock): Expected[] {
  const expected: Expected[] = [];
  const families = 1 + g.int(7);
  for (let f = 0; f < families; f++) {
    const kind = g.pick(KINDS);
    let name = `f${f}_${g.pick(WORDS)}`;
    let unit: string | undefined;
    if (kind !== 'info' && kind !== 'stateSet' && g.chance(0.3)) {
      unit = g.pick(['seconds', 'bytes', 'ratio']);
      name = `${name}_${unit}`;
    }
    const labelNames = LABEL_NAMES.filter(() => g.chance(0.3));
    const options = { name, help: g.pick(HELPS), unit, labelNames, timestamps: g.chance(0.3) };
    const valuesFor = (): string[] => labelNames.map(() => g.pick(LABEL_VALUES));
    const pairs = (values: string[]): LabelPair[] => values.map((value, i) => [labelNames[i] as string, value]);
    const children = 1 + g.int(4);
    switch (kind) {
      case 'counter': {
        const counter = registry.counter({ ...options, name: g.chance(0.5) ? `${name}_total` : name });
        const totals = new Map<string, Expected>();
        for (let c = 0; c < children; c++) {
          const values = valuesFor();
          const key = JSON.stringify(values);
          const entry = totals.get(key) ?? { family: name, sample: `${name}_total`, labels: pairs(values), value: 0, stamped: options.timestamps };
          totals.set(key, entry);
          const child = counter.labels(...values);
          for (let k = g.int(4); k > 0; k--) {
            const amount = g.pick(INCREMENTS);
            child.inc(amount);
            entry.value += amount;
          }
          if (g.chance(0.1)) child.inc(-1); // refused: counted in omen_records_rejected, the total unchanged
        }
        expected.push(...totals.values());
        break;
      }
      case 'gauge':
      case 'unknown': {
        const gauge = kind === 'gauge' ? registry.gauge(options) : registry.unknown(options);
        const last = new Map<string, Expected>();
        for (let c = 0; c < children; c++) {
          const values = valuesFor();
          const child = gauge.labels(...values);
          const entry = last.get(JSON.stringify(values)) ?? { family: name, sample: name, labels: pairs(values), value: 0, stamped: options.timestamps };
          last.set(JSON.stringify(values), entry);
          entry.value = g.pick(GAUGE_VALUES);
          child.set(entry.value);
          if (g.chance(0.3)) {
            const amount = g.pick([1, 0.5, 1e21]);
            child.dec(amount);
            entry.value -= amount;
          }
        }
        expected.push(...last.values());
        break;
      }
      case 'histogram':
      case 'gaugeHistogram': {
        const negative = g.chance(0.2);
        const buckets = [...(negative ? [-1] : []), ...[0.005, 0.1, 1, 10, 1e6].filter(() => g.chance(0.5))];
        if (buckets.length === 0) buckets.push(1);
        const values = (): number => (negative && g.chance(0.3) ? -g.pick([0.5, 3]) : g.pick(OBSERVATIONS));
        if (kind === 'histogram') {
          const histogram = registry.histogram({ ...options, buckets });
          for (let c = 0; c < children; c++) {
            const child = histogram.labels(...valuesFor());
            for (let k = g.int(6); k > 0; k--) child.observe(values());
          }
        } else {
          const histogram = registry.gaugeHistogram({ ...options, buckets });
          for (let c = 0; c < children; c++) {
            const child = histogram.labels(...valuesFor());
            for (let k = g.int(6); k > 0; k--) child.add(values(), 1 + g.int(3));
          }
        }
        break;
      }
      case 'summary': {
        const summary = registry.summary({ ...options, maxAgeSeconds: 60, ageBuckets: 3 });
        for (let c = 0; c < children; c++) {
          const child = summary.labels(...valuesFor());
          for (let k = g.int(30); k > 0; k--) {
            child.observe(g.pick(OBSERVATIONS) * (1 + g.next()));
            clock.advance(g.int(3000));
          }
        }
        break;
      }
      case 'info': {
        const info = registry.info({ ...options, name: g.chance(0.5) ? `${name}_info` : name });
        for (let c = 0; c < children; c++) info.labels(...valuesFor());
        break;
      }
      case 'stateSet': {
        const states = ['idle', 'busy', 'ünï', 'say "x"'].filter(() => g.chance(0.7));
        const stateSet = registry.stateSet({ ...options, states: states.length > 0 ? states : ['only'] });
        for (let c = 0; c < children; c++) {
          const child = stateSet.labels(...valuesFor());
          if (g.chance(0.7)) child.setOnly(g.pick(stateSet.states));
          else child.set(g.pick(stateSet.states), g.chance(0.5));
        }
        break;
      }
      default:
        windowed(g, registry, clock, kind, options, valuesFor, children);
    }
    clock.advance(g.int(10_000));
  }
  // A collector's families go through writeFamilyModel; odd labels and values included.
  if (g.chance(0.4)) {
    const labels: LabelPair[] = [['source', g.pick(LABEL_VALUES)]];
    const value = g.pick(GAUGE_VALUES);
    registry.addCollector('relay', () => [{ name: 'relayed_value', type: 'gauge', help: g.pick(HELPS), samples: [{ name: 'relayed_value', labels, value }] }]);
    expected.push({ family: 'relayed_value', sample: 'relayed_value', labels, value, stamped: false });
  }
  return expected;
}

function windowed(
  g: Gen,
  registry: Registry,
  clock: FakeClock,
  kind: Exclude<Kind, 'counter' | 'gauge' | 'unknown' | 'histogram' | 'gaugeHistogram' | 'summary' | 'info' | 'stateSet'>,
  options: { name: string; help: string; unit: string | undefined; labelNames: string[]; timestamps: boolean },
  valuesFor: () => string[],
  children: number,
): void {
  const geometry = { ...options, windowSeconds: g.pick([10, 60, 300]), slotSeconds: 1 };
  const steps = (record: () => void): void => {
    for (let k = g.int(20); k > 0; k--) {
      record();
      clock.advance(g.int(2500));
    }
  };
  if (kind === 'rate') {
    const rate = registry.rateGauge(geometry);
    for (let c = 0; c < children; c++) {
      const child = rate.labels(...valuesFor());
      steps(() => child.mark(1 + g.int(5)));
    }
  } else if (kind === 'ratio') {
    const ratio = registry.ratioGauge(geometry);
    for (let c = 0; c < children; c++) {
      const child = ratio.labels(...valuesFor());
      steps(() => {
        const n = 1 + g.int(5);
        ratio.markTotal(n + g.int(5));
        child.mark(n);
      });
    }
  } else if (kind === 'utilization') {
    const utilization = registry.utilizationGauge({ ...geometry, source: 'reports' });
    for (let c = 0; c < children; c++) {
      const child = utilization.labels(...valuesFor());
      steps(() => child.reportBusy(g.int(800)));
    }
  } else {
    const stat = kind === 'max' ? registry.maxGauge(geometry) : registry.averageGauge(geometry);
    for (let c = 0; c < children; c++) {
      const child = stat.labels(...valuesFor());
      steps(() => child.record(g.pick([-3, 0, 0.25, 17, 1e21])));
    }
  }
}

function check(registry: Registry, clock: FakeClock, expected: Expected[], scrape: Buffer, format: ExpositionFormat, types: Set<MetricType>): void {
  const text = scrape.toString('utf8');
  let families: FamilyModel[];
  try {
    families = parse(scrape, { format: format.id });
  } catch (error) {
    assert.unreachable(`${format.id}: ${error instanceof Error ? error.message : String(error)}\n${text}`);
    return;
  }
  for (const family of families) types.add(family.type);
  for (const want of expected) {
    const key = JSON.stringify(want.labels);
    const family = families.find((candidate) => candidate.name === want.family);
    const sample = family?.samples.find((candidate) => candidate.name === want.sample && JSON.stringify(candidate.labels) === key);
    assert.ok(sample, `${format.id}: no ${want.sample}${key} in\n${text}`);
    assert.ok(Object.is(sample?.value, want.value), `${format.id}: ${want.sample}${key} is ${sample === undefined ? 'missing' : formatValue(sample.value)}, recorded ${formatValue(want.value)}`);
    assert.is(sample?.timestamp, want.stamped ? clock.wallMs() / 1000 : undefined, `${format.id}: timestamp of ${want.sample}${key}`);
  }
  assert.is(writeModel(families, format).toString('utf8'), text, `${format.id}: writeModel(parse(scrape)) differs`);
  assert.ok(registry.families.length > 0);
}

test(`${REGISTRIES} random registries scrape to what the strict parser accepts, with the values recorded, and write back byte for byte`, async () => {
  const g = new Gen(prng(SEED));
  const types = new Set<MetricType>();
  const kinds = new Set<string>();
  for (let r = 0; r < REGISTRIES; r++) {
    const clock = new FakeClock(1_700_000_000_000 + g.int(1e9), g.int(1e6));
    const registry = new Registry({ clock, onError: () => {} });
    const expected = build(g, registry, clock);
    for (const family of registry.families) kinds.add(family.constructor.name);
    for (const format of [OPENMETRICS, PROMETHEUS, OPENMETRICS2]) check(registry, clock, expected, await registry.scrape(format), format, types);
  }
  // Every kind was built, and the OpenMetrics scrapes showed every type.
  assert.is(kinds.size, KINDS.length, [...kinds].join(', '));
  assert.is(types.size, 8, [...types].join(', '));
});

test.run();

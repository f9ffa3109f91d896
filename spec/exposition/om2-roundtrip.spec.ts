// Round trips that OpenMetrics 2.0 and UTF-8 names add: seeded random models (native buckets, several
// exemplars, start timestamps, quoted names) through the 2.0 writer and parser unchanged; and random
// UTF-8-named registries scraped in every format and escaping scheme, read back with the recorded values
// under the names each scheme writes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExemplarModel, FamilyModel, LabelPair, NativeBucketsModel, SampleModel } from '../../lib/exposition/model.js';
import type { EscapingScheme } from '../../lib/exposition/names.js';
import type { ExpositionFormat } from '../../lib/exposition/formats.js';
import { FakeClock } from '../../lib/clock.js';
import { PROMETHEUS_TEXT_1, withEscaping } from '../../lib/exposition/escaping-formats.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { escapeName } from '../../lib/exposition/names.js';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { prng } from '../support/prng.js';

const next = prng(0x0e2);
const int = (n: number): number => Math.floor(next() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
const chance = (p: number): boolean => next() < p;

const NAMES = ['rpc', 'http.server.duration', 'queue_depth', 'db.query:time', 'température', 'a "quoted" name', 'back\\slash', 'línea\nnueva', '😀'];
const LABELS = ['a', 'service.name', 'code', 'ключ', 'x y', 'q"uote'];
const VALUES = ['', 'GET', '\\', '"', '\n', 'ü 😀', '} # {', ','];
const NUMBERS = [0, 1, 2.5, -3, 1e21, 1e-300, NaN, Infinity, -Infinity, 123456789.125];
const COUNTS = [0, 1, 2, 7, 1000];

function labels(): LabelPair[] {
  return LABELS.filter(() => chance(0.3)).map((name) => [name, pick(VALUES)] as const);
}

function exemplars(value: () => number): ExemplarModel[] {
  return Array.from({ length: int(3) }, () => ({ labels: chance(0.5) ? [['trace_id', `t${int(1e6)}`] as const] : [], value: value(), timestamp: 1_700_000_000 + int(1e6) / 1000 }));
}

function attach(sample: SampleModel, list: ExemplarModel[]): void {
  if (list.length === 0) return;
  sample.exemplar = list[0]!;
  if (list.length > 1) sample.exemplars = list;
}

function native(): NativeBucketsModel {
  const side = (): [Array<readonly [number, number]>, number[]] => {
    if (chance(0.4)) return [[], []];
    const spans: Array<readonly [number, number]> = [];
    const counts: number[] = [];
    for (let s = 1 + int(3); s > 0; s--) {
      const length = 1 + int(3);
      spans.push([spans.length === 0 ? int(20) - 10 : int(4), length]);
      for (let k = 0; k < length; k++) counts.push(pick(COUNTS));
    }
    return [spans, counts];
  };
  const [positiveSpans, positiveCounts] = side();
  const [negativeSpans, negativeCounts] = side();
  return { schema: int(13) - 4, zeroThreshold: pick([0, 2 ** -128, 1e-4]), zeroCount: pick(COUNTS), positiveSpans, positiveCounts, negativeSpans, negativeCounts };
}

/** One random family in the shape the 2.0 parser produces (samples in its order, exemplars in their bucket). */
function family(name: string): FamilyModel {
  const type = pick(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown'] as const);
  const model: FamilyModel = { name, type, samples: [] };
  if (chance(0.7)) model.help = pick(['Help.', 'ü "q" \\ \n x']);
  if (chance(0.3) && type !== 'info' && type !== 'stateset') model.unit = 'seconds';
  const stamped = chance(0.3);
  const push = (sample: SampleModel): void => void model.samples.push(stamped ? { ...sample, timestamp: 1_700_000_000.5 } : sample);
  const seen = new Set<string>();
  for (let m = 1 + int(3); m > 0; m--) {
    const set = labels();
    const key = JSON.stringify([...set].sort());
    if (seen.has(key)) continue;
    seen.add(key);
    const created = chance(0.5) ? 1_600_000_000 + int(1e8) / 1000 : undefined;
    if (type === 'counter') {
      const total: SampleModel = { name: `${name}_total`, labels: set, value: pick([0, 1, 2.5, 1e21, Infinity]) };
      attach(total, exemplars(() => pick([0.5, 3])));
      push(total);
      if (created !== undefined) push({ name: `${name}_created`, labels: set, value: created });
    } else if (type === 'gauge' || type === 'unknown') {
      push({ name, labels: set, value: pick(NUMBERS) });
    } else if (type === 'info') {
      push({ name: `${name}_info`, labels: set, value: 1 });
    } else if (type === 'stateset') {
      if (set.some(([label]) => label === name)) continue;
      for (const state of ['on', 'off']) push({ name, labels: [...set, [name, state]], value: int(2) });
    } else if (type === 'summary') {
      for (const q of ['0.5', '0.99'].filter(() => chance(0.6))) push({ name, labels: [...set, ['quantile', q]], value: pick([0, 1.5, NaN]) });
      push({ name: `${name}_sum`, labels: set, value: pick([0, 2.5, 1e21]) });
      push({ name: `${name}_count`, labels: set, value: pick(COUNTS) });
      if (created !== undefined) push({ name: `${name}_created`, labels: set, value: created });
    } else {
      const gauge = type === 'gaugehistogram';
      const nh = chance(0.6) ? native() : undefined;
      const classic = nh === undefined || chance(0.5);
      const les = classic ? ['-Inf', '0.1', '1.0', '1e+06'].filter(() => chance(0.5)).concat('+Inf') : [];
      const total = nh === undefined ? pick(COUNTS) : nh.zeroCount + nh.positiveCounts.reduce((a, b) => a + b, 0) + nh.negativeCounts.reduce((a, b) => a + b, 0) + int(2);
      const buckets: SampleModel[] = les.map((le, i) => ({ name: `${name}_bucket`, labels: [...set, ['le', le]], value: i === les.length - 1 ? total : Math.min(total, i) }));
      for (const bucket of buckets) {
        const le = bucket.labels[bucket.labels.length - 1]![1];
        const upper = le === '+Inf' ? Infinity : le === '-Inf' ? -Infinity : Number(le);
        attach(bucket, exemplars(() => (upper === Infinity ? 2e6 : upper)));
        push(bucket);
      }
      push({ name: `${name}${gauge ? '_gsum' : '_sum'}`, labels: set, value: pick(NUMBERS) });
      const count: SampleModel = { name: `${name}${gauge ? '_gcount' : '_count'}`, labels: set, value: total };
      if (nh !== undefined) count.native = nh;
      if (!classic) attach(count, exemplars(() => 0.25));
      push(count);
      if (created !== undefined && !gauge) push({ name: `${name}_created`, labels: set, value: created });
    }
  }
  return model;
}

test('random models with native buckets, exemplars, start timestamps and UTF-8 names survive OpenMetrics 2.0 unchanged', () => {
  for (let round = 0; round < 300; round++) {
    const names = [...new Set(Array.from({ length: 1 + int(5) }, () => `${pick(NAMES)}${int(3)}`))];
    const families = names.map((name) => family(name.endsWith('_info') ? name.slice(0, -5) : name));
    const text = writeModel(families, OPENMETRICS2);
    let back: FamilyModel[];
    try {
      back = parse(text, { format: 'openmetrics2' });
    } catch (error) {
      assert.unreachable(`round ${round}: ${String(error)}\n${text.toString()}`);
      return;
    }
    for (let i = 0; i < families.length; i++) {
      if (JSON.stringify(back[i]) !== JSON.stringify(families[i])) assert.equal(back[i], families[i], `family ${i} of\n${text.toString()}\n${JSON.stringify(back[i])}\n${JSON.stringify(families[i])}`);
    }
    assert.is(back.length, families.length);
    assert.is(writeModel(back, OPENMETRICS2).toString(), text.toString());
  }
});

const SCHEMES: readonly EscapingScheme[] = ['underscores', 'dots', 'values'];

test('UTF-8-named registries scrape in every format and scheme, read back with the recorded values under the names each scheme writes', async () => {
  for (let round = 0; round < 60; round++) {
    const clock = new FakeClock(1_700_000_000_000);
    const registry = new Registry({ clock, nameValidation: 'utf-8', onError: () => {} });
    const recorded = new Map<string, { labels: LabelPair[]; value: number }>();
    const used = new Set<string>();
    for (let f = 0; f < 1 + int(4); f++) {
      const base = `${pick(NAMES.slice(0, 5))}.${f}`;
      const labelNames = LABELS.filter(() => chance(0.4));
      const values = labelNames.map(() => pick(VALUES));
      const pairs = labelNames.map((name, i) => [name, values[i]!] as const);
      if (chance(0.5)) {
        const gauge = registry.gauge({ name: base, help: 'g', labelNames });
        const value = pick(NUMBERS);
        gauge.labels(...values).set(value);
        recorded.set(base, { labels: pairs, value });
      } else {
        const counter = registry.counter({ name: `${base}_total`, help: 'c', labelNames });
        const value = pick([0, 1, 2.5, 1e21]);
        counter.labels(...values).inc(value);
        recorded.set(`${base}_total`, { labels: pairs, value });
      }
      used.add(base);
    }
    const formats: Array<[ExpositionFormat, EscapingScheme | undefined]> = [
      [OPENMETRICS2, undefined],
      [OPENMETRICS, 'underscores'],
      [PROMETHEUS, 'underscores'],
      ...SCHEMES.map((scheme) => [withEscaping(PROMETHEUS_TEXT_1, scheme), scheme] as [ExpositionFormat, EscapingScheme]),
      ...SCHEMES.map((scheme) => [withEscaping(OPENMETRICS, scheme), scheme] as [ExpositionFormat, EscapingScheme]),
      ...SCHEMES.map((scheme) => [withEscaping(OPENMETRICS2, scheme), scheme] as [ExpositionFormat, EscapingScheme]),
    ];
    for (const [format, scheme] of formats) {
      const body = await registry.scrape(format);
      const parsed = parse(body, { format: format.id });
      const samples = parsed.flatMap((family) => family.samples);
      for (const [name, want] of recorded) {
        const spelled = scheme === undefined ? name : escapeName(name, scheme);
        const labelsSpelled = want.labels.map(([label, value]) => [scheme === undefined ? label : escapeName(label, scheme, true), value]);
        const sample = samples.find((s) => s.name === spelled && JSON.stringify(s.labels) === JSON.stringify(labelsSpelled));
        assert.ok(sample !== undefined, `${format.contentType}: no ${spelled}${JSON.stringify(labelsSpelled)} in\n${body.toString()}`);
        assert.ok(Object.is(sample.value, want.value), `${format.contentType}: ${spelled} is ${sample.value}, recorded ${want.value}`);
      }
    }
    // Quoted names in 1.0 formats for scrapers that allow UTF-8 (Prometheus 3's parsers read them).
    const quoted = (await registry.scrape(withEscaping(OPENMETRICS, 'allow-utf-8'))).toString();
    for (const name of recorded.keys()) assert.ok(quoted.includes(`{${JSON.stringify(name).replace(/\\u[0-9a-f]{4}/g, (u) => String.fromCharCode(parseInt(u.slice(2), 16)))}`), `${name} quoted in\n${quoted}`);
  }
});

test('escaping schemes rewrite only names outside the legacy set, as the escaping-schemes document shows', () => {
  const rows: Array<[string, EscapingScheme, string]> = [
    ['metric.name/with/slashes', 'underscores', 'metric_name_with_slashes'],
    ['metric.name.with.dots', 'dots', 'metric_dot_name_dot_with_dot_dots'],
    ['metric.name', 'values', 'U__metric_2E_name'],
    ['my_metric.x', 'dots', 'my__metric_dot_x'],
    ['my_metric.x', 'values', 'U__my__metric_2E_x'],
    ['1st', 'underscores', '_st'],
    ['😀', 'values', 'U___1F600_'],
    ['legacy_name:ok', 'dots', 'legacy_name:ok'],
    ['legacy_name:ok', 'values', 'legacy_name:ok'],
  ];
  for (const [name, scheme, expected] of rows) assert.is(escapeName(name, scheme), expected, `${name} with ${scheme}`);
  assert.is(escapeName('a:b', 'underscores', true), 'a_b');
});

test.run();

// collectDefaultMetrics against prom-client 15's default families (fixtures/prom-client-default-metrics.txt,
// generated once from bench/compare's prom-client): same names and types in a 0.0.4 scrape, same label
// names, values read at scrape time, and the prefix and labels options.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { FamilyModel } from '../../lib/exposition/model.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { collectDefaultMetrics } from '../../lib/runtime/default-metrics.js';

interface Expected {
  name: string;
  type: string;
  labels: string[];
}

const FIXTURE = new URL('../../../fixtures/prom-client-default-metrics.txt', import.meta.url);
const expected: Expected[] = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [name = '', type = '', labels = ''] = line.trim().split(' ');
    return { name, type, labels: labels === '' ? [] : labels.split(',') };
  });

/** 0.0.4 TYPE-line name and type of each family, and the label names its samples carry (less `le`). */
function exposed(text: string): Map<string, { type: string; labels: Set<string> }> {
  const families = new Map<string, { type: string; labels: Set<string> }>();
  let current: { type: string; labels: Set<string> } | undefined;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) families.set(type[1]!, (current = { type: type[2]!, labels: new Set() }));
    else if (!line.startsWith('#') && current !== undefined) {
      for (const match of line.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (match[1] !== 'le') current.labels.add(match[1]!);
    }
  }
  return families;
}

async function withDefaults<T>(run: (registry: Registry) => Promise<T>, options = {}): Promise<T> {
  const registry = new Registry();
  const handle = collectDefaultMetrics(registry, options);
  try {
    return await run(registry);
  } finally {
    handle.stop();
  }
}

test('the fixture lists prom-client 15 default families', () => {
  assert.ok(expected.length >= 30, `${expected.length} families`);
  assert.ok(expected.some((family) => family.name === 'nodejs_gc_duration_seconds' && family.type === 'histogram'));
});

test('a 0.0.4 scrape has every prom-client default family with the same name, type and label names', async () => {
  const setTimer = setInterval(() => {}, 1000); // so nodejs_active_resources has a series to label
  const text = await withDefaults(async (registry) => (await registry.scrape(PROMETHEUS)).toString());
  clearInterval(setTimer);
  const families = exposed(text);
  for (const family of expected) {
    const ours = families.get(family.name);
    assert.ok(ours, `${family.name} is written`);
    assert.is(ours!.type, family.type, `${family.name} is a ${family.type}`);
    for (const label of family.labels) assert.ok(ours!.labels.has(label), `${family.name} carries label ${label}`);
  }
  parse(text, { format: 'prometheus' });
});

test('the OpenMetrics scrape passes the strict parser', async () => {
  const families = await withDefaults(async (registry) => parse((await registry.scrape(OPENMETRICS)).toString(), { format: 'openmetrics' }));
  assert.ok(families.some((family) => family.name === 'nodejs_version' && family.type === 'info'));
});

test('values are read at scrape time: CPU time grows, an opened file is counted, heap spaces and version are there', async () => {
  await withDefaults(async (registry) => {
    const value = (families: FamilyModel[], sample: string, label?: [string, string]): number => {
      const found = families.flatMap((family) => family.samples).find((s) => s.name === sample && (label === undefined || s.labels.some(([n, v]) => n === label[0] && v === label[1])));
      assert.ok(found, `${sample} is in the scrape`);
      return found!.value;
    };
    const scrape = async () => parse((await registry.scrape(PROMETHEUS)).toString(), { format: 'prometheus' });
    const first = await scrape();
    let spin = 0;
    for (const end = performance.now() + 30; performance.now() < end; ) spin += Math.sqrt(spin + 1);
    const fd = openSync(new URL(import.meta.url), 'r');
    const second = await scrape();
    closeSync(fd);
    assert.ok(value(second, 'process_cpu_seconds_total') > value(first, 'process_cpu_seconds_total'), 'CPU time grew between scrapes');
    const cpuSum = value(second, 'process_cpu_user_seconds_total') + value(second, 'process_cpu_system_seconds_total');
    assert.ok(Math.abs(cpuSum - value(second, 'process_cpu_seconds_total')) < 1e-6, 'user + system = total');
    if (process.platform === 'linux') assert.ok(value(second, 'process_open_fds') >= value(first, 'process_open_fds') + 1, 'the opened file is counted');
    assert.ok(value(second, 'nodejs_heap_space_size_used_bytes', ['space', 'old']) > 0, 'the old space is in use');
    assert.is(value(second, 'nodejs_version_info', ['version', process.version]), 1);
    assert.ok(Math.abs(value(second, 'process_start_time_seconds') - (Date.now() / 1000 - process.uptime())) < 2, 'start time is the process start');
  });
});

test('prefix goes before every name and labels go on every series', async () => {
  const text = await withDefaults(async (registry) => (await registry.scrape(PROMETHEUS)).toString(), { prefix: 'app_', labels: { pool: 'blue' } });
  const families = exposed(text);
  for (const family of expected) {
    const ours = families.get(`app_${family.name}`);
    assert.ok(ours, `app_${family.name} is written`);
  }
  for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) assert.ok(line.includes('pool="blue"'), line);
});

test('a GC pause is observed by kind, and stop() ends the observer', async () => {
  const registry = new Registry();
  const handle = collectDefaultMetrics(registry);
  const count = async () =>
    parse((await registry.scrape(PROMETHEUS)).toString(), { format: 'prometheus' })
      .flatMap((family) => family.samples)
      .filter((sample) => sample.name === 'nodejs_gc_duration_seconds_count')
      .reduce((sum, sample) => sum + sample.value, 0);
  let garbage: unknown[] = [];
  for (let round = 0; round < 50 && (await count()) === 0; round++) {
    for (let i = 0; i < 200_000; i++) garbage.push({ i });
    garbage = [];
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.ok((await count()) > 0, 'allocation caused at least one observed GC');
  handle.stop();
  const stopped = await count();
  for (let i = 0; i < 200_000; i++) garbage.push({ i });
  garbage = [];
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.is(await count(), stopped, 'no GC observed after stop()');
});

test('a second call on the same registry refuses the taken names', () => {
  const registry = new Registry();
  const handle = collectDefaultMetrics(registry);
  try {
    assert.throws(() => collectDefaultMetrics(registry), /already registered/);
  } finally {
    handle.stop();
  }
});

test.run();

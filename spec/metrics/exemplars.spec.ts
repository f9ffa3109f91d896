// Exemplars on record calls: counter.inc(n, labels) and histogram.observe(v, labels) put the latest
// exemplar (per series, per bucket) in the OpenMetrics scrape with the record's timestamp; the strict
// parser and Python's prometheus_client OpenMetrics parser read the trace id back; over-long or malformed
// label sets are refused and counted, never thrown; Prometheus 0.0.4 writes none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import type { MetricError } from '../../lib/metrics/errors.js';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { findOnPath } from '../support/processes.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function setup() {
  const clock = new FakeClock(1_700_000_000_000);
  const errors: MetricError[] = [];
  const registry = new Registry({ clock, onError: (error) => errors.push(error) });
  const requests = registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['route'] });
  const latency = registry.histogram({ name: 'latency_seconds', help: 'Latency.', unit: 'seconds', buckets: [0.1, 0.5, 1] });
  return { clock, errors, registry, requests, latency };
}

const openMetrics = async (registry: Registry) => (await registry.scrape(OPENMETRICS)).toString();

test('counter.inc(n, { trace_id }) writes the exemplar on _total with the record time, and the parser reads it', async () => {
  const { clock, registry, requests } = setup();
  const child = requests.labels('/');
  child.inc(1);
  clock.advance(1500);
  child.inc(2, { trace_id: TRACE });
  const text = await openMetrics(registry);
  assert.ok(text.includes(`requests_total{route="/"} 3 # {trace_id="${TRACE}"} 2 1700000001.5\n`), text);
  const sample = parse(text, { format: 'openmetrics' }).find((f) => f.name === 'requests')!.samples.find((s) => s.name === 'requests_total')!;
  assert.equal(sample.exemplar, { labels: [['trace_id', TRACE]], value: 2, timestamp: 1_700_000_001.5 });
});

test('histogram.observe(v, { trace_id }) keeps the latest exemplar per bucket', async () => {
  const { clock, registry, latency } = setup();
  latency.observe(0.3, { trace_id: 'first' });
  latency.observe(0.9, { trace_id: 'slow' });
  clock.advance(1000);
  latency.observe(0.4, { trace_id: 'second', span_id: '00f067aa0ba902b7' });
  latency.observe(0.05, { trace_id: 'fast' });
  latency.observe(0.06);
  const families = parse(await openMetrics(registry), { format: 'openmetrics' });
  const buckets = families.find((f) => f.name === 'latency_seconds')!.samples.filter((s) => s.name === 'latency_seconds_bucket');
  const byLe = (le: string) => buckets.find((s) => s.labels.some(([n, v]) => n === 'le' && v === le))!;
  assert.equal(byLe('0.5').exemplar, { labels: [['trace_id', 'second'], ['span_id', '00f067aa0ba902b7']], value: 0.4, timestamp: 1_700_000_001 });
  assert.equal(byLe('0.1').exemplar, { labels: [['trace_id', 'fast']], value: 0.05, timestamp: 1_700_000_001 });
  assert.equal(byLe('1.0').exemplar, { labels: [['trace_id', 'slow']], value: 0.9, timestamp: 1_700_000_000 });
  assert.is(byLe('+Inf').exemplar, undefined);
  assert.is(byLe('0.5').value, 4);
});

test('Prometheus text 0.0.4 has no exemplar syntax: none are written', async () => {
  const { registry, requests, latency } = setup();
  requests.labels('/').inc(1, { trace_id: TRACE });
  latency.observe(0.3, { trace_id: TRACE });
  const text = (await registry.scrape(PROMETHEUS)).toString();
  assert.not.ok(text.includes(TRACE), text);
  parse(text, { format: 'prometheus' });
});

test('label sets over 128 characters, bad names and non-strings are refused and counted; the record is kept', async () => {
  const { errors, registry, requests, latency } = setup();
  const child = requests.labels('/');
  child.inc(1, { trace_id: 'x'.repeat(120) }); // 8 + 120 = 128: allowed
  child.inc(1, { trace_id: 'x'.repeat(121) });
  child.inc(1, { 'bad-name': 'x' });
  latency.observe(0.2, { trace_id: 7 as unknown as string });
  latency.observe(0.2, null as unknown as Record<string, string>);
  assert.is(child.value, 3);
  assert.is(latency.labels().count, 2);
  assert.equal(errors.map((error) => error.code), ['invalid-exemplar', 'invalid-exemplar', 'invalid-exemplar', 'invalid-exemplar']);
  assert.match(errors[0]!.message, /129 characters; OpenMetrics allows at most 128/);
  assert.is(requests.rejectedRecords + latency.rejectedRecords, 4);
  const text = await openMetrics(registry);
  assert.ok(text.includes(`# {trace_id="${'x'.repeat(120)}"} 1 `), 'the 128-character exemplar stays');
  assert.ok(text.includes('omen_records_rejected_total{family="requests"} 2'), text);
  parse(text, { format: 'openmetrics' });
});

test('a reset drops the exemplars with the values', async () => {
  const { registry, latency } = setup();
  latency.observe(0.3, { trace_id: TRACE });
  latency.reset();
  assert.not.ok((await openMetrics(registry)).includes(TRACE));
});

const PYTHON_READ = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        if sample.exemplar is not None:
            print(sample.name, sample.labels.get('le', ''), sample.exemplar.labels['trace_id'], sample.exemplar.value, sample.exemplar.timestamp)
`;

/** A Python that has prometheus_client (pyenv's python3 may not; Debian's python3-prometheus-client is in /usr/bin's). */
function pythonWithClient(): string | undefined {
  for (const candidate of [findOnPath('python3'), '/usr/bin/python3']) {
    if (candidate === undefined) continue;
    if (spawnSync(candidate, ['-c', 'import prometheus_client'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

const python = pythonWithClient();
if (python === undefined) {
  console.log('exemplars: skipped the Python check: no python3 with prometheus_client (apt-get install -y python3-prometheus-client)');
  test.skip("Python's OpenMetrics parser reads the exemplars back");
} else {
  test("Python's OpenMetrics parser reads the exemplars back", async () => {
    const { registry, requests, latency } = setup();
    requests.labels('/').inc(2, { trace_id: TRACE });
    latency.observe(0.3, { trace_id: 'span-0.3' });
    const result = spawnSync(python, ['-c', PYTHON_READ], { input: await openMetrics(registry), encoding: 'utf8' });
    assert.is(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').sort(), [`latency_seconds_bucket 0.5 span-0.3 0.3 1700000000.000000000`, `requests_total  ${TRACE} 2 1700000000.000000000`].sort());
  });
}

test.run();

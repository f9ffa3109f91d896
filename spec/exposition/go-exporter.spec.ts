// fixtures/prometheus/go-exporter.prom.txt, written by hand in the shape of a Go exporter's 0.0.4 output
// (client_golang: go_* and process_* collectors, a histogram, summaries, untyped, escapes), parsed strictly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel } from '../../lib/exposition/model.js';

const text = readFileSync(new URL('../../../fixtures/prometheus/go-exporter.prom.txt', import.meta.url), 'utf8');
const families = parse(text, { format: 'prometheus' });
const family = (name: string, type: string): FamilyModel => {
  const found = families.find((candidate) => candidate.name === name && candidate.type === type);
  assert.ok(found, `no ${type} family ${name}`);
  return found as FamilyModel;
};

test('every TYPE line of the fixture becomes one family, plus one for the sample without metadata', () => {
  const typeLines = text.split('\n').filter((line) => line.startsWith('# TYPE ')).length;
  assert.is(families.length, typeLines + 1);
  const sampleLines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  assert.is(families.reduce((sum, f) => sum + f.samples.length, 0), sampleLines);
});

test('the gauge go_memstats_alloc_bytes and the counter go_memstats_alloc_bytes_total are both kept', () => {
  assert.equal(family('go_memstats_alloc_bytes', 'gauge').samples, [{ name: 'go_memstats_alloc_bytes', labels: [], value: 5234568 }]);
  assert.equal(family('go_memstats_alloc_bytes', 'counter').samples, [{ name: 'go_memstats_alloc_bytes_total', labels: [], value: 98765432 }]);
});

test('counters lose _total in the family name only; process_* values keep their float64', () => {
  assert.equal(family('process_cpu_seconds', 'counter').samples[0]?.value, 12.34);
  assert.is(family('process_virtual_memory_max_bytes', 'gauge').samples[0]?.value, 18446744073709551615);
  assert.equal(family('promhttp_metric_handler_requests', 'counter').samples.map((s) => [s.name, s.labels]), [
    ['promhttp_metric_handler_requests_total', [['code', '200']]],
    ['promhttp_metric_handler_requests_total', [['code', '500']]],
    ['promhttp_metric_handler_requests_total', [['code', '503']]],
  ]);
});

test('HELP decodes only \\\\ and \\n, label values also \\"', () => {
  const config = family('exporter_config_info', 'gauge');
  assert.is(config.help, 'Configuration file in use: C:\\omen\\exporter.yml, read once.\nA "quoted" second line.');
  assert.equal(config.samples[0]?.labels, [['note', 'say "hi"\nthen go'], ['path', 'C:\\omen\\exporter.yml']]);
});

test('histogram, summaries, untyped and millisecond timestamps map into the model', () => {
  const histogram = family('http_request_duration_seconds', 'histogram');
  assert.is(histogram.samples.length, 14);
  assert.equal(histogram.samples.filter((s) => s.name.endsWith('_count')).map((s) => s.value), [7, 4]);
  const idle = family('rpc_durations_seconds', 'summary');
  assert.ok(idle.samples.slice(0, 3).every((s) => Number.isNaN(s.value)), 'NaN quantiles of an empty summary');
  assert.is(family('legacy_queue_depth', 'unknown').samples.length, 2);
  assert.is(family('stray_sample_without_metadata', 'unknown').help, undefined);
  assert.equal(family('exporter_last_scrape_success', 'gauge').samples.map((s) => s.timestamp), [1700000000.123, 1700000000.456]);
});

test('written back as 0.0.4 it parses to the same model', () => {
  assert.equal(parse(writeModel(families, PROMETHEUS), { format: 'prometheus' }), families);
});

test('without the gauge that shares its name with a counter, it converts to OpenMetrics and parses strictly', () => {
  const convertible = families.filter((f) => !(f.name === 'go_memstats_alloc_bytes' && f.type === 'gauge'));
  assert.equal(parse(writeModel(convertible, OPENMETRICS)), convertible);
});

test.run();

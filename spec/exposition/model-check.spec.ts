import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FamilyModel, SampleModel } from '../../lib/exposition/model.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { checkFamilyModel } from '../../lib/exposition/parse/model-check.js';
import { parse, ParseError } from '../../lib/exposition/parse/parser.js';

// checkFamilyModel() must refuse exactly what the strict parser refuses once the model is written out, with the
// same error code: each case runs both ways and the verdicts are compared.
const verdict = (run: () => unknown): string => {
  try {
    run();
    return 'ok';
  } catch (error: unknown) {
    if (error instanceof ParseError) return error.code;
    throw error;
  }
};

const s = (name: string, value: number, labels: [string, string][] = [], extra: Partial<SampleModel> = {}): SampleModel => ({ name, labels, value, ...extra });
const bucket = (name: string, le: string, value: number, labels: [string, string][] = []): SampleModel => s(`${name}_bucket`, value, [...labels, ['le', le]]);

function agrees(what: string, family: FamilyModel, expected: string): void {
  test(`${what}: ${expected === 'ok' ? 'accepted' : `refused (${expected})`}, as the parser does on the written text`, () => {
    const direct = verdict(() => checkFamilyModel(family));
    const written = verdict(() => parse(writeModel([family], OPENMETRICS), { format: 'openmetrics' }));
    assert.is(written, expected, 'the parser on the written text');
    assert.is(direct, expected, 'the model check');
  });
}

agrees('a gauge with labels, NaN and ±Inf', { name: 'g', type: 'gauge', help: 'H "q" \\ \n', samples: [s('g', NaN, [['a', 'x"\\\n']]), s('g', Infinity, [['a', 'y']]), s('g', -0, [['a', 'z']])] }, 'ok');
agrees('a counter with _total, _created and an exemplar', { name: 'c', type: 'counter', samples: [s('c_total', 3, [], { exemplar: { labels: [['trace_id', 'abc']], value: 1, timestamp: 1.5 } }), s('c_created', 1700000000.25)] }, 'ok');
agrees('a counter without _total (written as unknown)', { name: 'c', type: 'counter', samples: [s('c', 3)] }, 'ok');
agrees('a histogram with cumulative buckets, _sum and _count', { name: 'h_seconds', type: 'histogram', unit: 'seconds', samples: [bucket('h_seconds', '0.1', 1), bucket('h_seconds', '+Inf', 2), s('h_seconds_sum', 0.3), s('h_seconds_count', 2)] }, 'ok');
agrees('a histogram without the +Inf bucket', { name: 'h', type: 'histogram', samples: [bucket('h', '0.1', 1), s('h_count', 1), s('h_sum', 1)] }, 'missing-inf-bucket');
agrees('a histogram whose buckets go down', { name: 'h', type: 'histogram', samples: [bucket('h', '0.1', 3), bucket('h', '+Inf', 2)] }, 'bad-value');
agrees('a histogram whose le are out of order', { name: 'h', type: 'histogram', samples: [bucket('h', '1', 1), bucket('h', '0.5', 1), bucket('h', '+Inf', 1)] }, 'bucket-order');
agrees('a histogram whose _count is not the +Inf bucket', { name: 'h', type: 'histogram', samples: [bucket('h', '+Inf', 2), s('h_sum', 1), s('h_count', 3)] }, 'count-mismatch');
agrees('a histogram bucket without le', { name: 'h', type: 'histogram', samples: [s('h_bucket', 1)] }, 'missing-label');
agrees('a gaugehistogram', { name: 'gh', type: 'gaugehistogram', samples: [bucket('gh', '+Inf', 2), s('gh_gcount', 2), s('gh_gsum', 1)] }, 'ok');
agrees('a summary with quantiles', { name: 'q', type: 'summary', samples: [s('q', 1, [['quantile', '0.5']]), s('q_sum', 3), s('q_count', 2)] }, 'ok');
agrees('a summary quantile above 1', { name: 'q', type: 'summary', samples: [s('q', 1, [['quantile', '2']])] }, 'bad-quantile');
agrees('a negative counter total', { name: 'c', type: 'counter', samples: [s('c_total', -1)] }, 'bad-value');
agrees('a NaN counter total', { name: 'c', type: 'counter', samples: [s('c_total', NaN)] }, 'bad-value');
agrees('a stateset', { name: 'st', type: 'stateset', samples: [s('st', 1, [['st', 'a']]), s('st', 0, [['st', 'b']])] }, 'ok');
agrees('a stateset value of 2', { name: 'st', type: 'stateset', samples: [s('st', 2, [['st', 'a']])] }, 'bad-value');
agrees('an info', { name: 'i', type: 'info', samples: [s('i_info', 1, [['version', '1.2']])] }, 'ok');
agrees('an info value of 2', { name: 'i', type: 'info', samples: [s('i_info', 2)] }, 'bad-value');
agrees('the same series twice', { name: 'g', type: 'gauge', samples: [s('g', 1, [['a', '1']]), s('g', 2, [['a', '1']])] }, 'duplicate-series');
agrees('a label name twice in one sample', { name: 'g', type: 'gauge', samples: [s('g', 1, [['a', '1'], ['a', '2']])] }, 'duplicate-label');
agrees('timestamps that go back', { name: 'g', type: 'gauge', samples: [s('g', 1, [], { timestamp: 10 }), s('g', 2, [], { timestamp: 5 })] }, 'timestamp-order');
agrees('a timestamp on some samples of a metric only', { name: 'g', type: 'gauge', samples: [s('g', 1, [], { timestamp: 10 }), s('g', 2)] }, 'mixed-timestamps');
test('an exemplar on a gauge: the writer leaves it out (OpenMetrics allows none there) and the model check refuses it', () => {
  const family: FamilyModel = { name: 'g', type: 'gauge', samples: [s('g', 1, [], { exemplar: { labels: [], value: 1 } })] };
  assert.not.match(writeModel([family], OPENMETRICS).toString(), ' # {');
  assert.is(verdict(() => checkFamilyModel(family)), 'exemplar-not-allowed');
});
agrees('an exemplar over 128 code points', { name: 'c', type: 'counter', samples: [s('c_total', 1, [], { exemplar: { labels: [['id', 'x'.repeat(127)]], value: 1 } })] }, 'exemplar-too-long');
agrees('a unit that is not the name\'s suffix', { name: 'size', type: 'gauge', unit: 'bytes', samples: [s('size', 1)] }, 'bad-unit');

test('bad model fields the text would not even carry are refused with the parser\'s codes', () => {
  const code = (family: FamilyModel): string => verdict(() => checkFamilyModel(family));
  assert.is(code({ name: 'g', type: 'gauge', samples: [s('g', 1, [['a-b', 'x']])] }), 'bad-label-set');
  assert.is(code({ name: 'g', type: 'gauge', samples: [s('g', 1, [['a', 5 as unknown as string]])] }), 'bad-label-set');
  assert.is(code({ name: 'g', type: 'gauge', samples: [s('g', '1' as unknown as number)] }), 'bad-value');
  assert.is(code({ name: 'g', type: 'gauge', samples: [s('g', 1, [], { timestamp: NaN })] }), 'bad-timestamp');
  assert.is(code({ name: 'g', type: 'gauge', samples: [s('g x', 1)] }), 'bad-metric-name');
});

test.run();

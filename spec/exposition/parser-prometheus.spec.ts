// The Prometheus text 0.0.4 side of parse(): its looser grammar and its mapping into the OpenMetrics model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';
import type { ParseErrorCode } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel } from '../../lib/exposition/model.js';

const prom = (text: string) => parse(text, { format: 'prometheus' });

function rejects(text: string, code: ParseErrorCode, line: number, column?: number): void {
  try {
    prom(text);
  } catch (error) {
    assert.instance(error, ParseError);
    const parseError = error as ParseError;
    assert.is(parseError.code, code, parseError.message);
    assert.is(parseError.line, line, parseError.message);
    if (column !== undefined) assert.is(parseError.column, column, parseError.message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test('a counter TYPE line names its _total sample, and the family drops the suffix', () => {
  const families = prom('# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code="200"} 3 1692222226141\n');
  assert.equal(families, [{
    name: 'http_requests',
    type: 'counter',
    help: 'Requests.',
    samples: [{ name: 'http_requests_total', labels: [['code', '200']], value: 3, timestamp: 1692222226.141 }],
  }]);
});

test('a counter named without _total keeps its name for family and samples', () => {
  const [family] = prom('# TYPE jobs counter\njobs 4\n');
  assert.is(family?.name, 'jobs');
  assert.is(family?.samples[0]?.name, 'jobs');
});

test('untyped becomes unknown, and type names are read in any case', () => {
  const families = prom('# TYPE a untyped\na 1\n# TYPE b GAUGE\nb 2\n');
  assert.equal(families.map((family) => family.type), ['unknown', 'gauge']);
});

test('millisecond timestamps become seconds, negative ones included', () => {
  const [family] = prom('a 1 1500\na{x="y"} 1 -250\n');
  assert.equal(family?.samples.map((sample) => sample.timestamp), [1.5, -0.25]);
});

test('blanks and tabs separate tokens, blank lines and comments are skipped, a trailing comma is allowed', () => {
  const text = [
    '# a free comment',
    '#another comment, with no blank after the hash',
    '',
    '   # TYPE  a \t gauge  ',
    '\t',
    '  a { x = "1" , y="2", }\t 5 \t 1000  ',
    '# EOF',
    '',
  ].join('\n');
  assert.equal(prom(text), [{ name: 'a', type: 'gauge', samples: [{ name: 'a', labels: [['x', '1'], ['y', '2']], value: 5, timestamp: 1 }] }]);
});

test('HELP escapes only backslash and newline; a raw quote stays as written', () => {
  const [family] = prom('# HELP a one\\\\two\\nthree "raw"\na 1\n');
  assert.is(family?.help, 'one\\two\nthree "raw"');
});

test('an undefined escape is refused: \\" and \\t in HELP, \\t in a label value', () => {
  rejects('# HELP a say \\"q\\"\na 1\n', 'bad-escape', 1, 14);
  rejects('# HELP a tab\\there\na 1\n', 'bad-escape', 1, 13);
  rejects('a{x="tab\\there"} 1\n', 'bad-escape', 1, 9);
  assert.equal(prom('a{x="q\\"\\\\\\n"} 1\n')[0]?.samples[0]?.labels, [['x', 'q"\\\n']]);
});

test('HELP may hold a carriage return, even as its last character', () => {
  assert.is(prom('# HELP a x\ry\r\na 1\n')[0]?.help, 'x\ry\r');
  rejects('# TYPE a gauge\r\na 1\n', 'bad-line-ending', 1);
  rejects('a 1\r\n', 'bad-line-ending', 1);
});

test('# TYPE unknown is OpenMetrics, not 0.0.4', () => {
  rejects('# TYPE a unknown\na 1\n', 'bad-type', 1);
});

test('the value may follow a label set with no blank between them', () => {
  assert.equal(prom('a{x="1"}1\nb{} 2\n').map((f) => f.samples[0]?.value), [1, 2]);
  rejects('a1\n', 'missing-value', 1);
});

test('a value past float64 is refused, as Prometheus refuses it', () => {
  rejects('a 1e400\n', 'bad-number', 1, 3);
  rejects('a -1e400\n', 'bad-number', 1, 3);
  rejects(`a ${'9'.repeat(400)}\n`, 'bad-number', 1, 3);
  assert.is(prom('a +Inf\n')[0]?.samples[0]?.value, Infinity);
});

test('HELP may follow the samples once, but TYPE may not', () => {
  assert.is(prom('a 1\n# HELP a late\n')[0]?.help, 'late');
  rejects('a 1\n# TYPE a gauge\n', 'metadata-after-samples', 2);
  rejects('# HELP a x\na 1\n# HELP a y\n', 'repeated-metadata', 3);
});

test('an empty exposition is no families', () => {
  assert.equal(prom(''), []);
});

test('a histogram keeps the structural rules: le, order, +Inf equal to _count', () => {
  const ok = '# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 0.3\nh_count 2\n';
  assert.is(prom(ok)[0]?.samples.length, 4);
  rejects('# TYPE h histogram\nh_bucket{le="0.1"} 1\nh_sum 1\nh_count 1\n', 'missing-inf-bucket', 2);
  rejects('# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_count 3\n', 'count-mismatch', 2);
  rejects('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="0.5"} 1\n', 'bucket-order', 3);
  rejects('# TYPE h histogram\nh_bucket 1\n', 'missing-label', 2);
});

test('a gauge x and a counter x_total are two families in either order, as client_golang writes them', () => {
  const gauge: FamilyModel = { name: 'x', type: 'gauge', help: 'Bytes in use.', samples: [{ name: 'x', labels: [], value: 1 }] };
  const counter: FamilyModel = { name: 'x', type: 'counter', help: 'Bytes allocated.', samples: [{ name: 'x_total', labels: [], value: 2 }] };
  const gaugeText = '# HELP x Bytes in use.\n# TYPE x gauge\nx 1\n';
  const counterText = '# HELP x_total Bytes allocated.\n# TYPE x_total counter\nx_total 2\n';
  assert.equal(prom(gaugeText + counterText), [gauge, counter]);
  assert.equal(prom(counterText + gaugeText), [counter, gauge]);
});

test('int64 millisecond timestamps at both bounds are accepted', () => {
  const [family] = prom('a 1 9223372036854775807\na{x="y"} 1 -9223372036854775808\n');
  assert.equal(family?.samples.map((sample) => sample.timestamp), [2 ** 63 / 1000, -(2 ** 63) / 1000]);
});

test('a NaN _count equals a NaN +Inf bucket, since 0.0.4 keeps no value rules', () => {
  const [family] = prom('# TYPE h histogram\nh_bucket{le="+Inf"} NaN\nh_sum NaN\nh_count NaN\n');
  assert.ok(family?.samples.every((sample) => Number.isNaN(sample.value)));
  rejects('# TYPE h histogram\nh_bucket{le="+Inf"} NaN\nh_count 1\n', 'count-mismatch', 2);
});

test('OpenMetrics value rules do not apply: a negative counter is accepted', () => {
  assert.is(prom('# TYPE c_total counter\nc_total -1\n')[0]?.samples[0]?.value, -1);
});

const cases: Array<[string, string, ParseErrorCode, number, number]> = [
  ['no final newline', 'a 1', 'missing-newline', 1, 4],
  ['an exemplar', 'a 1 # {} 1\n', 'bad-exemplar', 1, 5],
  ['a fractional timestamp', 'a 1 1.5\n', 'bad-timestamp', 1, 5],
  ['a family coming back', 'a 1\nb 1\na 2\n', 'interleaved-family', 3, 1],
  ['a counter family coming back under its sample name', '# TYPE c_total counter\nc_total 1\nb 1\nc_total 2\n', 'interleaved-family', 4, 1],
  ['a repeated series', 'a{x="1"} 1\na{x="1"} 2\n', 'duplicate-series', 2, 1],
  ['an OpenMetrics-only type', '# TYPE s stateset\n', 'bad-type', 1, 10],
  ['text after the type', '# TYPE a gauge x\n', 'bad-metadata', 1, 15],
  ['CR LF endings', 'a 1\r\n', 'bad-line-ending', 1, 4],
  ['a counter sample after its neighbour gauge', '# TYPE x_total counter\nx_total 1\n# TYPE x gauge\nx 1\nx_total 2\n', 'interleaved-family', 5, 1],
  ['a gauge coming back after the counter beside it', '# TYPE x gauge\nx 1\n# TYPE x_total counter\nx_total 1\nx 2\n', 'interleaved-family', 5, 1],
  ['a timestamp that overflows float64', `a 1 ${'9'.repeat(400)}\n`, 'bad-timestamp', 1, 5],
  ['a timestamp one past int64', 'a 1 9223372036854775808\n', 'bad-timestamp', 1, 5],
  ['a timestamp one below int64', 'a 1 -9223372036854775809\n', 'bad-timestamp', 1, 5],
  ['a bucket le that overflows to infinity', '# TYPE h histogram\nh_bucket{le="1e400"} 1\n', 'bad-le', 2, 10],
  ['a bucket le of +inf in lower case', '# TYPE h histogram\nh_bucket{le="+inf"} 1\n', 'bad-le', 2, 10],
  ['a last line ending in CR', 'a 1\r', 'bad-line-ending', 1, 4],
  ['text after the timestamp', 'a 1 2 3\n', 'bad-timestamp', 1, 7],
  ['a label value without quotes', 'a{x=1} 1\n', 'bad-label-set', 1, 5],
];

for (const [what, text, code, line, column] of cases) {
  test(`rejects ${what} with ${code} at ${line}:${column}`, () => rejects(text, code, line, column));
}

test.run();

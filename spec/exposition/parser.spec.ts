// The OpenMetrics side of parse(): the model it builds, and one line per rule it enforces (code, line, column).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';
import type { ParseErrorCode } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel } from '../../lib/exposition/model.js';

function om(...lines: string[]): string {
  return `${lines.join('\n')}\n# EOF\n`;
}

function rejects(input: string | Uint8Array, code: ParseErrorCode, line?: number, column?: number): ParseError {
  try {
    parse(input);
  } catch (error) {
    assert.instance(error, ParseError);
    const parseError = error as ParseError;
    assert.is(parseError.code, code, parseError.message);
    if (line !== undefined) assert.is(parseError.line, line, `line of: ${parseError.message}`);
    if (column !== undefined) assert.is(parseError.column, column, `column of: ${parseError.message}`);
    return parseError;
  }
  assert.unreachable(`expected ${code} for ${JSON.stringify(input)}`);
  throw new Error('unreachable');
}

test('a counter with metadata, labels, a timestamp and an exemplar becomes one family', () => {
  const families = parse(om(
    '# TYPE http_requests counter',
    '# UNIT http_requests requests',
    '# HELP http_requests Requests served.',
    'http_requests_total{method="GET",code="200"} 3 1520879607.789 # {trace_id="abc"} 1 1520879607.5',
    'http_requests_created{method="GET",code="200"} 1520870000 1520879607.789',
  ));
  const expected: FamilyModel[] = [{
    name: 'http_requests',
    type: 'counter',
    unit: 'requests',
    help: 'Requests served.',
    samples: [
      {
        name: 'http_requests_total',
        labels: [['method', 'GET'], ['code', '200']],
        value: 3,
        timestamp: 1520879607.789,
        exemplar: { labels: [['trace_id', 'abc']], value: 1, timestamp: 1520879607.5 },
      },
      { name: 'http_requests_created', labels: [['method', 'GET'], ['code', '200']], value: 1520870000, timestamp: 1520879607.789 },
    ],
  }];
  assert.equal(families, expected);
});

test('a family without metadata is unknown and has neither help nor unit', () => {
  assert.equal(parse(om('a 1')), [{ name: 'a', type: 'unknown', samples: [{ name: 'a', labels: [], value: 1 }] }]);
});

test('empty HELP and UNIT lines are kept as empty strings, and an empty label set is no labels', () => {
  const [family] = parse(om('# HELP a ', '# UNIT a ', 'a{} 1'));
  assert.is(family?.help, '');
  assert.is(family?.unit, '');
  assert.equal(family?.samples[0]?.labels, []);
});

test('special floats, leading zeros and long integers parse to the float64 they denote', () => {
  const values = ['NaN', '+Inf', '-Inf', 'inf', '-infinity', '-0', '1e21', '1e-300', '0001.5', '.5', '5.', '1E3', '9223372036854775808'];
  const families = parse(om('# TYPE a gauge', ...values.map((value, i) => `a{i="${i}"} ${value}`)));
  const parsed = families[0]?.samples.map((sample) => sample.value) ?? [];
  assert.ok(Number.isNaN(parsed[0]));
  assert.equal(parsed.slice(1), [Infinity, -Infinity, Infinity, -Infinity, -0, 1e21, 1e-300, 1.5, 0.5, 5, 1000, 9223372036854775808]);
  assert.ok(Object.is(parsed[5], -0));
});

test('escapes in label values and HELP decode; a backslash before another character stays literal', () => {
  const [family] = parse(om('# HELP a x\\\\y\\nz\\"q\\t', 'a{v="\\\\ \\" \\n \\z ü 😀"} 1'));
  assert.is(family?.help, 'x\\y\nz"q\\t');
  assert.equal(family?.samples[0]?.labels, [['v', '\\ " \n \\z ü 😀']]);
});

test('a raw double quote in HELP is literal, as the upstream help_escaping case requires', () => {
  assert.is(parse(om('# HELP a say "hi" \\\\"'))[0]?.help, 'say "hi" \\"');
});

test('HELP may hold a carriage return, even as its last character ([S ABNF] normal-char); other lines may not end in CR', () => {
  assert.is(parse(om('# HELP a x\ry\r', 'a 1'))[0]?.help, 'x\ry\r');
  rejects(om('# TYPE a gauge\r', 'a 1'), 'bad-line-ending', 1);
});

test('label values may hold #, braces, spaces and NUL without ending the label set', () => {
  const [family] = parse(om('a{x="} # {",y="\u0000"} 1'));
  assert.equal(family?.samples[0]?.labels, [['x', '} # {'], ['y', '\u0000']]);
});

test('bytes parse exactly like the string they encode', () => {
  const text = om('# TYPE a gauge', 'a{v="ü😀"} 1.5');
  assert.equal(parse(new TextEncoder().encode(text)), parse(text));
});

test('a gauge series may have several timestamped points, equal timestamps included', () => {
  const [family] = parse(om('# TYPE a gauge', 'a 1 10', 'a 2 10', 'a 3 11.5', 'b 1'));
  assert.equal(family?.samples.map((sample) => [sample.value, sample.timestamp]), [[1, 10], [2, 10], [3, 11.5]]);
});

test('histogram points repeat per timestamp and each point is checked on its own', () => {
  const point = (ts: number, n: number): string[] => [`h_bucket{le="1"} ${n} ${ts}`, `h_bucket{le="+Inf"} ${n} ${ts}`, `h_count ${n} ${ts}`, `h_sum ${n} ${ts}`];
  const [family] = parse(om('# TYPE h histogram', ...point(1, 2), ...point(2, 3)));
  assert.is(family?.samples.length, 8);
  rejects(om('# TYPE h histogram', ...point(1, 2), 'h_bucket{le="1"} 5 2', 'h_count 5 2', 'h_sum 5 2'), 'missing-inf-bucket', 6, 1);
});

test('histogram metrics are told apart by their labels without le, in any label order', () => {
  const families = parse(om(
    '# TYPE h histogram',
    'h_bucket{le="0.5",path="/a"} 1',
    'h_bucket{path="/a",le="+Inf"} 2',
    'h_bucket{le="+Inf",path="/b"} 0',
  ));
  assert.is(families[0]?.samples.length, 3);
  rejects(om('# TYPE h histogram', 'h_bucket{p="a",le="+Inf"} 0', 'h_bucket{p="b",le="+Inf"} 0', 'h_bucket{le="1",p="a"} 0'), 'interleaved-metric', 4, 1);
});

test('a label set written in another order is the same series', () => {
  rejects(om('# TYPE a gauge', 'a{x="1",y="2"} 1', 'a{y="2",x="1"} 2'), 'duplicate-series', 3, 1);
  rejects(om('# TYPE a gauge', 'a{x="1",y="2"} 1', 'a{x="2",y="2"} 1', 'a{y="2",x="1"} 2'), 'interleaved-metric', 4, 1);
  rejects(om('# TYPE a gauge', 'a{x="\\\\z"} 1', 'a{x="\\z"} 2'), 'duplicate-series', 3, 1);
  rejects(om('# TYPE a gauge', 'a{x="1",y="2",z="3"} 1', 'a{z="3",x="1",y="2"} 1'), 'duplicate-series', 3, 1);
  rejects(om('# TYPE a gauge', 'a{b="1",c="2"} 1', 'a{q="1"} 1', 'a{c="2",b="1"} 1'), 'interleaved-metric', 4, 1);
  assert.is(parse(om('# TYPE a gauge', 'a{x="1",y="2"} 1', 'a{y="1",x="2"} 2', 'a{x="1"} 3', 'a{y="2"} 4'))[0]?.samples.length, 4);
});

test('summary quantiles and stateset states are points of one metric; repeating one is a duplicate', () => {
  assert.is(parse(om('# TYPE s summary', 's{quantile="0.5"} 1', 's{quantile="0.9"} 2', 's_sum 3', 's_count 2'))[0]?.samples.length, 4);
  rejects(om('# TYPE s summary', 's{quantile="0.5"} 1', 's{quantile="0.50"} 2'), 'duplicate-series', 3, 1);
  rejects(om('# TYPE s stateset', 's{s="a"} 1', 's{s="a"} 0'), 'duplicate-series', 3, 1);
  rejects(om('# TYPE s summary', 's_sum{quantile="0.5"} 1'), 'unexpected-label', 2, 7);
  rejects(om('# TYPE h histogram', 'h_bucket{le="+Inf"} 1', 'h_count{le="1"} 1'), 'unexpected-label', 3, 9);
});

test('exemplars: allowed on counter totals and buckets, at most 128 code points, bucket value not above le', () => {
  const wide = 'ü'.repeat(127);
  assert.is(parse(om('# TYPE c counter', `c_total 1 # {a="${wide}"} 1`))[0]?.samples[0]?.exemplar?.labels[0]?.[1], wide);
  rejects(om('# TYPE c counter', `c_total 1 # {a="${wide}x"} 1`), 'exemplar-too-long', 2, 13);
  rejects(om('# TYPE h histogram', 'h_bucket{le="1"} 0 # {} 2', 'h_bucket{le="+Inf"} 0'), 'bad-exemplar', 2, 20);
  rejects(om('# TYPE s summary', 's_count 1 # {} 1'), 'exemplar-not-allowed', 2, 11);
  rejects(om('a 1 # {} 1'), 'exemplar-not-allowed', 1, 5);
});

test('a bucket exemplar may lie below the previous threshold: buckets are cumulative (upstream histogram_exemplars)', () => {
  const [family] = parse(om('# TYPE h histogram', 'h_bucket{le="1"} 0', 'h_bucket{le="2"} 2 # {} 0.5', 'h_bucket{le="+Inf"} 2'));
  assert.is(family?.samples[1]?.exemplar?.value, 0.5);
});

test('a _count of -0 equals a +Inf bucket of 0', () => {
  const [family] = parse(om('# TYPE h histogram', 'h_bucket{le="+Inf"} 0', 'h_count -0', 'h_sum 0'));
  assert.ok(Object.is(family?.samples[1]?.value, -0));
});

test('finite timestamps near the float64 limit are accepted for samples and exemplars', () => {
  const [family] = parse(om('# TYPE c counter', 'c_total 1 1e308 # {} 1 -1e308'));
  assert.equal([family?.samples[0]?.timestamp, family?.samples[0]?.exemplar?.timestamp], [1e308, -1e308]);
});

const cases: Array<[string, string | Uint8Array, ParseErrorCode, number, number]> = [
  // bytes, lines, EOF
  ['empty input', '', 'missing-eof', 1, 1],
  ['no EOF after a last LF', 'a 1\n', 'missing-eof', 2, 1],
  ['a second LF after EOF', 'a 1\n# EOF\n\n', 'text-after-eof', 3, 1],
  ['two EOF lines', '# EOF\n# EOF\n', 'text-after-eof', 2, 1],
  ['CR LF endings', 'a 1\r\n# EOF\n', 'bad-line-ending', 1, 4],
  ['a blank line', 'a 1\n\n# EOF\n', 'blank-line', 2, 1],
  ['a leading tab', '\ta 1\n# EOF\n', 'unexpected-whitespace', 1, 1],
  ['a byte order mark', '\ufeffa 1\n# EOF\n', 'bad-utf8', 1, 1],
  ['invalid UTF-8', Uint8Array.from([0x61, 0x20, 0x31, 0x0a, 0x61, 0x7b, 0x62, 0x3d, 0x22, 0xc3, 0x28]), 'bad-utf8', 2, 6],
  ['a lone surrogate in a string', 'a{b="\ud800"} 1\n# EOF\n', 'bad-utf8', 1, 6],
  ['a lone low surrogate in HELP', '# HELP a x\udc00\n# EOF\n', 'bad-utf8', 1, 11],
  // line grammar
  ['an unknown # line', '# NOTE a\n# EOF\n', 'bad-comment', 1, 1],
  ['a type in capitals', '# TYPE a Gauge\n# EOF\n', 'bad-type', 1, 10],
  ['a bad UNIT value', '# UNIT a_b b-c\n# EOF\n', 'bad-unit', 1, 13],
  ['a label name with a dash', 'a{b-c="1"} 1\n# EOF\n', 'bad-label-set', 1, 4],
  ['a label name with a colon', 'a{b:c="1"} 1\n# EOF\n', 'bad-label-set', 1, 4],
  ['a duplicate label out of order', 'a{b="1",a="2",b="3"} 1\n# EOF\n', 'duplicate-label', 1, 15],
  ['a HELP ending in a lone backslash', '# HELP a x\\\n# EOF\n', 'bad-escape', 1, 11],
  ['an empty value', 'a{} \n# EOF\n', 'missing-value', 1, 5],
  ['a hex value', 'a 0x10\n# EOF\n', 'bad-number', 1, 3],
  ['Infinity spelled by JS with a sign and junk', 'a +Infinityx\n# EOF\n', 'bad-number', 1, 3],
  ['an exponent without digits', 'a 1e\n# EOF\n', 'bad-number', 1, 3],
  ['a lone sign', 'a -\n# EOF\n', 'bad-number', 1, 3],
  ['a signed NaN', 'a -NaN\n# EOF\n', 'bad-number', 1, 3],
  ['a lone dot', 'a .\n# EOF\n', 'bad-number', 1, 3],
  ['a timestamp with an exponent sign only', 'a 1 1e+\n# EOF\n', 'bad-timestamp', 1, 5],
  ['text after the exemplar timestamp', 'c_total 1 # {} 1 2 3\n# EOF\n', 'bad-exemplar', 1, 19],
  // families
  ['a family coming back', 'a 1\nb 1\na 2\n# EOF\n', 'interleaved-family', 3, 1],
  ['metadata for a finished family', 'a 1\nb 1\n# HELP a x\n# EOF\n', 'interleaved-family', 3, 8],
  ['a counter sample without _total', '# TYPE a counter\na 1\n# EOF\n', 'bad-sample-name', 2, 1],
  ['a histogram taking a gauge name', '# TYPE a_count gauge\n# TYPE a histogram\n# EOF\n', 'name-clash', 2, 10],
  ['a gauge named like a counter sample', '# TYPE a counter\n# TYPE a_total gauge\n# EOF\n', 'name-clash', 2, 8],
  ['a unit on an info family', '# UNIT a_u u\n# TYPE a_u info\n# EOF\n', 'bad-unit', 2, 12],
  ['a timestamp added mid-series', '# TYPE a counter\na_total 1\na_created 1 5\n# EOF\n', 'mixed-timestamps', 3, 13],
  // per type
  ['a counter without _total', '# TYPE a counter\na_created 1\n# EOF\n', 'missing-total', 2, 1],
  ['a fractional bucket', '# TYPE h histogram\nh_bucket{le="+Inf"} 1.5\n# EOF\n', 'bad-value', 2, 21],
  ['a bucket le of NaN', '# TYPE h histogram\nh_bucket{le="NaN"} 1\n# EOF\n', 'bad-le', 2, 10],
  ['a bucket le of inf', '# TYPE h histogram\nh_bucket{le="inf"} 1\n# EOF\n', 'bad-le', 2, 10],
  ['a repeated bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="1.0"} 1\n# EOF\n', 'duplicate-series', 3, 1],
  ['a bucket after +Inf', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_bucket{le="5"} 1\n# EOF\n', 'bucket-order', 3, 1],
  ['_count unlike +Inf', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 2\nh_sum 1\n# EOF\n', 'count-mismatch', 2, 1],
  ['a gauge histogram _gcount unlike +Inf', '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\ng_gcount 2\ng_gsum 1\n# EOF\n', 'count-mismatch', 2, 1],
  ['a stateset without its label', '# TYPE s stateset\ns{t="a"} 1\n# EOF\n', 'missing-label', 2, 1],
  ['a quantile of +Inf', '# TYPE s summary\ns{quantile="+Inf"} 1\n# EOF\n', 'bad-quantile', 2, 3],
  ['an info value of 1.5', '# TYPE i info\ni_info 1.5\n# EOF\n', 'bad-value', 2, 8],
  ['a fractional summary count', '# TYPE s summary\ns_count 1.5\n# EOF\n', 'bad-value', 2, 9],
  // non-finite numbers where only finite ones make sense
  ['a timestamp that overflows float64', 'a 1 1e400\n# EOF\n', 'bad-timestamp', 1, 5],
  ['a negative timestamp that overflows float64', 'a 1 -1e400\n# EOF\n', 'bad-timestamp', 1, 5],
  ['an exemplar timestamp that overflows float64', '# TYPE c counter\nc_total 1 # {} 1 1e400\n# EOF\n', 'bad-timestamp', 2, 18],
  ['a bucket le that overflows to +Inf', '# TYPE h histogram\nh_bucket{le="1e400"} 1\n# EOF\n', 'bad-le', 2, 10],
  ['a bucket le of -Inf', '# TYPE h histogram\nh_bucket{le="-Inf"} 0\nh_bucket{le="+Inf"} 0\n# EOF\n', 'bad-le', 2, 10],
  ['a bucket le that overflows to -Inf', '# TYPE h histogram\nh_bucket{le="-1e400"} 0\nh_bucket{le="+Inf"} 0\n# EOF\n', 'bad-le', 2, 10],
  ['a quantile that overflows float64', '# TYPE s summary\ns{quantile="1e400"} 1\n# EOF\n', 'bad-quantile', 2, 3],
  ['a quantile of NaN', '# TYPE s summary\ns{quantile="NaN"} 1\n# EOF\n', 'bad-quantile', 2, 3],
  ['a sample value that overflows float64', 'a 1e400\n# EOF\n', 'bad-number', 1, 3],
  ['a counter value that overflows float64', '# TYPE c counter\nc_total 1e400\n# EOF\n', 'bad-number', 2, 9],
  ['a negative value that overflows float64', 'a -1e400\n# EOF\n', 'bad-number', 1, 3],
  ['an exemplar value that overflows float64', '# TYPE c counter\nc_total 1 # {} 1e400\n# EOF\n', 'bad-number', 2, 16],
  ['# EOF ending in CR', 'a 1\n# EOF\r', 'bad-line-ending', 2, 6],
  // codes each pinned by a case of their own
  ['a sample name starting with a digit', '1a 1\n# EOF\n', 'bad-metric-name', 1, 1],
  ['a TYPE line naming a metric with a dash', '# TYPE a-b gauge\n# EOF\n', 'bad-metadata', 1, 9],
  ['a label name starting with a digit', 'a{1b="x"} 1\n# EOF\n', 'bad-label-name', 1, 3],
  ['a timestamp going back within a series', '# TYPE a gauge\na 1 20\na 2 10\n# EOF\n', 'timestamp-order', 3, 5],
  ['a timestamp going back within a histogram point', '# TYPE h histogram\nh_bucket{le="+Inf"} 1 5\nh_count 1 4\n# EOF\n', 'timestamp-order', 3, 11],
  ['a histogram _count without _sum', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1\n# EOF\n', 'sum-count-pair', 2, 1],
  ['a gauge histogram _gsum without _gcount', '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\ng_gsum 1\n# EOF\n', 'sum-count-pair', 2, 1],
];

for (const [what, input, code, line, column] of cases) {
  test(`rejects ${what} with ${code} at ${line}:${column}`, () => {
    rejects(input, code, line, column);
  });
}

test('columns count code points, so a wide character before the error counts once', () => {
  rejects(om('a{x="😀ü"} 1 1 junk'), 'bad-exemplar', 1, 15);
});

test('an error message quotes the offending text and names the rule', () => {
  const error = rejects(om('a 0x1'), 'bad-number');
  assert.match(error.detail, '"0x1"');
  assert.match(error.message, /^line 1, column 3: /);
});

test('an error message spells values as the exposition does: -0, +Inf, NaN', () => {
  assert.match(rejects(om('# TYPE i info', 'i_info -0'), 'bad-value').detail, 'has value -0:');
  assert.match(rejects(om('# TYPE i info', 'i_info +Inf'), 'bad-value').detail, 'has value +Inf:');
  assert.match(rejects(om('# TYPE c counter', 'c_total NaN'), 'bad-value').detail, 'has value NaN:');
});

test('a huge label set and a very long line end in a result or an error, not a hang', () => {
  const labels = Array.from({ length: 20_000 }, (_, i) => `l${i}="${i}"`).join(',');
  assert.is(parse(om(`a{${labels}} 1`))[0]?.samples[0]?.labels.length, 20_000);
  const duplicated = Array.from({ length: 20_000 }, (_, i) => `l${19_999 - i}="${i}"`).join(',');
  rejects(om(`a{${duplicated},l5="x"} 1`), 'duplicate-label', 1);
  rejects(`a\t${'x'.repeat(2_000_000)}\n# EOF\n`, 'unexpected-whitespace', 1, 2);
});

test.run();

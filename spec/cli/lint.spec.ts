// `omen lint` through the real dispatcher: files, stdin, format detection, usage errors, and every conformance case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import type { ConformanceCase } from '../support/conformance.js';
import { UPSTREAM_DIR, conformanceReport, ownCases, upstreamCases } from '../support/conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'omen-lint-'));

interface Run {
  code: number;
  out: string;
  err: string;
}

async function lint(args: string[], stdin = ''): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([Buffer.from(stdin)]), env: {}, cwd: dir };
  const code = await main(['lint', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return name;
}

test('a valid OpenMetrics file reports its families and samples and exits 0', async () => {
  const run = await lint([file('ok.om', '# TYPE a counter\na_total 1\na_created 2\n# TYPE b gauge\nb 1\n# EOF\n')]);
  assert.equal(run, { code: 0, out: 'ok: 2 families, 3 samples', err: '' });
});

test('an invalid file prints FILE:LINE:COL: message (code) and exits 1', async () => {
  const run = await lint([file('bad.om', '# TYPE a gauge\na 1\na{x="1"} 0x1\n# EOF\n')]);
  assert.is(run.code, 1);
  assert.match(run.out, /^bad\.om:3:10: invalid value "0x1": .* \(bad-number\)$/);
});

test('without --format a # EOF line selects OpenMetrics, its absence Prometheus 0.0.4', async () => {
  const prom = file('plain.prom', '# TYPE a_total counter\na_total 1 1692222226141\n');
  assert.equal(await lint([prom]), { code: 0, out: 'ok: 1 family, 1 sample', err: '' });
  // Read as OpenMetrics, the 0.0.4 counter TYPE line names a family whose total would be a_total_total.
  const forced = await lint(['--format', 'openmetrics', prom]);
  assert.is(forced.code, 1);
  assert.match(forced.out, /^plain\.prom:2:1: .*\(bad-sample-name\)$/);
  assert.match((await lint(['--format', 'openmetrics', file('gauge.prom', 'a 1\n')])).out, /:2:1: .*\(missing-eof\)$/);
  const om = file('tabs.om', 'a\t1\n# EOF\n');
  assert.match((await lint([om])).out, /tabs\.om:1:2: .*\(unexpected-whitespace\)$/);
  assert.equal(await lint(['--format=prometheus', file('tabs.prom', 'a\t1\n')]), { code: 0, out: 'ok: 1 family, 1 sample', err: '' });
});

test('without --format a truncated OpenMetrics file is told by its marks and reported for its missing # EOF', async () => {
  const truncated = '# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\nrpc_seconds_bucket{le="+Inf"} 1\nrpc_seconds_count 1\nrpc_seconds_sum 0.5\n';
  const run = await lint([file('truncated.om', truncated)]);
  assert.is(run.code, 1);
  assert.match(run.out, /^truncated\.om:6:1: .*\(missing-eof\)$/);
  assert.match(run.err, /read as openmetrics because line 2 has # UNIT; --format prometheus reads it the other way/);
});

const marks: Array<[string, string, string]> = [
  ['# UNIT', '# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n', 'line 2 has # UNIT'],
  ['an info TYPE', '# TYPE build info\nbuild_info{v="1"} 1\n', 'line 1 declares the OpenMetrics type info'],
  ['a stateset TYPE', '# TYPE s stateset\ns{s="a"} 1\n', 'line 1 declares the OpenMetrics type stateset'],
  ['a gaugehistogram TYPE', '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\n', 'line 1 declares the OpenMetrics type gaugehistogram'],
  ['an unknown TYPE', '# TYPE u unknown\nu 1\n', 'line 1 declares the OpenMetrics type unknown'],
  ['an exemplar', '# TYPE c counter\nc_total{a="b"} 1 # {trace="x"} 1\n', 'line 2 has an exemplar'],
  ['_created beside _total', '# TYPE c counter\nc_total 1\nc_created 1700000000\n', 'line 3 has c_created beside c_total'],
  ['an empty file', '', 'the input is empty'],
];
for (const [mark, text, evidence] of marks) {
  test(`without --format ${mark} means OpenMetrics, so a missing # EOF is reported`, async () => {
    const run = await lint([file('mark.txt', text)]);
    assert.is(run.code, 1, run.out);
    assert.match(run.out, /\(missing-eof\)$/);
    assert.ok(run.err.includes(`because ${evidence};`), run.err);
  });
}

const prometheusOnly: Array<[string, string]> = [
  ['a Python client 0.0.4 _created gauge family', '# TYPE c_total counter\nc_total 1\n# TYPE c_created gauge\nc_created 1700000000\n'],
  ['a label value holding " # {"', 'a{x="1 # {y}"} 1\n'],
  ['an escaped quote before " # {" in a label value', 'a{x="\\" # {"} 1\n'],
  ['a comment mentioning # UNIT', '# a comment: # UNIT is OpenMetrics\na 1\n'],
  ['_created without a _total', 'x_created 1\n'],
];
for (const [what, text] of prometheusOnly) {
  test(`without --format ${what} stays Prometheus 0.0.4 and passes`, async () => {
    const run = await lint([file('plain.txt', text)]);
    assert.is(run.code, 0, `${run.out} ${run.err}`);
  });
}

test('- reads stdin and names it <stdin> in errors', async () => {
  assert.equal(await lint(['-'], 'a 1\n# EOF\n'), { code: 0, out: 'ok: 1 family, 1 sample', err: '' });
  const run = await lint(['-'], 'a 1\nb 1\na 2\n');
  assert.equal([run.code, run.out.split(' ')[0]], [1, '<stdin>:3:1:']);
});

test('usage problems exit 2 with the usage text; a missing or unreadable input exits 2, not the findings code 1', async () => {
  for (const args of [[], ['-', '-'], ['--format', 'json', 'x'], ['--format'], ['--strict', 'x'], ['--max-bytes', '0', 'x'], ['--max-bytes', '1e3', 'x']]) {
    const run = await lint(args);
    assert.is(run.code, 2, args.join(' '));
    assert.match(run.err, /Usage: omen lint/);
  }
  const missing = await lint(['no-such-file.txt']);
  assert.is(missing.code, 2);
  assert.match(missing.err, /cannot read "no-such-file\.txt": ENOENT/);
  const directory = await lint(['.']);
  assert.is(directory.code, 2);
  assert.match(directory.err, /cannot read "\.": EISDIR/);
});

test('input is capped at --max-bytes: an endless file or stdin is given up on and exits 2', async () => {
  const endless = await lint(['--max-bytes', '1MiB', '/dev/zero']);
  assert.is(endless.code, 2);
  assert.match(endless.err, /\/dev\/zero is longer than --max-bytes 1048576 \(1 MiB\)/);
  const body = 'a 1\n# EOF\n';
  assert.is((await lint([`--max-bytes=${body.length}`, '-'], body)).code, 0, 'exactly the cap is read');
  const over = await lint([`--max-bytes=${body.length - 1}`, '-'], body);
  assert.is(over.code, 2);
  assert.match(over.err, /<stdin> is longer than --max-bytes/);
});

test('several files: each result names its file, every file is checked; exit 2 when one could not be read, else 1 when any fails', async () => {
  const good = file('good.prom', '# TYPE a gauge\na 1\n');
  const bad = file('bad.om', '# TYPE a counter\na_total 1\n');
  const run = await lint(['--format', 'openmetrics', good + '.missing', bad, file('good.om', '# TYPE a counter\na_total 1\n# EOF\n')]);
  assert.is(run.code, 2);
  assert.match(run.err, /cannot read "good\.prom\.missing": ENOENT/);
  assert.match(run.out, /^bad\.om:3:1: .*\(missing-eof\)$/m);
  assert.match(run.out, /^good\.om: ok: 1 family, 1 sample$/m);
  assert.is((await lint(['--format', 'openmetrics', bad, file('good2.om', '# TYPE a counter\na_total 1\n# EOF\n')])).code, 1);
  const clean = await lint([good, good]);
  assert.is(clean.code, 0);
  assert.equal(clean.out.split('\n'), ['good.prom: ok: 1 family, 1 sample', 'good.prom: ok: 1 family, 1 sample']);
});


/** Runs `omen lint ARGS FILE` on each case and lists every disagreement with its expected verdict. */
async function disagreements(cases: ConformanceCase[], args: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [i, { name, valid, input, path: given }] of cases.entries()) {
    const path = given ?? join(dir, `conformance-${i}.txt`);
    if (given === undefined) writeFileSync(path, input);
    const run = await lint([...args, path]);
    if (run.code !== (valid ? 0 : 1)) found.push(`${name}: exit ${run.code} ${run.out} ${run.err}`);
    if (!valid && !run.out.startsWith(`${path}:`)) found.push(`${name}: no FILE:LINE:COL in ${JSON.stringify(run.out)}`);
  }
  return found;
}

const own = ownCases();
test(`omen lint --format openmetrics agrees with all ${own.length} cases of omen's own corpus`, async () => {
  assert.equal(await disagreements(own, ['--format', 'openmetrics']), []);
});
// Without --format, a body with no OpenMetrics mark is read as 0.0.4 by design, so omen's corpus (which has
// such cases, e.g. samples without # EOF) runs with --format only.
conformanceReport('omen', 'lint', own.length, 0);

const upstream = upstreamCases();
for (const args of [['--format', 'openmetrics'], []]) {
  const how = args.length === 0 ? 'without --format' : args.join(' ');
  if (upstream === undefined) {
    conformanceReport('upstream', `lint ${how}`, 0, 0, `no suite at ${UPSTREAM_DIR}`);
    continue;
  }
  test(`omen lint ${how} agrees with shouldParse on all ${upstream.length} upstream cases`, async () => {
    assert.equal(await disagreements(upstream, args), []);
  });
  conformanceReport('upstream', `lint ${how}`, upstream.length, 0);
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();

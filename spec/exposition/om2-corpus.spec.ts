// The OpenMetrics 2.0 conformance corpus (fixtures/openmetrics2/): every case through the strict parser, the
// valid ones through the OM 2.0 writer and back, and every case through `omen lint --format openmetrics2`
// (in process through the real dispatcher, and a few as a child process of the built CLI).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CliIO } from '../../lib/cli/verb.js';
import { main } from '../../lib/cli.js';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';

const corpus = new URL('../../../fixtures/openmetrics2/', import.meta.url);
const cli = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));

/** Cases the corpus states as the spec has them but omen does not read that way, each with the reason. */
const SKIPPED: Readonly<Record<string, string>> = {
  'unknown-composite':
    'OM 2.0 lets an unknown family carry a composite value; the shared model keeps unknown samples as numbers, so the parser refuses it (bad-value) with a message saying so',
};

interface Case {
  name: string;
  expect: string;
  section: string;
  bytes: Buffer;
}

const cases: Case[] = readFileSync(new URL('MANIFEST.tsv', corpus), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((row) => {
    const [name = '', expect = '', section = ''] = row.split('\t');
    return { name, expect, section, bytes: readFileSync(new URL(`${name}.om2`, corpus)) };
  });

function outcome(bytes: Buffer): string {
  try {
    parse(bytes, { format: 'openmetrics2' });
    return 'valid';
  } catch (error) {
    if (error instanceof ParseError) return error.code;
    throw error;
  }
}

test('the corpus has at least 150 cases, valid and invalid, each naming the spec section it tests', () => {
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  const valid = cases.filter((c) => c.expect === 'valid').length;
  assert.ok(valid >= 50 && cases.length - valid >= 50, `${valid} valid, ${cases.length - valid} invalid`);
  for (const c of cases) assert.ok(/^[a-z0-9-]+$/.test(c.name) && c.section.length > 2 && c.expect.length > 2, c.name);
  assert.ok(Object.keys(SKIPPED).every((name) => cases.some((c) => c.name === name)), 'every skipped case exists');
});

test('every case parses to its expected verdict and error code', () => {
  const wrong = cases.filter((c) => SKIPPED[c.name] === undefined && outcome(c.bytes) !== c.expect).map((c) => `${c.name}: expected ${c.expect}, got ${outcome(c.bytes)}`);
  assert.equal(wrong, []);
});

test('skipped cases still fail the way their reason says', () => {
  assert.is(outcome(cases.find((c) => c.name === 'unknown-composite')!.bytes), 'bad-value');
});

test('invalid cases report a 1-based line and column inside the input', () => {
  for (const c of cases.filter((x) => x.expect !== 'valid')) {
    try {
      parse(c.bytes, { format: 'openmetrics2' });
    } catch (error) {
      assert.instance(error, ParseError);
      const { line, column } = error as ParseError;
      const lines = c.bytes.toString('utf8').split('\n').length + 1;
      assert.ok(line >= 1 && line <= lines && column >= 1, `${c.name}: line ${line}, column ${column}`);
    }
  }
});

test('valid cases written back in OpenMetrics 2.0 parse to the same model', () => {
  for (const c of cases.filter((x) => x.expect === 'valid' && SKIPPED[x.name] === undefined)) {
    const model = parse(c.bytes, { format: 'openmetrics2' });
    const written = writeModel(model, OPENMETRICS2);
    let again: unknown;
    try {
      again = parse(written, { format: 'openmetrics2' });
    } catch (error) {
      assert.unreachable(`${c.name}: the writer's output does not parse: ${String(error)}\n${written.toString()}`);
    }
    assert.equal(again, model, c.name);
  }
});

async function lint(path: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: () => {}, stdin: Readable.from([]), env: {}, cwd: fileURLToPath(corpus) };
  const code = await main(['lint', '--format', 'openmetrics2', path], io);
  return { code, out: out.join('\n') };
}

test('omen lint --format openmetrics2 agrees with the manifest on every case, as FILE:LINE:COL: message (code)', async () => {
  const wrong: string[] = [];
  for (const c of cases) {
    if (SKIPPED[c.name] !== undefined) continue;
    const run = await lint(`${c.name}.om2`);
    const expected = c.expect === 'valid' ? /^ok: \d+ famil(y|ies), \d+ samples?$/ : new RegExp(`^${c.name}\\.om2:\\d+:\\d+: .+ \\(${c.expect}\\)$`);
    if (run.code !== (c.expect === 'valid' ? 0 : 1) || !expected.test(run.out)) wrong.push(`${c.name}: ${run.code} ${run.out}`);
  }
  assert.equal(wrong, []);
});

test('without --format, lint reads 2.0 when a sample shows a composite value, st@ or a quoted name, and not for look-alikes in label values', async () => {
  const run = async (path: string, text?: string): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([Buffer.from(text ?? '')]), env: {}, cwd: fileURLToPath(corpus) };
    const code = await main(['lint', path], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  for (const name of ['native-all-fields', 'counter-start-timestamp', 'quoted-name-only', 'summary-quantiles']) assert.is((await run(`${name}.om2`)).code, 0, name);
  const failed = await run('native-span-bucket-mismatch.om2');
  assert.match(failed.err, /read as openmetrics2 because line 2 has a composite value/);
  const lookalike = await run('-', '# TYPE a gauge\na{b="x st@1",c=" {count:"} 1\n# EOF\n');
  assert.equal([lookalike.code, lookalike.out], [0, 'ok: 1 family, 1 sample']);
});

test('the built CLI lints corpus files as a child process', async () => {
  const run = promisify(execFile);
  const good = await run(process.execPath, [cli, 'lint', '--format', 'openmetrics2', fileURLToPath(new URL('native-and-classic.om2', corpus))]);
  assert.is(good.stdout.trim(), 'ok: 1 family, 5 samples');
  const failed = await run(process.execPath, [cli, 'lint', '--format=openmetrics2', fileURLToPath(new URL('native-span-bucket-mismatch.om2', corpus))]).then(
    () => undefined,
    (error: { code: number; stdout: string }) => error,
  );
  assert.is(failed?.code, 1);
  assert.match(failed?.stdout ?? '', /native-span-bucket-mismatch\.om2:2:\d+: .*positive_spans cover 2 bucket\(s\) but positive_buckets lists 3.* \(bad-native-buckets\)/);
});

test.run();

// spec/run.mjs, the runner `make test` uses, as a real child process: its closing line counts passed,
// failed and skipped tests honestly (never a negative count), and the line before it names the conformance
// corpora that ran.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(pattern: string, env: Record<string, string> = {}): { lines: string[]; status: number | null } {
  const result = spawnSync(process.execPath, ['spec/run.mjs', pattern], { cwd: ROOT, env: { ...process.env, OMEN_COVERAGE: '0', ...env }, encoding: 'utf8' });
  return { lines: result.stdout.trimEnd().split('\n'), status: result.status };
}

test('a skipped test is counted as skipped, not as a negative failure', () => {
  const { lines, status } = run('closing-line\\.fixture\\.js$');
  assert.is(lines.at(-1), '2 passed, 0 failed, 1 skipped');
  assert.is(lines.at(-2), 'conformance cases: none run by the selected specs');
  assert.is(status, 0);
});

test('a failing test is counted once and fails the run', () => {
  const { lines, status } = run('closing-line\\.fixture\\.js$', { CLOSING_LINE_FAIL: '1' });
  assert.is(lines.at(-1), '2 passed, 1 failed, 1 skipped');
  assert.is(status, 1);
});

test('the line before the closing line counts the conformance cases of each corpus', () => {
  const { lines, status } = run('exposition/conformance\\.spec\\.js$');
  assert.match(lines.at(-2)!, /^conformance cases: omen: parser \d+ ran, 0 skipped \| upstream: parser (\d+ ran, 0 skipped|skipped whole \(no suite at .*\))$/);
  assert.match(lines.at(-1)!, /^\d+ passed, 0 failed$/);
  assert.is(status, 0);
});

test.run();

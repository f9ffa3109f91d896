// Runs every compiled spec under uvu and closes with the line CI reads: "N passed, N failed[, N skipped]".
// uvu prints Total/Passed/Skipped but no such line, and a suite that throws while loading prints no totals
// at all, so both cases are turned into counts here. uvu's Total counts the tests that ran (a test.skip is
// not among them), so failed = Total - Passed, never below 0. The line before it says how many conformance
// cases of each corpus ran or were skipped, from the "conformance: CORPUS RUNNER ran N skipped M" lines the
// specs print; omen's own corpus must have run whenever the whole suite runs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// c8 runs inside so that its coverage summary comes before the closing line, not after it.
const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
const DEFAULT_PATTERN = '\\.spec\\.js$';
const pattern = process.argv[2] ?? DEFAULT_PATTERN;
const command = process.env.OMEN_COVERAGE === '0'
  ? [bin('uvu/bin.js'), 'dist/spec', pattern]
  : [bin('c8/bin/c8.js'), '--reporter=text-summary', '--exclude=dist/spec/**', '--exclude=dist/bench/**',
     process.execPath, bin('uvu/bin.js'), 'dist/spec', pattern];
const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'inherit'] });

let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString('utf8');
});
child.on('close', (code) => {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const conformance = conformanceSummary(plain);
  const count = (label) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(plain)?.[1] ?? NaN);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped') || 0;
  console.log(conformance.line);
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log('0 passed, 1 failed');
    process.exit(code || 1);
  }
  const failed = Math.max(0, total - passed) + conformance.failed;
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : code ?? 1);
});

/** One line per run: each corpus with the cases each runner ran or skipped; a missing own corpus is a failure. */
function conformanceSummary(text) {
  const corpora = new Map();
  for (const [, corpus, runner, ran, skipped, reason] of text.matchAll(/^conformance: (\S+) (.+?) ran (\d+) skipped (\d+)(?: \((.*)\))?$/gm)) {
    if (!corpora.has(corpus)) corpora.set(corpus, []);
    // A corpus a runner could not find is skipped whole; its reason says where it was looked for.
    corpora.get(corpus).push(Number(ran) === 0 && reason !== undefined ? `${runner} skipped whole (${reason})` : `${runner} ${ran} ran, ${skipped} skipped`);
  }
  const parts = [...corpora].map(([corpus, runs]) => `${corpus}: ${runs.join('; ')}`);
  const ownMissing = pattern === DEFAULT_PATTERN && !/^conformance: omen \S+ ran [1-9]/m.test(text);
  if (ownMissing) parts.unshift("omen's own corpus (fixtures/conformance) did not run");
  return { line: `conformance cases: ${parts.length > 0 ? parts.join(' | ') : 'none run by the selected specs'}`, failed: ownMissing ? 1 : 0 };
}

// Runs every compiled spec under uvu and closes with the line CI reads: "N passed, N failed".
// uvu prints Total/Passed/Skipped but no such line, and a suite that throws while loading
// prints no totals at all, so both cases are turned into counts here.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// c8 runs inside so that its coverage summary comes before the closing line, not after it.
const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
const pattern = process.argv[2] ?? '\\.spec\\.js$';
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
  const count = (label) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(plain)?.[1] ?? NaN);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped') || 0;
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log('0 passed, 1 failed');
    process.exit(code || 1);
  }
  const failed = total - passed - skipped;
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 ? 1 : code ?? 1);
});

// The package as a user gets it: `npm pack` this tree, install the tarball offline into a fresh temporary
// project, then run an ES module, a CommonJS module and `tsc --noEmit` (no skipLibCheck, so the shipped
// declarations are checked too) for ESM and CommonJS consumers under nodenext, node16 and bundler.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const USE_ESM = `import { Registry, negotiateFormat, parse } from 'omen';
import { WindowedQuantiles } from 'omen/internals';
const registry = new Registry();
const hits = registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['route'] as const });
hits.labels({ route: '/' }).inc();
const text = (await registry.scrape(negotiateFormat('application/openmetrics-text'))).toString();
if (parse(text, { format: 'openmetrics' })[0]?.name !== 'hits') throw new Error(text);
if (typeof WindowedQuantiles !== 'function') throw new Error('internals');
console.log('esm ok');
`;
const USE_CJS = `const { Registry, PROMETHEUS } = require('omen');
const registry = new Registry();
registry.gauge({ name: 'up', help: 'Up.' }).set(1);
registry.scrape(PROMETHEUS).then((bytes) => {
  if (!bytes.toString().includes('up 1')) throw new Error(bytes.toString());
  console.log('cjs ok');
});
`;
// What a TypeScript user writes; the typed label names must reject a wrong label at compile time.
const USE_TS = `import { Registry, type CounterChild, type HistogramOptions } from 'omen';
import { CkmsStream } from 'omen/internals';
const registry = new Registry({ defaultLabels: { service: 'api' } });
const options: HistogramOptions = { name: 'latency_seconds', help: 'Latency.', unit: 'seconds' };
const latency = registry.histogram({ ...options, labelNames: ['route', 'code'] as const });
const end = latency.startTimer({ route: '/', code: '200' });
end();
const child: CounterChild = registry.counter({ name: 'n', help: 'N.' }).labels();
child.inc(1, { trace_id: 'abc' });
// @ts-expect-error: 'path' is not one of the label names
latency.labels({ path: '/', code: '200' });
export const stream = new CkmsStream([{ q: 0.5, error: 0.05 }]);
`;

const CONSUMERS: { name: string; type: 'module' | 'commonjs'; module: string; moduleResolution: string; file: string }[] = [
  { name: 'nodenext ESM', type: 'module', module: 'nodenext', moduleResolution: 'nodenext', file: 'use.ts' },
  { name: 'nodenext CommonJS', type: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext', file: 'use.ts' },
  { name: 'node16 ESM', type: 'module', module: 'node16', moduleResolution: 'node16', file: 'use.ts' },
  { name: 'node20 CommonJS', type: 'commonjs', module: 'node20', moduleResolution: 'node16', file: 'use.ts' },
  // TypeScript's node16 models Node 16, which cannot require an ES module: a CommonJS project on node16 gets
  // TS1479 for any ESM-only package, so its .mts files are what imports omen there.
  { name: 'node16 CommonJS project, .mts file', type: 'commonjs', module: 'node16', moduleResolution: 'node16', file: 'use.mts' },
  { name: 'bundler', type: 'module', module: 'esnext', moduleResolution: 'bundler', file: 'use.ts' },
];

let work = '';
let project = '';

test.before(() => {
  work = mkdtempSync(join(tmpdir(), 'omen-pack-'));
  npm(['pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  project = join(work, 'app');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  npm(['install', '--offline', '--ignore-scripts', join(work, tarball!)], project);
});

test.after(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the library, LICENSE, README, CHANGELOG and source maps whose sources are shipped', () => {
  const installed = join(project, 'node_modules/omen');
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/internals.d.ts']) {
    assert.ok(existsSync(join(installed, file)), `${file} is in the package`);
  }
  const listing = execFileSync('find', [installed, '-name', '*.js'], { encoding: 'utf8' }).trim().split('\n');
  let checked = 0;
  for (const file of listing) {
    const map = /\/\/# sourceMappingURL=(\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
    if (map === undefined) continue;
    const mapFile = join(file, '..', map);
    assert.ok(existsSync(mapFile), `${file} points at ${map}, which is shipped`);
    const { sources } = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[] };
    for (const source of sources) assert.ok(existsSync(join(mapFile, '..', source)), `${map} points at ${source}, which is shipped`);
    checked++;
  }
  assert.ok(checked > 50, `${checked} source maps checked`);
  assert.not.ok(existsSync(join(installed, 'dist/spec')), 'specs are not shipped');
});

test('@internal members are stripped from the shipped declarations', () => {
  const family = readFileSync(join(project, 'node_modules/omen/dist/lib/metrics/family.d.ts'), 'utf8');
  assert.not.ok(family.includes('writeTo('), 'Family.writeTo is @internal');
  assert.ok(family.includes('labels('), 'Family.labels is public');
});

test('an ES module imports omen and omen/internals', () => {
  writeFileSync(join(project, 'esm.mjs'), USE_ESM.replace(" as const", ''));
  assert.is(execFileSync(process.execPath, ['esm.mjs'], { cwd: project, encoding: 'utf8' }).trim(), 'esm ok');
});

test('a CommonJS module requires omen (Node 20.19+ loads ES modules from require)', () => {
  writeFileSync(join(project, 'cjs.cjs'), USE_CJS);
  const output = execFileSync(process.execPath, ['cjs.cjs'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.is(output.trim(), 'cjs ok');
});

// The type checks start together once the tarball is installed (two at a time would double the wall time).
const checks = new Map<string, Promise<string>>();

function startCheck(consumer: (typeof CONSUMERS)[number]): Promise<string> {
  const dir = join(work, consumer.name.replace(/\W+/g, '-'));
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('ln', ['-sfn', join(project, 'node_modules'), join(dir, 'node_modules')]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: consumer.type }));
  const compilerOptions = { module: consumer.module, moduleResolution: consumer.moduleResolution, target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')], lib: ['es2022'] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [consumer.file] }));
  writeFileSync(join(dir, consumer.file), USE_TS);
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' }, (error, stdout, stderr) => resolve(error === null ? '' : `${stdout}${stderr}` || String(error)));
  });
}

for (const consumer of CONSUMERS) {
  test(`tsc --noEmit type-checks a ${consumer.name} consumer (no skipLibCheck)`, async () => {
    if (!checks.has(consumer.name)) for (const each of CONSUMERS) checks.set(each.name, startCheck(each));
    const failure = await checks.get(consumer.name)!;
    assert.is(failure, '', `tsc failed for ${consumer.name}:\n${failure}`);
  });
}

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_MODULE, loadDemo } from '../../lib/server/demo.js';
import { tempDir } from './harness.js';

let dir: string;
const module = (name: string, source?: string) => {
  const path = join(dir, name);
  if (source !== undefined) writeFileSync(path, source);
  return pathToFileURL(path);
};

test.before.each(() => {
  dir = tempDir('omen-demo-');
});

test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('the hook lives at lib/platform/demo.js beside lib/server', () => {
  assert.ok(DEMO_MODULE.href.endsWith('/lib/platform/demo.js'), DEMO_MODULE.href);
});

test('a platform that is not built yet means no demo, not an error', async () => {
  assert.is(await loadDemo(module('demo.mjs')), undefined);
});

test('a built platform hands back its startDemo, which gets the context', async () => {
  const startDemo = await loadDemo(module('demo.mjs', 'export function startDemo(context) { context.log(`demo in ${context.region}`); return { stop() {} }; }'));
  assert.type(startDemo, 'function');
  const lines: string[] = [];
  const handle = await startDemo!({ region: 'eu-west-1', log: (line: string) => lines.push(line) } as never);
  assert.equal(lines, ['demo in eu-west-1']);
  assert.type(handle.stop, 'function');
});

test('a module without startDemo is no demo', async () => {
  assert.is(await loadDemo(module('demo.mjs', 'export const somethingElse = 1;')), undefined);
});

test('a built platform that fails to load is an error, not "not built"', async () => {
  await loadDemo(module('demo.mjs', "import './missing-dependency.mjs'; export function startDemo() {}")).then(
    () => assert.unreachable('a broken platform must not be mistaken for a missing one'),
    (error: NodeJS.ErrnoException) => assert.is(error.code, 'ERR_MODULE_NOT_FOUND'),
  );
});

test.run();

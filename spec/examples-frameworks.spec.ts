// The framework examples (examples/express, fastify, koa, hono) are not installed here; this holds what can
// be checked without their frameworks: each is an ES module that parses, depends on this checkout, and
// imports from omen only names the root export has.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as omen from '../lib/index.js';

const EXAMPLES = new URL('../../examples/', import.meta.url);

for (const framework of ['express', 'fastify', 'koa', 'hono']) {
  test(`examples/${framework} imports real omen exports and parses`, () => {
    const manifest = JSON.parse(readFileSync(new URL(`${framework}/package.json`, EXAMPLES), 'utf8')) as { type: string; dependencies: Record<string, string> };
    assert.is(manifest.type, 'module');
    assert.is(manifest.dependencies.omen, 'file:../..');
    const path = fileURLToPath(new URL(`${framework}/server.mjs`, EXAMPLES));
    const source = readFileSync(path, 'utf8');
    const names = /import \{([^}]+)\} from 'omen';/.exec(source)?.[1]?.split(',').map((name) => name.trim()) ?? [];
    assert.ok(names.length > 0, 'imports from omen');
    for (const name of names) assert.ok(name in omen, `${name} is a root export`);
    const check = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8' });
    assert.is(check.status, 0, check.stderr);
  });
}

test.run();

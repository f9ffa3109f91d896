// `omen -V`, `-v` and `--version` print package.json's version and exit 0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

for (const flag of ['-V', '-v', '--version']) {
  test(`omen ${flag} prints the version`, async () => {
    const out: string[] = [];
    const code = await main([flag], { out: (t) => void out.push(t), err: () => {}, stdin: Readable.from([]), env: {}, cwd: '.' });
    assert.is(code, 0);
    assert.equal(out, [version]);
  });
}

test.run();

// Not a spec: spec/run.spec.ts runs it through spec/run.mjs to check the closing line. Two tests pass, one
// is skipped, and one fails when CLOSING_LINE_FAIL is set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('passes', () => assert.ok(true));
test('passes too', () => assert.ok(true));
test.skip('skipped on purpose');
if (process.env.CLOSING_LINE_FAIL === '1') test('fails on request', () => assert.unreachable('asked to fail'));
test.run();

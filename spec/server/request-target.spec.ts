import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { echo, MAX_ECHO, parseRequestTarget, RequestTargetError } from '../../lib/server/request-target.js';

const ok = (target: string, path: string, search = '') => assert.equal(parseRequestTarget(target), { path, search }, target);
const bad = (target: string, problem: RegExp) =>
  assert.throws(
    () => parseRequestTarget(target),
    (error: unknown) => error instanceof RequestTargetError && problem.test(error.message),
    target,
  );

test('origin-form targets are taken as sent, split at the first "?"', () => {
  ok('/', '/');
  ok('/healthz', '/healthz');
  ok('/healthz?', '/healthz', '?');
  ok('/a?b=1&c=?', '/a', '?b=1&c=?');
  ok('//evil/healthz', '//evil/healthz');
  ok('/a/../healthz', '/a/../healthz');
  ok('/%2e%2e/x', '/%2e%2e/x');
  ok('/a#b', '/a#b');
});

test('absolute-form targets give the path after the authority, "/" when there is none', () => {
  ok('http://example.com/healthz', '/healthz');
  ok('https://example.com:8443/a/b?c', '/a/b', '?c');
  ok('HTTP://Example.COM/x', '/x');
  ok('http://example.com', '/');
  ok('http://example.com?q=/x', '/', '?q=/x');
  ok('http://user@[::1]:80/x', '/x');
  ok('http://example.com//evil', '//evil');
});

test('anything else is refused, quoting the target and the forms accepted', () => {
  bad('http://[::1', /^invalid request target "http:\/\/\[::1": an absolute URL that does not parse; send a path starting with "\/" \(e\.g\. \/healthz\) or an absolute http\(s\) URL$/);
  bad('*', /"\*": not a path/);
  bad('', /"": not a path/);
  bad('healthz', /not a path/);
  bad('example.com:443', /not a path/);
  bad('ftp://example.com/x', /not a path/);
  bad('http://exa mple.com/', /does not parse/);
});

test('echo quotes short text whole and cuts long text at MAX_ECHO characters', () => {
  assert.is(echo('/x'), '"/x"');
  assert.is(echo('"\n'), '"\\"\\n"');
  assert.is(echo('a'.repeat(MAX_ECHO)), `"${'a'.repeat(MAX_ECHO)}"`);
  assert.is(echo('a'.repeat(MAX_ECHO + 1)), `"${'a'.repeat(MAX_ECHO)}…"`);
  assert.is(echo('a'.repeat(16_384)).length, MAX_ECHO + 3);
});

test.run();

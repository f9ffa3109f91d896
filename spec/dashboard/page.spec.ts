// GET / on the Metrics API server (no browser needed): the page is served without a key as one HTML
// document whose inline script and style are exactly the ones its Content-Security-Policy allows by hash,
// and the metrics route names the catalog version in Omen-Catalog-Version when the server is given one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { Registry } from '../../lib/registry.js';
import { startServer } from '../server/harness.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('GET / answers 200 without a key; the CSP allows exactly the inline script and style', async () => {
  const h = await startServer({ source: new Registry() });
  try {
    const res = await h.get('/');
    assert.is(res.status, 200);
    assert.is(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.is(res.headers['x-content-type-options'], 'nosniff');
    const html = res.body.toString('utf8');
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
    assert.is(scripts.length, 1);
    assert.is(styles.length, 1);
    assert.not.match(html, /<script[^>]+src=|<link[^>]+stylesheet|style="/, 'no external script, sheet or inline style attribute');
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(csp.split('; ').map((part) => [part.split(' ')[0]!, part.split(' ').slice(1).join(' ')]));
    assert.is(directives.get('default-src'), "'none'");
    assert.is(directives.get('script-src'), hash(scripts[0]!));
    assert.is(directives.get('style-src'), hash(styles[0]!));
    assert.is(directives.get('connect-src'), "'self'");
    assert.is((await h.get('/', {}, 'HEAD')).status, 200);
    assert.is((await h.get('/', {}, 'POST')).status, 405);
  } finally {
    await h.stop();
  }
});

test('metrics answers carry Omen-Catalog-Version when the server has one, and only then', async () => {
  const withVersion = await startServer({ source: new Registry(), catalogVersion: '1.1' });
  const without = await startServer({ source: new Registry() });
  try {
    const auth = (key: string) => ({ Authorization: `Tecton-key ${key}` });
    const res = await withVersion.get(METRICS_PATH, { ...auth(withVersion.apiKey), 'Accept-Encoding': 'gzip' });
    assert.is(res.status, 200);
    assert.is(res.headers['omen-catalog-version'], '1.1');
    assert.is((await withVersion.get(METRICS_PATH, auth(withVersion.apiKey))).headers['omen-catalog-version'], '1.1');
    assert.is((await without.get(METRICS_PATH, auth(without.apiKey))).headers['omen-catalog-version'], undefined);
    assert.is((await withVersion.get(METRICS_PATH)).status, 401, 'the page is open; the data is not');
  } finally {
    await withVersion.stop();
    await without.stop();
  }
});

test.run();

// The dashboard page in a real headless Chromium against `omen serve --demo` as a real process: the banner's
// link (key in the fragment) shows every catalog family with numbers that change between polls, under the
// page's own Content-Security-Policy; a wrong key shows the 401 state; the page fits a phone and has a dark
// scheme; a 503 and an unreachable server have their own states. Writes dist/dashboard.png (and docs/dashboard.png when OMEN_UPDATE_SCREENSHOT=1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AddressInfo } from 'node:net';
import type { RouteRequest } from '../../lib/server/router.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from '../support/chromium.js';
import type { DemoProcess } from '../support/demo-process.js';
import { CATALOG_0_7 } from '../../lib/catalog/catalog-0.7.js';
import { dashboardRoute } from '../../lib/dashboard/page.js';
import { Chromium, findChromium } from '../support/chromium.js';
import { startDemoProcess } from '../support/demo-process.js';

const BOUND_MS = 60_000;
const ROOT = new URL('../../../', import.meta.url);
const binary = findChromium();

/** Polls `read` in the page until `done` holds, at most BOUND_MS; fails with the last value read. */
async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + BOUND_MS;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each family card's numbers, as the page rendered them (data-value on each row). */
const familyValues = (page: Page) =>
  page.evaluate<Record<string, number[]>>(`Object.fromEntries([...document.querySelectorAll('article[data-family]:not([hidden])')]
    .map((a) => [a.dataset.family, [...a.querySelectorAll('[data-value]')].map((v) => Number(v.dataset.value))]))`);

const pageState = (page: Page) => page.evaluate<string>("document.body?.dataset.state ?? ''");

if (binary === undefined) {
  console.log('dashboard: skipped: no "chromium" on PATH (apt-get install -y chromium)');
  test.skip('the dashboard page shows every catalog family live in a real browser');
} else {
  let demo: DemoProcess | undefined;
  let browser: Chromium | undefined;

  test.before(async () => {
    demo = await startDemoProcess();
    browser = Chromium.launch(binary);
  });

  test.after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  test('GET / serves the page without a key, with a CSP that allows only its own script and style', async () => {
    const res = await fetch(`http://127.0.0.1:${demo!.port}/`);
    assert.is(res.status, 200);
    assert.is(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
    assert.match(csp, /connect-src 'self'/);
    assert.not.match(await res.text(), /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'no external asset');
    const metrics = await fetch(`http://127.0.0.1:${demo!.port}/api/v1/observability/metrics`, { headers: { Authorization: `Tecton-key ${demo!.apiKey}` } });
    assert.is(metrics.headers.get('omen-catalog-version'), CATALOG_0_7.version);
  });

  test('the banner link shows every catalog family with numbers that change between polls', async () => {
    const page = await browser!.open(`${demo!.dashboard}&poll=1`, 1280, 800);
    const wanted = CATALOG_0_7.metrics.map((metric) => metric.name);
    const first = await until('every catalog family with a number', () => familyValues(page), (seen) =>
      wanted.every((name) => (seen[name]?.length ?? 0) > 0 && seen[name]!.every(Number.isFinite)),
    );
    assert.is(await pageState(page), 'live');
    assert.is(await page.evaluate<string>('location.hash'), '#poll=1', 'the key left the address bar');
    assert.is(await page.evaluate<string>("sessionStorage.getItem('omen.apiKey')"), demo!.apiKey);
    assert.is(await page.evaluate<string>("document.getElementById('catalog').textContent"), `catalog ${CATALOG_0_7.version}`);
    // The stylesheet ran under the CSP (its hash matched): the body lost its default margin.
    assert.is(await page.evaluate<string>('getComputedStyle(document.body).margin'), '0px');
    const groups = await page.evaluate<string[]>("[...document.querySelectorAll('section:not([hidden]) > h2')].map((h) => h.textContent)");
    assert.equal(groups, ['Feature serving', 'Spark streaming', 'Stream Ingest API']);
    const stages = await page.evaluate<string[]>("[...document.querySelectorAll('article .stage')].map((s) => s.textContent)");
    assert.is(stages.length, wanted.length, 'every family shows its release stage');

    // Each family is watched over several polls and must show a new number, except a window's max or min:
    // that holds still until a larger (smaller) value arrives or the old one leaves the five-minute window.
    const moving = CATALOG_0_7.metrics.filter((metric) => !(['max', 'min'] as string[]).includes(metric.kind)).map((metric) => metric.name);
    assert.ok(moving.length >= wanted.length - 2, 'all but the windowed extremes must move');
    const moved = new Set<string>();
    await until('every family to show a new number', () => familyValues(page), (now) => {
      for (const name of moving) if (JSON.stringify(now[name]) !== JSON.stringify(first[name])) moved.add(name);
      return moved.size === moving.length;
    }).catch((error: Error) => assert.unreachable(`${error.message}\nnever changed: ${moving.filter((name) => !moved.has(name)).join(', ')}`));

    // A few more polls so the sparklines have a shape, then the picture the README shows.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const points = await page.evaluate<number>("document.querySelector('svg.spark polyline').getAttribute('points').split(' ').length");
    assert.ok(points >= 3, `the sparkline holds the polls so far (${points})`);
    const png = await page.screenshot();
    mkdirSync(new URL('dist/', ROOT), { recursive: true });
    writeFileSync(new URL('dist/dashboard.png', ROOT), png);
    if (process.env.OMEN_UPDATE_SCREENSHOT === '1') writeFileSync(new URL('docs/dashboard.png', ROOT), png);
    console.log(`dashboard: screenshot in ${fileURLToPath(new URL('dist/dashboard.png', ROOT))}`);
  });

  test('a wrong key shows the 401 state and focuses the key field; a typed key and Enter bring the page live', async () => {
    const page = await browser!.open(`http://127.0.0.1:${demo!.port}/#key=not-a-key&poll=1`, 1280, 800);
    await until('the 401 state', () => pageState(page), (state) => state === 'unauthorized');
    const notice = await page.evaluate<{ hidden: boolean; text: string; focused: string }>(
      "({ hidden: document.getElementById('notice').hidden, text: document.getElementById('notice').textContent, focused: document.activeElement.id })",
    );
    assert.not.ok(notice.hidden);
    assert.match(notice.text, /Key refused \(401\)/);
    assert.is(notice.focused, 'key', 'the key field has the focus, so the keyboard can fix it at once');
    assert.is(await page.evaluate<number>("document.querySelectorAll('article[data-family]').length"), 0, 'no data without a key');
    // From the keyboard alone: type the right key into the focused field and press Enter.
    await page.send('Input.insertText', { text: demo!.apiKey });
    for (const type of ['keyDown', 'keyUp']) await page.send('Input.dispatchKeyEvent', { type, key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: type === 'keyDown' ? '\r' : undefined });
    await until('live after a typed key', () => pageState(page), (state) => state === 'live');
    assert.is(await page.evaluate<string>("document.getElementById('key').value"), '', 'the field does not keep the key on screen');
  });

  test('at phone width nothing scrolls sideways, and the dark scheme changes the colours', async () => {
    const page = await browser!.open(`${demo!.dashboard}&poll=1`, 390, 844);
    await until('live', () => pageState(page), (state) => state === 'live');
    await until('cards', () => familyValues(page), (seen) => Object.keys(seen).length > 0);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `page is ${overflow} px wider than the phone`);
    const light = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
    const dark = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.is.not(dark, light);
  });

  test('a 503 from the metrics route (fleet mode with its engine down) shows its state and the Retry-After', async () => {
    // A plain node:http server: the same page bytes at /, and a metrics route that answers as fleet mode does when Prometheus is down.
    const route = dashboardRoute();
    const server = createServer((req, res) => {
      if (req.url === '/') return void route({ req, res } as RouteRequest);
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '7' }).end('the metrics engine is not answering\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const page = await browser!.open(`http://127.0.0.1:${port}/#key=any&poll=1`, 1280, 800);
      await until('the 503 state', () => pageState(page), (state) => state === 'unavailable');
      assert.match(await page.evaluate<string>("document.getElementById('notice').textContent"), /Metrics unavailable \(503\).*not answering.*Retrying in 7 s/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // Last: it stops the server.
  test('an unreachable server shows its own state and keeps the last values', async () => {
    const page = await browser!.open(`${demo!.dashboard}&poll=1`, 1280, 800);
    await until('cards', () => familyValues(page), (seen) => Object.keys(seen).length > 0);
    await demo!.stop();
    await until('the unreachable state', () => pageState(page), (state) => state === 'unreachable');
    assert.ok((await page.evaluate<number>("document.querySelectorAll('article[data-family]:not([hidden])').length")) > 0, 'the last values stay');
  });
}

test.run();

// GET /: the dashboard page, one self-contained HTML document (inline style and script, no other asset)
// rendered once at load and served as the same bytes to every request. The page holds no data, so it needs
// no key; it calls the Metrics API like any client. Always: a Content-Security-Policy that allows only this
// page's own script and style (by hash) and fetches to this origin.
import type { RouteHandler } from '../server/router.js';
import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './script.js';
import { DASHBOARD_STYLE } from './style.js';

export const DASHBOARD_PATH = '/';

/** The response header that names the catalog version the metrics route serves; the page shows it. */
export const CATALOG_VERSION_HEADER = 'Omen-Catalog-Version';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${sha256(DASHBOARD_SCRIPT)}`,
  `style-src ${sha256(DASHBOARD_STYLE)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>omen · Metrics API</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLE}</style>
</head>
<body data-state="waiting">
<a class="skip" href="#main">Skip to metrics</a>
<header>
  <h1>omen <small>Metrics API</small></h1>
  <span class="badge" id="catalog">catalog …</span>
  <span id="status" role="status" aria-live="polite">Connecting…</span>
  <span id="updated"></span>
  <span class="spacer"></span>
  <form id="key-form" autocomplete="off">
    <label for="key">API key</label>
    <input id="key" name="key" type="password" placeholder="Tecton-key" spellcheck="false">
    <button type="submit">Use key</button>
    <button type="button" id="forget">Forget key</button>
  </form>
</header>
<div id="notice" role="alert" hidden><h2 id="notice-title"></h2><p id="notice-text"></p></div>
<main id="main" tabindex="-1">
  <section id="group-serving" aria-labelledby="h-serving" hidden><h2 id="h-serving">Feature serving</h2><div class="grid" id="grid-serving"></div></section>
  <section id="group-spark" aria-labelledby="h-spark" hidden><h2 id="h-spark">Spark streaming</h2><div class="grid" id="grid-spark"></div></section>
  <section id="group-ingest" aria-labelledby="h-ingest" hidden><h2 id="h-ingest">Stream Ingest API</h2><div class="grid" id="grid-ingest"></div></section>
  <section id="group-other" aria-labelledby="h-other" hidden><h2 id="h-other">Other</h2><div class="grid" id="grid-other"></div></section>
</main>
<footer>Values are the Metrics API's own five-minute windows; the sparklines keep the last 15 minutes seen by this tab. The key stays in this tab's sessionStorage.</footer>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;

const BODY = Buffer.from(HTML, 'utf8');

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Length': BODY.length,
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** Serves the page; mount it without auth (it carries no data). */
export function dashboardRoute(): RouteHandler {
  return ({ res }) => void res.writeHead(200, HEADERS).end(BODY);
}

// `omen scrape` against a node:http server on 127.0.0.1, port 0: headers sent, parser choice, the family table,
// and each way a scrape fails (HTTP status, invalid body, refused connection, timeout).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { DEFAULT_ACCEPT } from '../../lib/cli/scrape.js';

const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const PROM = 'text/plain; version=0.0.4; charset=utf-8';
const OM_BODY = [
  '# TYPE rpc_seconds histogram',
  '# UNIT rpc_seconds seconds',
  'rpc_seconds_bucket{path="/a",le="0.1"} 1',
  'rpc_seconds_bucket{path="/a",le="+Inf"} 2',
  'rpc_seconds_count{path="/a"} 2',
  'rpc_seconds_sum{path="/a"} 0.3',
  'rpc_seconds_bucket{path="/b",le="0.1"} 0',
  'rpc_seconds_bucket{path="/b",le="+Inf"} 0',
  '# TYPE up gauge',
  'up 1',
  '# EOF',
  '',
].join('\n');

const seen: IncomingHttpHeaders[] = [];
let server: Server;
let base = '';

const routes: Record<string, (send: (status: number, type: string | undefined, body: string | Buffer, extra?: Record<string, string>) => void) => void> = {
  '/om': (send) => send(200, OM, OM_BODY),
  '/prom': (send) => send(200, PROM, '# TYPE jobs_total counter\njobs_total{q="a"} 3 1692222226141\njobs_total{q="b"} 4 1692222226141\n'),
  '/gzip': (send) => send(200, OM, gzipSync(OM_BODY), { 'content-encoding': 'gzip' }),
  '/untyped-body': (send) => send(200, undefined, 'a 1\n'),
  '/invalid': (send) => send(200, OM, 'a 1\na 2\n# EOF\n'),
  '/denied': (send) => send(401, 'text/plain', 'missing or invalid Tecton-key\nsecond line\n'),
  '/stall': () => undefined,
};

test.before(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers);
    const route = routes[request.url ?? ''];
    if (route === undefined) {
      response.writeHead(404).end('no such path\n');
      return;
    }
    route((status, type, body, extra = {}) => {
      response.writeHead(status, { ...(type === undefined ? {} : { 'content-type': type }), ...extra }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function scrape(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {}, cwd: process.cwd() };
  const code = await main(['scrape', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('an OpenMetrics answer is validated and listed by family, with the Prometheus Accept header and the key', async () => {
  seen.length = 0;
  const run = await scrape([`${base}/om`, '--key', 's3cret']);
  assert.is(run.code, 0, run.err);
  assert.is(seen[0]?.accept, DEFAULT_ACCEPT);
  assert.is(seen[0]?.authorization, 'Tecton-key s3cret');
  const rows = run.out.split('\n').map((row) => row.split(/\s+/));
  assert.equal(rows.slice(0, 3), [['NAME', 'TYPE', 'SERIES', 'SAMPLES'], ['rpc_seconds', 'histogram', '2', '6'], ['up', 'gauge', '1', '1']]);
  assert.match(run.out, /2 families, 3 series, 7 samples \(openmetrics, \d+ bytes\)$/);
});

test('the Content-Type picks the parser: text/plain is Prometheus 0.0.4', async () => {
  const run = await scrape([`${base}/prom`]);
  assert.is(run.code, 0, run.err);
  assert.match(run.out, /jobs\s+counter\s+2\s+2/);
  assert.match(run.out, /\(prometheus, /);
});

test('--format narrows the Accept header and is the fallback for an unnamed Content-Type', async () => {
  seen.length = 0;
  const run = await scrape([`${base}/untyped-body`, '--format=prometheus']);
  assert.is(run.code, 0);
  assert.is(seen[0]?.accept, 'text/plain;version=0.0.4');
  assert.match(run.err, /names no known format; parsing as prometheus/);
});

test('a gzip-encoded answer is decoded before parsing', async () => {
  const run = await scrape([`${base}/gzip`]);
  assert.is(run.code, 0, run.err);
  assert.match(run.out, /rpc_seconds\s+histogram/);
});

test('an invalid body is reported as URL:LINE:COL with its code and exits 1', async () => {
  const run = await scrape([`${base}/invalid`]);
  assert.is(run.code, 1);
  assert.ok(run.out.startsWith(`${base}/invalid:2:1: `), run.out);
  assert.match(run.out, /\(duplicate-series\) \[openmetrics\]$/);
});

test('a non-2xx answer prints the status and the first line of the body and exits 1', async () => {
  const run = await scrape([`${base}/denied`]);
  assert.is(run.code, 1);
  assert.match(run.err, /HTTP 401 Unauthorized: missing or invalid Tecton-key$/);
});

test('a refused connection is reported with its cause and exits 1', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const run = await scrape([`http://127.0.0.1:${port}/metrics`]);
  assert.is(run.code, 1);
  assert.match(run.err, /request failed: .*ECONNREFUSED/);
});

test('a server that never answers is given up on after --timeout and exits 1', async () => {
  const run = await scrape([`${base}/stall`, '--timeout', '0.05']);
  assert.is(run.code, 1);
  assert.match(run.err, /no complete answer within 0\.05 s/);
});

test('usage problems exit 2', async () => {
  for (const args of [[], ['ftp://x/metrics'], ['not a url'], [`${base}/om`, '--timeout', '-1'], [`${base}/om`, '--timeout', 'soon'], [`${base}/om`, '--key'], [`${base}/om`, '--format', 'xml']]) {
    assert.is((await scrape(args)).code, 2, args.join(' '));
  }
});

test.run();

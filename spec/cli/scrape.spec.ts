// `omen scrape` against a node:http server on 127.0.0.1, port 0: headers sent, where the key comes from,
// parser choice, the family table, and each way a scrape fails (HTTP status, invalid or oversized body,
// refused connection, timeout).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { DEFAULT_MAX_BYTES } from '../../lib/cli/input-cap.js';
import { DEFAULT_ACCEPT } from '../../lib/cli/scrape.js';

const dir = mkdtempSync(join(tmpdir(), 'omen-scrape-'));
/** A valid 0.0.4 body of exactly `bytes` bytes: one gauge whose HELP text pads it out. */
function sized(bytes: number): string {
  const head = '# HELP pad ';
  const tail = '\n# TYPE pad gauge\npad 1\n';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}
/** Bytes the endless route had written when its client went away. */
let endlessWritten = 0;

function endless(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': PROM });
  const chunk = Buffer.from(`# ${'x'.repeat(16 * 1024 - 3)}\n`);
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk)) endlessWritten += chunk.length;
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

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

type Send = (status: number, type: string | undefined, body: string | Buffer, extra?: Record<string, string>) => void;
const routes: Record<string, (send: Send, response: ServerResponse) => void> = {
  '/om': (send) => send(200, OM, OM_BODY),
  '/prom': (send) => send(200, PROM, '# TYPE jobs_total counter\njobs_total{q="a"} 3 1692222226141\njobs_total{q="b"} 4 1692222226141\n'),
  '/gzip': (send) => send(200, OM, gzipSync(OM_BODY), { 'content-encoding': 'gzip' }),
  '/untyped-body': (send) => send(200, undefined, 'a 1\n'),
  '/invalid': (send) => send(200, OM, 'a 1\na 2\n# EOF\n'),
  '/denied': (send) => send(401, 'text/plain', 'missing or invalid Tecton-key\nsecond line\n'),
  '/stall': () => undefined,
  '/2048': (send) => send(200, PROM, sized(2048)),
  '/bomb': (send) => send(200, PROM, gzipSync(sized(1024 * 1024)), { 'content-encoding': 'gzip' }),
  '/endless': (_send, response) => endless(response),
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
    }, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function scrape(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env, cwd: dir };
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

test('control characters in the reason phrase and body are escaped, so none reaches the terminal', async () => {
  // node:http refuses to send such a reason phrase, so the answer is written on a raw socket.
  const body = '\x1b[2J\x1b[31mred\x07 alert\x7f\u009b\n';
  const raw = createNetServer((socket) => {
    socket.once('data', () => socket.end(`HTTP/1.1 500 Bad\x1b[2J\x7fnews\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`));
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  try {
    const run = await scrape([`http://127.0.0.1:${(raw.address() as AddressInfo).port}/metrics`]);
    assert.is(run.code, 1);
    assert.not.match(run.err, /[\u0000-\u001f\u007f-\u009f]/, JSON.stringify(run.err));
    assert.match(run.err, /HTTP 500 Bad\\u001b\[2J\\u007fnews: \\u001b\[2J\\u001b\[31mred\\u0007 alert\\u007f\\u009b$/);
  } finally {
    await new Promise((resolve) => raw.close(resolve));
  }
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

test('the key can come from --key-file or $OMEN_API_KEY, so it need not show in ps', async () => {
  writeFileSync(join(dir, 'key'), '  from-file\n');
  seen.length = 0;
  assert.is((await scrape([`${base}/om`, '--key-file', 'key'])).code, 0);
  assert.is((await scrape([`${base}/om`], { OMEN_API_KEY: 'from-env' })).code, 0);
  assert.is((await scrape([`${base}/om`, '--key=from-argv', '--format=openmetrics'], { OMEN_API_KEY: 'from-env' })).code, 0);
  assert.is((await scrape([`${base}/om`, `--key-file=${join(dir, 'key')}`], { OMEN_API_KEY: 'from-env' })).code, 0);
  assert.is((await scrape([`${base}/om`], { OMEN_API_KEY: '' })).code, 0);
  assert.equal(seen.map((headers) => headers.authorization), ['Tecton-key from-file', 'Tecton-key from-env', 'Tecton-key from-argv', 'Tecton-key from-file', undefined]);
});

test('an unreadable or empty --key-file fails before any request and exits 1', async () => {
  writeFileSync(join(dir, 'empty'), '\n');
  seen.length = 0;
  const missing = await scrape([`${base}/om`, '--key-file', 'no-such-key']);
  assert.equal([missing.code, seen.length], [1, 0]);
  assert.match(missing.err, /cannot read --key-file "no-such-key": ENOENT/);
  const empty = await scrape([`${base}/om`, '--key-file', 'empty']);
  assert.equal([empty.code, seen.length], [1, 0]);
  assert.match(empty.err, /--key-file "empty" is empty/);
});

test('a body up to --max-bytes is accepted, one byte more is refused and exits 1', async () => {
  assert.is((await scrape([`${base}/2048`, '--max-bytes', '2048'])).code, 0);
  assert.is((await scrape([`${base}/2048`, '--max-bytes=2KiB'])).code, 0);
  const over = await scrape([`${base}/2048`, '--max-bytes', '2047']);
  assert.is(over.code, 1);
  assert.match(over.err, /the body is longer than --max-bytes 2047 \(2047 bytes\) once decompressed/);
  assert.is(over.out, '');
});

test('the cap counts decompressed bytes, so a small gzip body that inflates past it is refused', async () => {
  const run = await scrape([`${base}/bomb`, '--max-bytes', '64KiB']);
  assert.is(run.code, 1);
  assert.match(run.err, /longer than --max-bytes 65536 \(64 KiB\)/);
  assert.is((await scrape([`${base}/bomb`, '--max-bytes', '1MiB'])).code, 0);
});

test('an endless body is read incrementally and abandoned soon after the cap', async () => {
  endlessWritten = 0;
  const run = await scrape([`${base}/endless`, '--max-bytes', '1MiB']);
  assert.is(run.code, 1);
  assert.match(run.err, /longer than --max-bytes 1048576 \(1 MiB\)/);
  // Socket buffers hold some bytes beyond the cap; nowhere near the default 64 MiB.
  assert.ok(endlessWritten < 16 * 1024 * 1024, `server wrote ${endlessWritten} bytes`);
  assert.is(DEFAULT_MAX_BYTES, 64 * 1024 * 1024);
});

test('usage problems exit 2', async () => {
  const url = `${base}/om`;
  for (const args of [[], ['ftp://x/metrics'], ['not a url'], [url, '--timeout', '-1'], [url, '--timeout', 'soon'], [url, '--key'], [url, '--format', 'xml'],
    [url, '--key-file'], [url, '--key', 'k', '--key-file', 'f'], [url, '--max-bytes', '0'], [url, '--max-bytes', '-1'], [url, '--max-bytes', '1.5'],
    [url, '--max-bytes', '10KB'], [url, '--max-bytes'], [url, '--max-bytes', '9007199254740993']]) {
    const run = await scrape(args);
    assert.is(run.code, 2, args.join(' '));
    assert.match(run.err, /--key-file FILE .*\$OMEN_API_KEY/s);
  }
});

test.run();

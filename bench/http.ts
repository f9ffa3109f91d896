// Scrapes of a 10,000-series registry over loopback HTTP (node:http in this process), plain and gzip (zlib, default
// level), while a load of recorded events runs on the same event loop: p50/p99 latency to the last byte, and bytes
// on the wire. omen and prom-client are served side by side and requested in alternating order.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupResult, Row } from './report.js';
import { Agent, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { PROMETHEUS } from '../lib/exposition/formats.js';
import { assertSameSamples } from './check.js';
import { median, quantile } from './harness.js';
import { loadPeer } from './peer.js';
import { formatNumber, times } from './report.js';
import { buildScrapeScenario } from './scrape.js';

const REQUESTS = 80; // per contender and mode
const gzipAsync = promisify(gzip);

interface Reply {
  ms: number;
  bytes: number;
  body: Buffer;
}

export async function httpGroup(): Promise<GroupResult> {
  const scenario = buildScrapeScenario(await loadPeer(), 10_000);
  const server = createServer((req, res) => {
    const compress = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const serve = async (): Promise<void> => {
      let body: Buffer | string;
      if (req.url === '/omen') {
        body = await scenario.omen.scrape(PROMETHEUS);
        res.setHeader('Content-Type', PROMETHEUS.contentType);
      } else {
        body = await scenario.peer.metrics();
        res.setHeader('Content-Type', scenario.peer.contentType);
      }
      if (compress) {
        body = await gzipAsync(body);
        res.setHeader('Content-Encoding', 'gzip');
      }
      res.end(body);
    };
    serve().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const port = (server.address() as AddressInfo).port;
    const get = (path: string, compress: boolean) => fetchTimed(agent, port, path, compress);
    // Same series and values through the whole HTTP path, both encodings, before any load runs.
    for (const compress of [false, true]) {
      const [ours, theirs] = [await get('/omen', compress), await get('/peer', compress)];
      const decode = (reply: Reply) => (compress ? gunzipSync(reply.body) : reply.body);
      assertSameSamples(`http check (${compress ? 'gzip' : 'plain'})`, decode(ours), decode(theirs));
    }

    let recorded = 0;
    let loading = true;
    const load = (): void => {
      scenario.touchOmen();
      scenario.touchPeer();
      recorded += 40;
      if (loading) setImmediate(load);
    };
    setImmediate(load);
    const rows: Row[] = [];
    const started = performance.now();
    for (const compress of [false, true]) {
      const omen: Reply[] = [];
      const theirs: Reply[] = [];
      for (let i = 0; i < 5; i++) await get('/omen', compress), await get('/peer', compress); // warm-up
      for (let i = 0; i < REQUESTS; i++) {
        if (i % 2 === 0) omen.push(await get('/omen', compress)), theirs.push(await get('/peer', compress));
        else theirs.push(await get('/peer', compress)), omen.push(await get('/omen', compress));
      }
      rows.push(...httpRows(compress ? 'gzip' : 'plain', omen, theirs));
    }
    loading = false;
    const seconds = (performance.now() - started) / 1000;
    return {
      group: 'http',
      title: 'HTTP scrape over loopback (10,000 series, under load)',
      rows,
      notes: [
        `${REQUESTS} requests per contender and encoding, alternating, one keep-alive connection; latency is request start to last body byte at the client, in the same process as the server.`,
        `Load: a setImmediate loop recorded ${formatNumber(recorded / seconds)} increments/s (20 per registry per loop turn) while the requests ran.`,
        'Each server does what its docs show: omen writes the Buffer from `registry.scrape()`, prom-client the string from `register.metrics()`; gzip is zlib.gzip at the default level for both.',
      ],
    };
  } finally {
    agent.destroy();
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
  }
}

function httpRows(encoding: string, omen: readonly Reply[], theirs: readonly Reply[]): Row[] {
  const ms = (replies: readonly Reply[]) => replies.map((reply) => reply.ms);
  const row = (what: string, ours: number, peer: number): Row => ({
    operation: `${encoding}: ${what}`,
    unit: 'ms',
    omen: { value: ours },
    peer: { value: peer },
    ratio: `${times(peer / ours)} faster than prom-client`,
    goal: '—',
    met: undefined,
  });
  const bytes = (replies: readonly Reply[]) => median(replies.map((reply) => reply.bytes));
  return [
    row('p50 scrape latency', median(ms(omen)), median(ms(theirs))),
    row('p99 scrape latency', quantile(ms(omen), 0.99), quantile(ms(theirs), 0.99)),
    {
      operation: `${encoding}: bytes on the wire (body)`,
      unit: 'KiB',
      omen: { value: bytes(omen) / 1024 },
      peer: { value: bytes(theirs) / 1024 },
      ratio: `${(bytes(omen) / bytes(theirs)).toFixed(2)}× prom-client's size`,
      goal: '—',
      met: undefined,
    },
  ];
}

function fetchTimed(agent: Agent, port: number, path: string, compress: boolean): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request({ host: '127.0.0.1', port, path, agent, headers: compress ? { 'accept-encoding': 'gzip' } : {} }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: status ${res.statusCode}: ${body.toString('utf8').slice(0, 200)}`));
        else resolve({ ms: performance.now() - start, bytes: body.length, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

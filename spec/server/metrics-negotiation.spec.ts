// The metrics route over real HTTP with a UTF-8-named registry: Prometheus 2 and 3 Accept headers and an
// OpenMetrics 2.0 scraper each get their format, the Content-Type names the escaping scheme, the body parses
// under the names that scheme writes, and `omen scrape` reads the 2.0 answer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import type { ExpositionFormat } from '../../lib/exposition/formats.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { main } from '../../lib/cli.js';
import { FakeClock } from '../../lib/clock.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { send, startServer } from './harness.js';

function source() {
  const registry = new Registry({ clock: new FakeClock(), nameValidation: 'utf-8' });
  registry.counter({ name: 'http.server.requests', help: 'Requests.', labelNames: ['http.route'] }).labels('/a').inc(3);
  registry.histogram({ name: 'rpc_seconds', help: 'RPC latency.', unit: 'seconds', buckets: [0.1, 1] }).observe(0.5);
  return { scrape: (format: ExpositionFormat) => registry.scrape(format), lease: (format: ExpositionFormat) => registry.lease(format) };
}

const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';
const PROMETHEUS_3_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.0';
const PROMETHEUS_2_49 = 'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

test('each scraper gets its format, the Content-Type names the scheme, and the body reads back under that scheme', async () => {
  const h = await startServer({ source: source() });
  try {
    const get = (accept: string) => send(h.port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}`, Accept: accept });
    const p3 = await get(PROMETHEUS_3);
    assert.is(p3.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8');
    assert.match(p3.body.toString(), '{"http.server.requests_total","http.route"="/a"} 3\n');

    const p2 = await get(PROMETHEUS_2_49);
    assert.is(p2.headers['content-type'], 'application/openmetrics-text; version=1.0.0; charset=utf-8');
    const legacy = parse(p2.body, { format: 'openmetrics' });
    assert.equal(legacy.find((f) => f.name === 'http_server_requests')?.samples[0], { name: 'http_server_requests_total', labels: [['http_route', '/a']], value: 3 });

    const dots = await get('text/plain;version=1.0.0;escaping=dots');
    assert.is(dots.headers['content-type'], 'text/plain; version=1.0.0; charset=utf-8; escaping=dots');
    assert.match(dots.body.toString(), 'http_dot_server_dot_requests__total{http_dot_route="/a"} 3\n');
    parse(dots.body, { format: 'prometheus' });

    const om2 = await get('application/openmetrics-text;version=2.0.0');
    assert.is(om2.headers['content-type'], 'application/openmetrics-text; version=2.0.0; charset=utf-8');
    const families = parse(om2.body, { format: 'openmetrics2' });
    assert.equal(families.map((f) => f.name), ['http.server.requests', 'rpc_seconds']);
    assert.match(om2.body.toString(), 'rpc_seconds {count:1,sum:0.5,bucket:[0.1:0,1.0:1,+Inf:1]} st@');

    // Until protobuf is served, the protobuf-first header falls to its OpenMetrics range.
    const proto = await get(PROMETHEUS_3_PROTOBUF_FIRST);
    assert.ok(String(proto.headers['content-type']).includes('escaping=allow-utf-8') || String(proto.headers['content-type']).startsWith('application/vnd.google.protobuf'), String(proto.headers['content-type']));
  } finally {
    await h.stop();
  }
});

test('concurrent scrapes in two escaping schemes of one format are not served each other\'s bytes', async () => {
  const h = await startServer({ source: source() });
  try {
    const get = (accept: string) => send(h.port, 'GET', METRICS_PATH, { Authorization: `Tecton-key ${h.apiKey}`, Accept: accept });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => get(`text/plain;version=1.0.0;escaping=${i % 2 === 0 ? 'dots' : 'values'}`)));
    answers.forEach((answer, i) => {
      const scheme = i % 2 === 0 ? 'dots' : 'values';
      assert.is(answer.headers['content-type'], `text/plain; version=1.0.0; charset=utf-8; escaping=${scheme}`);
      assert.match(answer.body.toString(), scheme === 'dots' ? 'http_dot_server_dot_requests__total' : 'U__http_2E_server_2E_requests__total');
    });
  } finally {
    await h.stop();
  }
});

test('omen scrape --format openmetrics2 asks for 2.0 and validates the answer with the 2.0 parser', async () => {
  const h = await startServer({ source: source() });
  try {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: { OMEN_API_KEY: h.apiKey }, cwd: process.cwd() };
    const code = await main(['scrape', `http://127.0.0.1:${h.port}${METRICS_PATH}`, '--format', 'openmetrics2'], io);
    assert.is(code, 0, err.join('\n'));
    assert.match(out.join('\n'), /2 families, 2 series, \d+ samples \(openmetrics2, \d+ bytes\)/);
  } finally {
    await h.stop();
  }
});

test.run();

// The protobuf format: a registry's protobuf scrape decodes to what its OpenMetrics scrape parses to (plus native
// buckets), models round-trip through encode/decode, broken bytes are ParseErrors with byte offsets (also under a
// seeded fuzz of mutated encodings), and the metrics route serves it, gzipped or not, when Accept prefers it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { parse, ParseError } from '../../lib/exposition/parse/parser.js';
import { decodeProtobuf } from '../../lib/exposition/proto/decode.js';
import { encodeProtobuf } from '../../lib/exposition/proto/encode.js';
import { PROTOBUF } from '../../lib/exposition/proto/format.js';
import { ProtoParseError } from '../../lib/exposition/proto/reader.js';
import { ProtoWriter } from '../../lib/exposition/proto/writer.js';
import { Registry } from '../../lib/registry.js';
import { metricsRoute } from '../../lib/server/metrics-route.js';
import type { FamilyModel } from '../../lib/exposition/model.js';
import { prng } from '../support/prng.js';

function registryOfEveryType(): Registry {
  const registry = new Registry({ clock: new FakeClock() });
  const counter = registry.counter({ name: 'http_requests', help: 'Requests.', labelNames: ['code', 'path'] });
  counter.labels('200', '/').inc(3);
  counter.labels('500', 'a"b\\c\nd ü').inc(1.5);
  registry.gauge({ name: 'temperature_celsius', help: 'T.', unit: 'celsius' }).set(-2.5);
  registry.unknown({ name: 'legacy', help: '' }).set(NaN);
  const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', labelNames: ['route'], buckets: [0.1, 1], native: true });
  for (const v of [0.05, 0.5, 2, 0, -1, 1e-3]) latency.labels('/a').observe(v);
  latency.labels('/b');
  const only = registry.histogram({ name: 'native_only', help: 'N.', buckets: [], native: { schema: -1 } });
  only.observe(7);
  registry.summary({ name: 'size_bytes', help: 'S.', unit: 'bytes' }).observe(3);
  registry.info({ name: 'build', help: 'B.', labelNames: ['version'] }).labels('1.0');
  registry.stateSet({ name: 'mode', help: 'M.', states: ['a', 'b'] });
  registry.gaugeHistogram({ name: 'queue_age_seconds', help: 'Q.', native: true }).add(3, 2);
  registry.rateGauge({ name: 'events_per_second', help: 'E.', labelNames: ['kind'], timestamps: true }).labels('a').mark(30);
  registry.gauge({ name: 'stamped', help: 'S.', timestamps: true }).set(1);
  return registry;
}

/** What the protobuf format cannot tell apart from Prometheus text: info and state sets are gauges there. */
function asProtobufSees(families: FamilyModel[]): FamilyModel[] {
  return families.map((family) => {
    if (family.type === 'info') return { ...family, name: `${family.name}_info`, type: 'gauge' };
    if (family.type === 'stateset') return { ...family, type: 'gauge' };
    return family;
  });
}

function withoutNative(families: FamilyModel[]): FamilyModel[] {
  return families.map((family) => ({ ...family, samples: family.samples.map(({ native: _native, ...sample }) => sample) }));
}

test('a registry of every type: the protobuf scrape decodes to the OpenMetrics scrape, with native buckets on _count', async () => {
  const registry = registryOfEveryType();
  const text = parse(await registry.scrape(OPENMETRICS));
  const binary = decodeProtobuf(await registry.scrape(PROTOBUF));
  assert.equal(withoutNative(binary), asProtobufSees(text));
  const latency = binary.find((family) => family.name === 'latency_seconds')!;
  const count = latency.samples.find((sample) => sample.name === 'latency_seconds_count' && sample.labels[0]![1] === '/a')!;
  const model = registryOfEveryType().get('latency_seconds')!.labels('/a').nativeModel();
  assert.equal(count.native, model);
  assert.is(count.native!.zeroCount, 1);
  assert.is(count.native!.negativeCounts.length, 1);
  const only = binary.find((family) => family.name === 'native_only')!;
  assert.equal(only.samples.find((s) => s.name === 'native_only_count')!.native!.schema, -1);
});

test('exemplars recorded with inc() and observe() are in the protobuf scrape as in the OpenMetrics one', async () => {
  const registry = new Registry({ clock: new FakeClock(1_700_000_000_000) });
  const requests = registry.counter({ name: 'requests', help: 'R.' });
  const latency = registry.histogram({ name: 'latency_seconds', help: 'L.', buckets: [0.1, 1] });
  requests.labels().inc(1, { trace_id: 'abc' });
  latency.labels().observe(0.5, { trace_id: 'def' });
  const decoded = decodeProtobuf(await registry.scrape(PROTOBUF));
  const text = parse((await registry.scrape(OPENMETRICS)).toString(), { format: 'openmetrics' });
  const exemplars = (families: FamilyModel[]) =>
    families.flatMap((family) => family.samples.filter((sample) => sample.exemplar !== undefined).map((sample) => [sample.name, sample.exemplar!.labels, sample.exemplar!.value]));
  assert.equal(exemplars(decoded), [['requests_total', [['trace_id', 'abc']], 1], ['latency_seconds_bucket', [['trace_id', 'def']], 0.5]]);
  assert.equal(exemplars(decoded), exemplars(text));
});

test('a second protobuf scrape with nothing changed gives the same bytes; a change shows in the next one', async () => {
  const registry = registryOfEveryType();
  const first = await registry.scrape(PROTOBUF);
  assert.ok((await registry.scrape(PROTOBUF)).equals(first));
  await registry.scrape(OPENMETRICS); // a text scrape in between clears the dirty flags the protobuf path reads too
  registry.get('http_requests')!.labels('200', '/').inc();
  registry.get('latency_seconds')!.labels('/b').observe(0.2);
  const after = decodeProtobuf(await registry.scrape(PROTOBUF));
  assert.equal(withoutNative(after), asProtobufSees(parse(await registry.scrape(OPENMETRICS))));
});

test('models round-trip through encode and decode: exemplars, timestamps (ms), float counts, bare counters, NaN', () => {
  const families: FamilyModel[] = [
    {
      name: 'jobs',
      type: 'counter',
      help: 'with "quotes" and\nnewline',
      samples: [
        { name: 'jobs_total', labels: [['a', 'x']], value: 5, timestamp: 1700000000.123, exemplar: { labels: [['trace_id', 'abc']], value: 0.5, timestamp: 1700000000.5 } },
        { name: 'jobs_created', labels: [['a', 'x']], value: 1600000000.25, timestamp: 1700000000.123 },
      ],
    },
    { name: 'bare', type: 'counter', samples: [{ name: 'bare', labels: [], value: 1 }] },
    { name: 'g', type: 'gauge', samples: [{ name: 'g', labels: [], value: NaN }, { name: 'g', labels: [['k', 'v']], value: -Infinity, timestamp: -1.5 }] },
    {
      name: 'h',
      type: 'histogram',
      unit: 'seconds',
      samples: [
        { name: 'h_bucket', labels: [['le', '1.0']], value: 1.5, exemplar: { labels: [], value: 0.7 } },
        { name: 'h_bucket', labels: [['le', '+Inf']], value: 2.5 },
        { name: 'h_sum', labels: [], value: 3 },
        {
          name: 'h_count',
          labels: [],
          value: 2.5,
          native: { schema: 2, zeroThreshold: 0, zeroCount: 0.5, positiveSpans: [[-2, 2], [3, 1]], positiveCounts: [0.5, 1, 0.5], negativeSpans: [], negativeCounts: [] },
        },
      ],
    },
    {
      name: 's',
      type: 'summary',
      samples: [
        { name: 's', labels: [['quantile', '0.5']], value: 1 },
        { name: 's_sum', labels: [], value: 2 },
        { name: 's_count', labels: [], value: 3 },
      ],
    },
  ];
  assert.equal(decodeProtobuf(encodeProtobuf(families)), families);
});

test('an empty native histogram with zero threshold 0 still decodes as native (a no-op span marks it)', () => {
  const native = { schema: 0, zeroThreshold: 0, zeroCount: 0, positiveSpans: [], positiveCounts: [], negativeSpans: [], negativeCounts: [] };
  const family: FamilyModel = {
    name: 'e',
    type: 'histogram',
    samples: [
      { name: 'e_bucket', labels: [['le', '+Inf']], value: 0 },
      { name: 'e_sum', labels: [], value: 0 },
      { name: 'e_count', labels: [], value: 0, native },
    ],
  };
  assert.equal(decodeProtobuf(encodeProtobuf([family])), [family]);
});

/** A MetricFamily body built by hand, wrapped in its length prefix. */
function delimited(build: (w: ProtoWriter) => void): Buffer {
  const w = new ProtoWriter();
  const at = w.beginDelimited();
  build(w);
  w.end(at);
  return w.copy();
}

const bad = (why: string, bytes: Uint8Array, code: string, offset: number): void =>
  test(`${why}: ParseError ${code} at byte ${offset}`, () => {
    try {
      decodeProtobuf(bytes);
      assert.unreachable('decoded');
    } catch (error) {
      assert.instance(error, ParseError);
      assert.instance(error, ProtoParseError);
      assert.is((error as ParseError).code, code);
      assert.is((error as ProtoParseError).offset, offset);
      assert.is((error as ParseError).column, offset + 1);
    }
  });

const good = delimited((w) => {
  w.string(1, 'x');
  w.varintField(3, 1);
});
bad('a length prefix that is a truncated varint', Buffer.from([0x80]), 'truncated-varint', 0);
bad('a varint longer than 10 bytes', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'truncated-varint', 0);
bad('a length prefix past the body', Buffer.concat([good, Buffer.from([0x20, 0x0a])]), 'length-past-end', good.length);
bad('a string length past its message', Buffer.from([0x03, 0x0a, 0x05, 0x78]), 'length-past-end', 2);
bad('a string length cut inside its varint', Buffer.from([0x02, 0x0a, 0x80]), 'truncated-varint', 2);
bad('wire type 7', Buffer.from([0x01, 0x0f]), 'bad-wire-type', 1);
bad('wire type 3 (groups)', Buffer.from([0x01, 0x0b]), 'bad-wire-type', 1);
bad('a known field with the wrong wire type', Buffer.from([0x02, 0x09, 0x00]), 'bad-wire-type', 2);
bad('a MetricFamily with no name', Buffer.from([0x02, 0x18, 0x01]), 'bad-field', 1);
bad('an unknown metric type', delimited((w) => (w.string(1, 'x'), w.varintField(3, 9))), 'bad-type', 5);
const mismatch = delimited((w) => {
  w.string(1, 'h');
  w.varintField(3, 4);
  const metric = w.begin(4);
  const histogram = w.begin(7);
  w.varintField(1, 2);
  w.tag(5, 0);
  w.sint(3);
  const span = w.begin(12);
  w.varintField(2, 3); // three buckets...
  w.end(span);
  w.tag(13, 0);
  w.sint(2); // ...but one delta
  w.end(histogram);
  w.end(metric);
});
bad('spans covering three buckets with one delta (offset of the span)', mismatch, 'span-mismatch', 14);
bad('deltas that take a bucket below zero', delimited((w) => {
  w.string(1, 'h');
  w.varintField(3, 4);
  const metric = w.begin(4);
  const histogram = w.begin(7);
  const span = w.begin(12);
  w.varintField(2, 2);
  w.end(span);
  w.tag(13, 0);
  w.sint(1);
  w.tag(13, 0);
  w.sint(-2);
  w.end(histogram);
  w.end(metric);
}), 'bad-value', 10);

test('a seeded fuzz of 3,000 mutated encodings: each decodes or is a ParseError with an offset inside the input', async () => {
  const seed = await registryOfEveryType().scrape(PROTOBUF);
  const random = prng(12);
  let refused = 0;
  for (let round = 0; round < 3000; round++) {
    const bytes = Buffer.from(seed);
    const kind = round % 4;
    let mutated: Buffer = bytes;
    if (kind === 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    else if (kind === 1) mutated = bytes.subarray(0, Math.floor(random() * bytes.length));
    else if (kind === 2) {
      const at = Math.floor(random() * bytes.length);
      mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from([Math.floor(random() * 256)]), bytes.subarray(at)]);
    } else {
      for (let k = 0; k < 4; k++) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
      }
    }
    try {
      decodeProtobuf(mutated);
    } catch (error) {
      if (!(error instanceof ProtoParseError)) throw new Error(`round ${round}: ${String(error)}`);
      assert.ok(error.offset >= 0 && error.offset <= mutated.length, `offset ${error.offset} of ${mutated.length}`);
      refused++;
    }
  }
  assert.ok(refused > 1000, `${refused} refused`);
});

test('the metrics route answers protobuf when Accept prefers it, gzipped or not, with its Content-Type', async () => {
  const registry = registryOfEveryType();
  const route = metricsRoute(registry);
  const server: Server = createServer((req, res) => void route({ req, res, url: new URL(req.url ?? '/', 'http://localhost'), body: Buffer.alloc(0), account: undefined }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const accept = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8';
    const plain = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept, 'accept-encoding': 'identity' } });
    assert.is(plain.headers.get('content-type'), PROTOBUF.contentType);
    const body = Buffer.from(await plain.arrayBuffer());
    assert.equal(decodeProtobuf(body), decodeProtobuf(await registry.scrape(PROTOBUF)));
    const zipped = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ get }) =>
        get({ host: '127.0.0.1', port, path: '/', headers: { accept, 'accept-encoding': 'gzip' } }, (res) => {
          assert.is(res.headers['content-encoding'], 'gzip');
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    assert.equal(decodeProtobuf(gunzipSync(zipped)), decodeProtobuf(body));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test.run();

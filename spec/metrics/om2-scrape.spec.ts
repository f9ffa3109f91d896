// Registry scrapes in OpenMetrics 2.0: exact lines for each library type, a histogram family's native buckets
// taken from its children (the scrapeState()/nativeModel() contract), and timestamped families.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';

test('each library type scrapes to its OpenMetrics 2.0 line', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const registry = new Registry({ clock });
  registry.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] }).labels('a b').inc(2);
  registry.gauge({ name: 'temp_celsius', help: 'T.', unit: 'celsius' }).set(21.5);
  registry.histogram({ name: 'rpc_seconds', help: 'RPC.', buckets: [0.1, 1] }).observe(0.5);
  registry.gaugeHistogram({ name: 'queue_age_seconds', help: 'Age.', buckets: [1] }).add(0.5, 3);
  registry.info({ name: 'build', help: 'Build.', labelNames: ['version'] }).labels('1.2');
  registry.stateSet({ name: 'mode', help: 'Mode.', states: ['on', 'off'] }).setOnly('on');
  registry.gauge({ name: 'stamped', help: 'S.', timestamps: true }).set(1);
  registry.counter({ name: 'stamped_events', help: 'S.', timestamps: true }).inc();
  const text = (await registry.scrape(OPENMETRICS2)).toString();
  const lines = text.split('\n');
  for (const line of [
    '# TYPE jobs_total counter',
    'jobs_total{queue="a b"} 2 st@1700000000',
    '# TYPE temp_celsius gauge',
    '# UNIT temp_celsius celsius',
    'temp_celsius 21.5',
    'rpc_seconds {count:1,sum:0.5,bucket:[0.1:0,1.0:1,+Inf:1]} st@1700000000',
    'queue_age_seconds {gcount:3,gsum:1.5,bucket:[1.0:3,+Inf:3]}',
    '# TYPE build_info info',
    'build_info{version="1.2"} 1',
    'mode{mode="on"} 1',
    'stamped 1 1700000000',
    'stamped_events_total 1 1700000000 st@1700000000',
  ]) {
    assert.ok(lines.includes(line), `missing ${JSON.stringify(line)} in\n${text}`);
  }
  assert.is(lines.filter((line) => line.includes('_created')).length, 0);
  assert.is(parse(text, { format: 'openmetrics2' }).length, 8);
});

test('a histogram with a negative bound keeps its sum and count in 2.0, which 1.0 leaves out', async () => {
  const registry = new Registry({ clock: new FakeClock(1_700_000_000_000) });
  const histogram = registry.histogram({ name: 'delta', help: 'D.', buckets: [-1, 0, 1] });
  for (const value of [-2, 0.5, 3]) histogram.observe(value);
  const text = (await registry.scrape(OPENMETRICS2)).toString();
  assert.match(text, 'delta {count:3,sum:1.5,bucket:[-1.0:1,0.0:1,1.0:2,+Inf:3]} st@1700000000\n');
});

test("a native histogram's buckets are written in its composite value and parse back onto _count", async () => {
  const registry = new Registry({ clock: new FakeClock(1_700_000_000_000) });
  const histogram = registry.histogram({ name: 'lat_seconds', help: 'L.', labelNames: ['op'], buckets: [1], native: true });
  const read = histogram.labels('read');
  for (const value of [0, 0.1, 0.2, 0.4]) read.observe(value);
  const expected = read.nativeModel();
  assert.ok(expected !== undefined && expected.zeroCount === 1 && expected.positiveCounts.reduce((a, b) => a + b, 0) === 3);
  const text = (await registry.scrape(OPENMETRICS2)).toString();
  assert.match(text, /lat_seconds\{op="read"\} \{count:4,sum:[^,]+,schema:3,zero_threshold:[^,]+,zero_count:1,positive_spans:\[[^\]]+\],positive_buckets:\[[^\]]+\],bucket:\[1\.0:4,\+Inf:4\]\} st@1700000000\n/);
  const [family] = parse(text, { format: 'openmetrics2' });
  const count = family!.samples.find((sample) => sample.name === 'lat_seconds_count' && sample.labels[0]![1] === 'read');
  assert.equal(count?.native, expected);
});

test.run();

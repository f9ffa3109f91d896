import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Clock } from '../../lib/clock.js';
import type { SparkProgress } from '../../lib/platform/stream-progress.js';
import type { FeatureView } from '../../lib/platform/workspace.js';
import { FakeClock } from '../../lib/clock.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { EventStream } from '../../lib/platform/event-stream.js';
import { OnlineStore } from '../../lib/platform/online-store.js';
import { RECENT_PROGRESS_UPDATES, StreamProcessor } from '../../lib/platform/stream-processor.js';
import { recordSparkProgress } from '../../lib/platform/stream-progress.js';
import { demoWorkspace } from '../../lib/platform/workspace.js';
import { valueOf } from './harness.js';

const workspace = demoWorkspace();
const USERS = workspace.featureViews.get('user_page_view_counts')!;
const ADS = workspace.featureViews.get('ad_impression_counts')!;
const iso = (ms: number) => new Date(ms).toISOString();

function setup(options: { capacity?: number; maxRowsPerBatch?: number } = {}) {
  const clock = new FakeClock();
  const stream = new EventStream('page_views', options.capacity);
  const online = new OnlineStore();
  const reports: [FeatureView, SparkProgress][] = [];
  const processor = new StreamProcessor({
    stream,
    online,
    views: workspace.stream.featureViews,
    clock,
    report: (view, progress) => reports.push([view, progress]),
    ...(options.maxRowsPerBatch === undefined ? {} : { maxRowsPerBatch: options.maxRowsPerBatch }),
  });
  const view = (v: FeatureView) => reports.filter(([candidate]) => candidate === v).map(([, progress]) => progress);
  return { clock, stream, online, processor, reports, view };
}

test('a micro-batch reports Spark’s progress per view, measured from the batch and the fake clock', () => {
  const { clock, stream, processor, view } = setup();
  clock.advance(1000);
  const now = clock.wallMs();
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_1' }, eventTimeMs: now - 900 });
  stream.push({ fields: { user_id: 'user_2', ad_id: 'ad_1' }, eventTimeMs: now - 600 });
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_2' }, eventTimeMs: now - 300 });
  processor.runBatch();
  const [users] = view(USERS);
  assert.equal(
    { ...users!, runId: undefined },
    {
      id: `${USERS.id.slice(0, 8)}-${USERS.id.slice(8, 12)}-${USERS.id.slice(12, 16)}-${USERS.id.slice(16, 20)}-${USERS.id.slice(20)}`,
      runId: undefined,
      name: 'prod.user_page_view_counts',
      timestamp: iso(now),
      batchId: 0,
      numInputRows: 3,
      inputRowsPerSecond: 3, // 3 rows in the 1 s since the processor started
      processedRowsPerSecond: 3000, // no time passed on the fake clock: Spark divides by at least 1 ms
      durationMs: { triggerExecution: 0, addBatch: 0 },
      eventTime: { watermark: iso(now - 300 - 10_000), min: iso(now - 900), avg: iso(now - 600), max: iso(now - 300) },
      sources: [{ description: 'InProcessStream[page_views]', numInputRows: 3, inputRowsPerSecond: 3, processedRowsPerSecond: 3000 }],
      sink: { description: 'OnlineStore[prod.user_page_view_counts]', numOutputRows: 2 },
    },
  );
  assert.match(users!.runId!, /^[0-9a-f-]{36}$/);
  assert.is(view(ADS)[0]!.sink!.numOutputRows, 2, 'two ads were seen');
});

test('counts accumulate across batches and the newest event sets the last value', () => {
  const { clock, stream, online, processor, view } = setup();
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_1' }, eventTimeMs: clock.wallMs() });
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_2' }, eventTimeMs: clock.wallMs() + 5 });
  processor.runBatch();
  clock.advance(500);
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_1' }, eventTimeMs: clock.wallMs() });
  processor.runBatch();
  assert.equal(online.read(USERS, 'user_1')!.values, ['3', 'ad_1']);
  assert.equal(online.read(ADS, 'ad_1')!.values, ['2']);
  const second = view(USERS)[1]!;
  assert.is(second.batchId, 1);
  assert.is(second.inputRowsPerSecond, 2, 'one row in the 500 ms since the last trigger');
});

test('the processing rate is Spark’s: input rows over the reported whole-ms trigger duration, at least 1 ms', () => {
  // A clock that moves 0.7 ms at every reading, so the batch takes a fraction of a millisecond more than whole ones.
  const fake = new FakeClock();
  const clock: Clock = {
    now: () => {
      fake.advance(0.7);
      return fake.now();
    },
    wallMs: () => fake.wallMs(),
  };
  const stream = new EventStream('page_views');
  const processor = new StreamProcessor({ stream, online: new OnlineStore(), views: workspace.stream.featureViews, clock, report: () => {} });
  for (const rows of [3, 40, 0, 7]) {
    for (let i = 0; i < rows; i++) stream.push({ fields: { user_id: `user_${i}`, ad_id: 'ad_1' }, eventTimeMs: fake.wallMs() });
    processor.runBatch();
  }
  for (const view of workspace.stream.featureViews) {
    const reports = processor.recentProgress(view);
    assert.equal(reports.map((report) => report.numInputRows), [3, 40, 0, 7]);
    for (const report of reports) {
      const { triggerExecution, addBatch } = report.durationMs!;
      assert.ok(Number.isInteger(triggerExecution) && Number.isInteger(addBatch) && addBatch! <= triggerExecution!, JSON.stringify(report.durationMs));
      assert.ok(triggerExecution! >= 1, 'time passed during the batch');
      assert.is(report.processedRowsPerSecond, (report.numInputRows * 1000) / Math.max(1, triggerExecution!));
      assert.is((report.sources![0] as { processedRowsPerSecond: number }).processedRowsPerSecond, report.processedRowsPerSecond);
    }
  }
});

test('recentProgress keeps each view’s last 100 reports, oldest first', () => {
  const { processor } = setup();
  for (let i = 0; i < RECENT_PROGRESS_UPDATES + 5; i++) processor.runBatch();
  const recent = processor.recentProgress(USERS);
  assert.is(recent.length, RECENT_PROGRESS_UPDATES);
  assert.equal(recent.map((report) => report.batchId), Array.from({ length: RECENT_PROGRESS_UPDATES }, (_, i) => i + 5));
  assert.is(RECENT_PROGRESS_UPDATES, 100);
});

test('an empty batch still reports, with no event times but the watermark, and writes nothing', () => {
  const { clock, stream, processor, view } = setup();
  stream.push({ fields: { user_id: 'user_1', ad_id: 'ad_1' }, eventTimeMs: clock.wallMs() });
  processor.runBatch();
  clock.advance(1000);
  processor.runBatch();
  const empty = view(USERS)[1]!;
  assert.is(empty.numInputRows, 0);
  assert.equal(empty.eventTime, { watermark: iso(clock.wallMs() - 1000 - 10_000) });
  assert.is(empty.sink!.numOutputRows, 0);
});

test('an event without a view’s join key is left out of that view only', () => {
  const { stream, online, processor } = setup();
  stream.push({ fields: { user_id: 'user_9' }, eventTimeMs: 1 });
  processor.runBatch();
  assert.equal(online.read(USERS, 'user_9')!.values, ['1', null]);
  assert.is(online.size(ADS), 0);
});

test('a batch takes at most maxRowsPerBatch events; the rest wait for the next trigger', () => {
  const { stream, processor, view } = setup({ maxRowsPerBatch: 2 });
  for (let i = 0; i < 5; i++) stream.push({ fields: { user_id: `u${i}`, ad_id: 'a' }, eventTimeMs: i });
  processor.runBatch();
  assert.is(view(USERS)[0]!.numInputRows, 2);
  assert.is(stream.length, 3);
});

test('the stream is bounded: pushes past its capacity are refused and counted', () => {
  const { stream } = setup({ capacity: 2 });
  assert.ok(stream.push({ fields: {}, eventTimeMs: 0 }));
  assert.ok(stream.push({ fields: {}, eventTimeMs: 0 }));
  assert.not.ok(stream.push({ fields: {}, eventTimeMs: 0 }));
  assert.is(stream.dropped, 1);
  assert.throws(() => new EventStream('s', 0), /invalid stream capacity=0/);
});

test('its reports feed the spark_stream_* gauges: ages from the batch timestamp, rates as reported, served age at scrape', async () => {
  const clock = new FakeClock();
  const registry = new Registry({ clock });
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', utilization: 'reports' });
  const stream = new EventStream('page_views');
  const processor = new StreamProcessor({
    stream,
    online: new OnlineStore(),
    views: [USERS],
    clock,
    report: (view, progress) => recordSparkProgress(metrics, { workspace: view.workspace, featureViewName: view.name, featureViewId: view.id }, progress),
  });
  clock.advance(2000);
  stream.push({ fields: { user_id: 'u', ad_id: 'a' }, eventTimeMs: clock.wallMs() - 1500 });
  stream.push({ fields: { user_id: 'v', ad_id: 'a' }, eventTimeMs: clock.wallMs() - 500 });
  processor.runBatch();
  clock.advance(250);
  const families = parse(await registry.scrape(OPENMETRICS));
  const labels = { feature_view_name: USERS.name };
  assert.is(valueOf(families, 'spark_stream_max_processed_event_age', labels), 1.5);
  assert.is(valueOf(families, 'spark_stream_average_processed_event_age', labels), 1);
  assert.is(valueOf(families, 'spark_stream_input_rate', labels), 1, '2 rows in 2 s');
  assert.is(valueOf(families, 'spark_stream_processing_rate', labels), 2000);
  assert.is(valueOf(families, 'spark_stream_served_feature_age', labels), 0.75, 'newest event 500 ms before the batch, scraped 250 ms after');
  assert.is(valueOf(families, 'spark_stream_online_store_write_rate', labels) * 5, 2, 'two rows written, over one 5 s slot');
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { Registry } from '../../lib/registry.js';

/** One counter, histogram and summary (the types with `_created`), each with a recorded value. */
async function openMetrics(registry: Registry, created?: boolean): Promise<string> {
  const option = created === undefined ? {} : { created };
  registry.counter({ name: 'jobs', help: 'Jobs.', labelNames: ['queue'], ...option }).labels('a').inc(2);
  registry.histogram({ name: 'wait_seconds', help: 'Wait.', unit: 'seconds', ...option }).observe(0.2);
  registry.summary({ name: 'size_bytes', help: 'Size.', unit: 'bytes', ...option }).observe(10);
  const text = (await registry.scrape(OPENMETRICS)).toString('utf8');
  parse(text, { format: 'openmetrics' }); // the strict parser accepts it either way
  return text;
}

const createdLines = (text: string): string[] => text.split('\n').filter((line) => /^\w+_created[{ ]/.test(line));
const clock = (): FakeClock => new FakeClock();

test('by default every counter, histogram and summary series has a _created sample in OpenMetrics', async () => {
  assert.equal(createdLines(await openMetrics(new Registry({ clock: clock() }))).map((line) => line.split(/[{ ]/)[0]), ['jobs_created', 'wait_seconds_created', 'size_bytes_created']);
});

test('new Registry({ created: false }) leaves _created out; the rest of the exposition is unchanged', async () => {
  const withCreated = await openMetrics(new Registry({ clock: clock() }));
  const without = await openMetrics(new Registry({ clock: clock(), created: false }));
  assert.equal(createdLines(without), []);
  assert.is(without, withCreated.split('\n').filter((line) => createdLines(line).length === 0).join('\n'));
});

test('a family option wins over the registry default, both ways', async () => {
  assert.equal(createdLines(await openMetrics(new Registry({ clock: clock() }), false)), []);
  assert.is(createdLines(await openMetrics(new Registry({ clock: clock(), created: false }), true)).length, 3);
});

test('Prometheus 0.0.4 output does not depend on the option (it never has _created)', async () => {
  const on = new Registry({ clock: clock() });
  const off = new Registry({ clock: clock(), created: false });
  for (const registry of [on, off]) registry.counter({ name: 'jobs', help: 'Jobs.' }).inc();
  assert.is((await on.scrape(PROMETHEUS)).toString(), (await off.scrape(PROMETHEUS)).toString());
});

test('a family scraped before registration is written under the registry default afterwards', async () => {
  const registry = new Registry({ clock: clock(), created: false });
  const other = new Registry({ clock: clock() });
  const family = other.counter({ name: 'jobs', help: 'Jobs.' });
  family.inc();
  assert.is(createdLines((await other.scrape(OPENMETRICS)).toString()).length, 1);
  other.unregister(family);
  registry.register(family);
  assert.equal(createdLines((await registry.scrape(OPENMETRICS)).toString()), []);
});

for (const [what, build] of [
  ['a registry', () => new Registry({ created: 'no' as unknown as boolean })],
  ['a family', () => new Registry().counter({ name: 'jobs', help: '', created: 0 as unknown as boolean })],
] as const) {
  test(`${what} refuses a created option that is not a boolean, naming it`, () => {
    try {
      build();
    } catch (error: unknown) {
      assert.instance(error, MetricError);
      assert.is((error as MetricError).code, 'invalid-option');
      assert.match((error as MetricError).message, /option created is/);
      return;
    }
    assert.unreachable('accepted');
  });
}

test.run();

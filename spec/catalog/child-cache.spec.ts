import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { ChildCache } from '../../lib/catalog/child-cache.js';
import type { MetricError } from '../../lib/metrics/errors.js';
import { value } from '../support/samples.js';

function setup(maxChildren?: number) {
  const errors: MetricError[] = [];
  const registry = new Registry({ clock: new FakeClock(), onError: (error) => errors.push(error) });
  const family = registry.rateGauge({ name: 'cached', help: 'h', labelNames: ['region', 'id', 'name'], ...(maxChildren === undefined ? {} : { maxChildren }) });
  return { family, errors, cache: new ChildCache(family, ['us-west-2']) };
}

test("each label set gets the family's own child, the prefix first, the same one every time", () => {
  const { family, cache } = setup();
  const a = cache.get2('fs-1', 'fraud');
  assert.is(a, family.labels('us-west-2', 'fs-1', 'fraud'));
  assert.is(cache.get2('fs-1', 'fraud'), a);
  assert.is.not(cache.get2('fs-1', 'other'), a);
  assert.is.not(cache.get2('fs-2', 'fraud'), a);
  const byThree = new ChildCache(family);
  assert.is(byThree.get3('us-west-2', 'fs-1', 'fraud'), a);
  const byOne = new ChildCache(family, ['us-west-2', 'fs-1']);
  assert.is(byOne.get1('fraud'), a);
});

test('values the family refuses are asked again at every lookup, so each refusal is reported', () => {
  const { family, cache, errors } = setup();
  for (let i = 0; i < 3; i++) cache.get2(undefined as unknown as string, 'fraud');
  assert.is(family.rejectedRecords, 3);
  assert.is(errors.length, 3);
  for (let i = 0; i < 2; i++) cache.get2('\ud800', 'lone surrogate');
  assert.is(family.rejectedRecords, 5);
});

test('series past the cardinality guard are not kept, so the guard counts every attempt', () => {
  const { family, cache } = setup(2);
  cache.get2('a', 'a');
  cache.get2('b', 'b');
  for (let i = 0; i < 4; i++) cache.get2('c', 'c');
  assert.is(family.droppedSeries, 4);
  assert.is(cache.get2('a', 'a'), family.labels('us-west-2', 'a', 'a'), 'admitted series stay cached');
});

test('records through cached children reach the scrape', async () => {
  const clock = new FakeClock();
  const registry = new Registry({ clock });
  const family = registry.rateGauge({ name: 'hits', help: 'h', labelNames: ['region', 'id'], windowSeconds: 10, slotSeconds: 1 });
  const cache = new ChildCache(family, ['eu']);
  for (let i = 0; i < 10; i++) cache.get1(i % 2 === 0 ? 'even' : 'odd').mark(1);
  clock.advance(10_000 - 1);
  const text = (await registry.scrape()).toString();
  // Five events each over the 9.999 s elapsed since the first.
  for (const id of ['even', 'odd']) assert.ok(Math.abs(value(text, `hits{region="eu",id="${id}"}`) - 5 / 9.999) < 1e-9, id);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { Registry } from '../../lib/registry.js';
import { prng } from '../support/prng.js';

// labels() finds children through a trie whose one-key levels are compact nodes that become Maps on a second
// key; these cases hold it to a plain Map keyed by the whole label tuple through adds, removes and re-adds.
test('labels() and remove() agree with a Map of label tuples through 20,000 random operations', async () => {
  const random = prng(31);
  const registry = new Registry({ clock: new FakeClock(), onError: () => {} });
  const family = registry.gauge({ name: 'trie', help: 'Trie.', labelNames: ['service', 'route', 'status'], maxChildren: 100_000 });
  const reference = new Map<string, ReturnType<typeof family.labels>>();
  const pick = (): [string, string, string] => [`svc-${Math.floor(random() * 3)}`, `/r/${Math.floor(random() * 40)}`, String(200 + Math.floor(random() * 3))];
  for (let op = 0; op < 20_000; op++) {
    const values = pick();
    const key = values.join('\u0000');
    if (random() < 0.35) {
      assert.is(family.remove(...values), reference.delete(key), `remove ${key}`);
    } else {
      const child = family.labels(...values);
      const known = reference.get(key);
      if (known !== undefined) assert.is(child, known, `same child for ${key}`);
      else reference.set(key, child);
      child.set(op);
    }
    assert.is(family.size, reference.size);
  }
  // Every remaining child is found again and scraped once, with its own labels and value.
  const text = (await registry.scrape()).toString();
  for (const [key, child] of reference) {
    const [service, route, status] = key.split('\u0000');
    assert.is(family.labels(service!, route!, status!), child);
    assert.ok(text.includes(`trie{service="${service}",route="${route}",status="${status}"} ${child.value}\n`), key);
  }
  assert.is(text.split('\n').filter((line) => line.startsWith('trie{')).length, reference.size);
});

test('a one-key level that gains a second key keeps finding the first; removing both empties the family', () => {
  const registry = new Registry({ clock: new FakeClock() });
  const family = registry.counter({ name: 'c', help: 'C.', labelNames: ['a', 'b'] });
  const first = family.labels('x', '1');
  const second = family.labels('x', '2');
  const third = family.labels('y', '1');
  assert.is(family.labels('x', '1'), first);
  assert.is(family.labels('x', '2'), second);
  assert.is(family.labels('y', '1'), third);
  assert.is(family.remove('x', '3'), false);
  assert.is(family.remove('x', '1'), true);
  assert.is(family.remove('x', '1'), false);
  assert.is(family.labels('x', '2'), second);
  assert.ok(family.remove('x', '2') && family.remove('y', '1'));
  assert.is(family.size, 0);
  assert.is.not(family.labels('x', '1'), first);
});

test.run();

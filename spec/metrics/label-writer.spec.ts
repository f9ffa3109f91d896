import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS } from '../../lib/exposition/formats.js';
import { renderLabelPairs, renderLabelSet } from '../../lib/exposition/labels.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { prng } from '../support/prng.js';

// A new child's label set is written byte by byte into the family's arena while its values are plain ASCII,
// and through the shared escaper from the first byte that is not. These hold that path to the reference
// renderer (renderLabelPairs) and to the strict parser, for values mixing every case.
const PIECES = ['a', 'Z', '0', '/', ' ', '"', '\\', '\n', 'é', '€', '😀', '\u2028', '{', '}', ',', '='];

function randomValue(random: () => number): string {
  let value = '';
  const length = Math.floor(random() * 12);
  for (let i = 0; i < length; i++) value += PIECES[Math.floor(random() * PIECES.length)]!;
  return value;
}

test('label sets with escapes, non-ASCII and default labels match the reference renderer and parse back', async () => {
  const random = prng(7);
  const defaults = { region: 'eu"west\n1', zone: 'ü' };
  const registry = new Registry({ clock: new FakeClock(), defaultLabels: defaults });
  const family = registry.gauge({ name: 'writer', help: 'Writer.', labelNames: ['a', 'b', 'c'], maxChildren: 5000 });
  const made: Array<[string, string, string]> = [];
  for (let i = 0; i < 2000; i++) {
    const values: [string, string, string] = [randomValue(random), randomValue(random), `${i}${randomValue(random)}`];
    const child = family.labels(...values);
    child.set(i);
    made.push(values);
    const expected = renderLabelSet(renderLabelPairs([['region', defaults.region], ['zone', defaults.zone], ['a', values[0]], ['b', values[1]], ['c', values[2]]]));
    assert.is(family.labelText(child), expected, JSON.stringify(values));
  }
  const [parsed] = parse(await registry.scrape(OPENMETRICS), { format: 'openmetrics' });
  assert.is(parsed!.samples.length, made.length);
  parsed!.samples.forEach((sample, i) => {
    assert.equal(sample.labels, [['region', defaults.region], ['zone', defaults.zone], ['a', made[i]![0]], ['b', made[i]![1]], ['c', made[i]![2]]]);
    assert.is(sample.value, i);
  });
});

test('a label value far larger than the arena grows it in one step; earlier label sets stay intact', () => {
  const family = new Registry({ clock: new FakeClock() }).gauge({ name: 'big', help: 'Big.', labelNames: ['k', 'v'] });
  const small = family.labels('x', 'small');
  const huge = `${'é'.repeat(100_000)}"${'a'.repeat(100_000)}`;
  const big = family.labels('x', huge);
  const after = family.labels('y', 'after');
  assert.is(family.labelText(small), '{k="x",v="small"}');
  assert.is(family.labelText(big), `{k="x",v="${'é'.repeat(100_000)}\\"${'a'.repeat(100_000)}"}`);
  assert.is(family.labelText(after), '{k="y",v="after"}');
});

test('the last label level: a lone child gains a sibling, loses it, and the exported entries follow', () => {
  const registry = new Registry({ clock: new FakeClock() });
  const family = registry.counter({ name: 'leaf', help: 'Leaf.', labelNames: ['service', 'route', 'status'] });
  const ok = family.labels('svc', '/a', '200');
  const error = family.labels('svc', '/a', '500');
  const other = family.labels('svc', '/b', 200);
  assert.is(family.labels('svc', '/a', '200'), ok);
  assert.is(family.labels('svc', '/a', 500), error);
  assert.is(family.labels('svc', '/b', '200'), other);
  assert.is.not(family.labels('svc', '/b', '2000'), other, 'a longer last value is another series');
  assert.equal(family.seriesEntries().map(([values]) => values.join(' ')), ['svc /a 200', 'svc /a 500', 'svc /b 200', 'svc /b 2000']);
  assert.ok(family.remove('svc', '/b', '200'));
  assert.not.ok(family.remove('svc', '/b', '200'));
  assert.ok(family.remove('svc', '/b', '2000'));
  assert.ok(family.remove('svc', '/a', '200'));
  assert.equal(family.seriesEntries().map(([values]) => values.join(' ')), ['svc /a 500']);
  assert.is(family.labels('svc', '/a', '500'), error);
  assert.is.not(family.labels('svc', '/b', '200'), other);
  // One label: the root level holds the children themselves.
  const single = registry.gauge({ name: 'one', help: 'One.', labelNames: ['k'] });
  const a = single.labels('a');
  assert.is(single.labels('a'), a);
  assert.is.not(single.labels('b'), a);
  assert.equal(single.seriesEntries().map(([values]) => values.join(' ')), ['a', 'b']);
});

// A lone child stands for the last label's level and keeps no key: labels() compares the key with the bytes of
// its label set. These hold that compare to string equality for values built from every escaping case.
const TRICKY = ['', 'a', '"', '\\', '\n', '=', '="', '\\"', 'a="b', '",b="', 'é', '€', '😀', '\uFFFD', 'n', '\\n'];

test('a lone child is found by exactly its own last value, through escapes, UTF-8 and look-alike keys', () => {
  const random = prng(11);
  const family = new Registry({ clock: new FakeClock(), onError: () => {} }).gauge({ name: 'lone', help: 'Lone.', labelNames: ['id', 'last'], maxChildren: 100_000 });
  const pick = (): string => {
    let value = '';
    for (let n = Math.floor(random() * 4); n > 0; n--) value += TRICKY[Math.floor(random() * TRICKY.length)]!;
    return value;
  };
  let made = 0;
  for (let i = 0; i < 3000; i++) {
    const stored = pick();
    const probes = [stored + '"', `="${stored}`, stored.slice(1 + Math.floor(random() * stored.length)), stored.slice(0, -1), pick(), pick()];
    for (let p = 0; p < probes.length; p++) {
      const key = probes[p]!;
      if (key === stored) continue;
      // A fresh first value, so the level below it is the lone child until the probe.
      const id = `id-${i}-${p}`;
      const child = family.labels(id, stored);
      assert.is(family.labels(id, stored), child, JSON.stringify(stored));
      const other = family.labels(id, key);
      assert.is.not(other, child, `${JSON.stringify(key)} found the child for ${JSON.stringify(stored)}`);
      // The level now has two keys (a Map): both found, the first under the value read back from its bytes.
      assert.is(family.labels(id, stored), child);
      assert.is(family.labels(id, key), other);
      // A slice can split a surrogate pair: that key is refused (no series), and still finds nothing.
      made += /\p{Cs}/u.test(key) ? 1 : 2;
    }
  }
  assert.is(family.size, made);
});

test('a lone surrogate never finds the child whose value is U+FFFD, its UTF-8 rendering', () => {
  const errors: string[] = [];
  const family = new Registry({ clock: new FakeClock(), onError: (error) => errors.push(error.code) }).gauge({ name: 'sur', help: 'S.', labelNames: ['a', 'b'] });
  const replacement = family.labels('x', '\uFFFD');
  assert.is.not(family.labels('x', '\uD800'), replacement);
  assert.is.not(family.labels('x', '\uDC00'), replacement);
  assert.equal(errors, ['invalid-label-value', 'invalid-label-value']);
  assert.is(family.size, 1);
});

test('exported entries read escaped and non-ASCII last values back from lone children and Maps alike', () => {
  const family = new Registry({ clock: new FakeClock() }).gauge({ name: 'back', help: 'Back.', labelNames: ['a', 'b'] });
  const values = ['plain', 'q"uote', 'back\\slash', 'line\nfeed', 'é€😀', '="', ''];
  for (const value of values) family.labels(`lone ${value}`, value);
  for (const value of values) family.labels('shared', value);
  assert.equal(
    family.seriesEntries().map(([keys]) => keys),
    [...values.map((value) => [`lone ${value}`, value]), ...values.map((value) => ['shared', value])],
  );
});

test.run();

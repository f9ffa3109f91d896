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

test.run();

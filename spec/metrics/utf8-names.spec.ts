// Registry option nameValidation: which names each mode accepts, the errors it gives, and how UTF-8-named
// families and collector families are written in each format.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeClock } from '../../lib/clock.js';
import { withEscaping } from '../../lib/exposition/escaping-formats.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { MetricError } from '../../lib/metrics/errors.js';
import { Registry } from '../../lib/registry.js';

const refused = (run: () => unknown, code: string, text: RegExp): void => {
  try {
    run();
  } catch (error) {
    assert.instance(error, MetricError);
    assert.is((error as MetricError).code, code);
    assert.match((error as MetricError).message, text);
    return;
  }
  assert.unreachable('expected a MetricError');
};

test('the default registry keeps the legacy grammar and says how to opt in', () => {
  const registry = new Registry();
  refused(() => registry.gauge({ name: 'a.b', help: '' }), 'invalid-name', /invalid metric name "a\.b": must match \[a-zA-Z_:\]\[a-zA-Z0-9_:\]\*/);
  refused(() => registry.gauge({ name: 'a', help: '', labelNames: ['x.y'] }), 'invalid-label-name', /invalid label name "x\.y"/);
});

test("nameValidation 'utf-8' takes any non-empty UTF-8 name, and still refuses empty names, lone surrogates and __ labels", () => {
  const registry = new Registry({ nameValidation: 'utf-8' });
  for (const name of ['a.b', 'température', '😀', 'with space', '1st', 'quote"and\\slash']) registry.gauge({ name, help: '' });
  refused(() => registry.gauge({ name: '', help: '' }), 'invalid-name', /non-empty string of valid UTF-8/);
  refused(() => registry.gauge({ name: 'x\ud800', help: '' }), 'invalid-name', /valid UTF-8/);
  refused(() => registry.gauge({ name: 'g', help: '', labelNames: [''] }), 'invalid-label-name', /non-empty/);
  refused(() => registry.gauge({ name: 'h', help: '', labelNames: ['__x.y'] }), 'reserved-label-name', /reserved/);
});

test('a UTF-8 family is quoted in OpenMetrics 2.0 and with allow-utf-8, and escaped with underscores by default', async () => {
  const registry = new Registry({ clock: new FakeClock(), nameValidation: 'utf-8' });
  registry.gauge({ name: 'queue.depth', help: 'Depth "now".', labelNames: ['queue.name'] }).labels('a"b').set(4);
  registry.addCollector('relay', () => [{ name: 'relay.value', type: 'gauge', help: 'r', samples: [{ name: 'relay.value', labels: [['src.id', '1']], value: 2 }] }]);
  const om2 = (await registry.scrape(OPENMETRICS2)).toString();
  assert.match(om2, '# TYPE "queue.depth" gauge\n# HELP "queue.depth" Depth \\"now\\".\n{"queue.depth","queue.name"="a\\"b"} 4\n');
  assert.match(om2, '{"relay.value","src.id"="1"} 2\n');
  assert.equal(parse(om2, { format: 'openmetrics2' }).map((f) => f.name), ['queue.depth', 'relay.value']);
  const quoted = (await registry.scrape(withEscaping(OPENMETRICS, 'allow-utf-8'))).toString();
  assert.match(quoted, '# TYPE "queue.depth" gauge\n');
  for (const format of [OPENMETRICS, PROMETHEUS]) {
    const body = await registry.scrape(format);
    const names = parse(body, { format: format.id }).map((f) => f.name);
    assert.ok(names.includes('queue_depth') && names.includes('relay_value'), names.join(', '));
  }
});

test('a legacy registry refuses a collector family with a UTF-8 name, a UTF-8 registry writes it', async () => {
  const errors: string[] = [];
  const legacy = new Registry({ onError: (error) => void errors.push(error.message) });
  legacy.addCollector('dots', () => [{ name: 'a.b', type: 'gauge', samples: [{ name: 'a.b', labels: [], value: 1 }] }]);
  assert.not.match((await legacy.scrape(OPENMETRICS)).toString(), 'a_b');
  assert.match(errors.join('\n'), /invalid metric name "a\.b"/);
});

test.run();

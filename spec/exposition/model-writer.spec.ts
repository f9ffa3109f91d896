// writeModel on the family shapes only a Prometheus 0.0.4 parse produces: what it writes must parse back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel } from '../../lib/exposition/model.js';

const prom = (text: string | Buffer): FamilyModel[] => parse(text, { format: 'prometheus' });

test('a 0.0.4 counter without _total is written under its own sample name and parses to the same model', () => {
  const text = '# HELP jobs Jobs \\\\ done.\n# TYPE jobs counter\njobs{queue="a"} 4 1500\njobs{queue="b"} 0 1500\n';
  const model = prom(text);
  assert.equal(model.map((family) => [family.name, family.type, family.samples[0]?.name]), [['jobs', 'counter', 'jobs']]);
  const written = writeModel(model, PROMETHEUS);
  assert.is(written.toString('utf8'), text);
  assert.equal(prom(written), model);
});

test('in OpenMetrics such a counter becomes unknown, keeping its samples, and parses', () => {
  const model = prom('# HELP jobs Done.\n# TYPE jobs counter\njobs{queue="a"} 4 1500\n');
  const written = writeModel(model, OPENMETRICS).toString('utf8');
  assert.is(written, '# TYPE jobs unknown\n# HELP jobs Done.\njobs{queue="a"} 4 1.5\n# EOF\n');
  const [family] = parse(written);
  assert.equal([family?.type, family?.samples], ['unknown', model[0]?.samples]);
});

test('an OpenMetrics counter without _total drops its exemplars with its type', () => {
  const model: FamilyModel[] = [{ name: 'c', type: 'counter', samples: [{ name: 'c', labels: [], value: 1, exemplar: { labels: [], value: 1 } }] }];
  assert.is(writeModel(model, OPENMETRICS).toString('utf8'), '# TYPE c unknown\nc 1\n# EOF\n');
});

test('a counter with _total keeps the _total name on its 0.0.4 TYPE line', () => {
  const text = '# TYPE c_total counter\nc_total 1\n';
  assert.is(writeModel(prom(text), PROMETHEUS).toString('utf8'), text);
});

test('a gauge x beside a counter x_total survives a 0.0.4 round trip in both orders', () => {
  const gauge = '# HELP x In use.\n# TYPE x gauge\nx 1\n';
  const counter = '# HELP x_total Allocated.\n# TYPE x_total counter\nx_total 2\n';
  for (const text of [gauge + counter, counter + gauge]) {
    assert.is(writeModel(prom(text), PROMETHEUS).toString('utf8'), text);
  }
});

test.run();

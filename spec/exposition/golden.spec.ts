// Golden files: every metric type in both formats, byte for byte. OMEN_UPDATE_GOLDEN=1 writes them
// from the current output, after which the diff must be read line by line before committing; without it
// a missing file fails the test, since a file written from the output would only compare it with itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { FakeClock } from '../../lib/clock.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';
import { goldenCases } from './golden-cases.js';

const folder = new URL('../../../fixtures/golden/', import.meta.url);
const update = process.env.OMEN_UPDATE_GOLDEN === '1';

for (const [name, build] of Object.entries(goldenCases)) {
  for (const format of [OPENMETRICS, PROMETHEUS]) {
    const file = new URL(`${name}.${format.id === 'openmetrics' ? 'om' : 'prom'}.txt`, folder);
    test(`golden ${name} in ${format.id} matches ${file.pathname.split('/').pop()}`, async () => {
      const registry = new Registry({ clock: new FakeClock(1692222226141), onError: () => {} });
      build(registry);
      const actual = await registry.scrape(format);
      if (update) writeFileSync(file, actual);
      else if (!existsSync(file)) assert.unreachable(`missing golden file ${file.pathname}: run with OMEN_UPDATE_GOLDEN=1 to write it, then review it`);
      assert.fixture(actual.toString('utf8'), readFileSync(file, 'utf8'));
      assert.ok(parse(actual, { format: format.id }).length > 0, 'the strict parser accepts it');
    });
  }
}

test('the Metrics API example output is reproduced byte for byte in Prometheus text', async () => {
  const registry = new Registry({ clock: new FakeClock(1692222226141) });
  goldenCases['metrics-api-example']!(registry);
  const text = (await registry.scrape(PROMETHEUS)).toString('utf8');
  const samples = text.split('\n').filter((line) => line.startsWith('feature_service_requests_rate{'));
  assert.equal(samples, [
    'feature_service_requests_rate{aws_region="us-west-2",feature_service_id="072b546997cb6e586ed460ff0a3743ee",feature_service_name="fvfs_1"} 0.003703703703703704 1692222226141',
    'feature_service_requests_rate{aws_region="us-west-2",feature_service_id="005c5a6f3517e1e2a4ce411372a15d84",feature_service_name="fvfs_2"} 0 1692222226141',
    'feature_service_requests_rate{aws_region="us-west-2",feature_service_id="00c922b96f55a948e1bbfa08fdb3a699",feature_service_name="fvfs_3"} 0 1692222226141',
  ]);
});

test('the Metrics API example in OpenMetrics carries the same timestamp in seconds', async () => {
  const registry = new Registry({ clock: new FakeClock(1692222226141) });
  goldenCases['metrics-api-example']!(registry);
  const text = (await registry.scrape(OPENMETRICS)).toString('utf8');
  assert.ok(text.includes('feature_service_name="fvfs_1"} 0.003703703703703704 1692222226.141\n'));
  assert.ok(text.endsWith('# EOF\n'));
});

test.run();

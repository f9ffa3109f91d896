// The dashboard page's in-browser parser, run in Node: on a real catalog scrape it reads the same families,
// HELP, types and samples as omen's strict parser; escapes and special values read as the format says; a
// line it cannot read is skipped; and the catalog's HELP splits into description, unit and stage.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { helpText } from '../../lib/catalog/catalog.js';
import { instrumentCatalog } from '../../lib/catalog/instrumentation.js';
import { CATALOG_VERSIONS, catalogVersion } from '../../lib/catalog/versions.js';
import { PARSE_SCRIPT } from '../../lib/dashboard/parse-script.js';
import { PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse as strictParse } from '../../lib/exposition/parse/parser.js';
import { Registry } from '../../lib/registry.js';

interface PageSample {
  name: string;
  labels: [string, string][];
  value: number;
}
interface PageFamily {
  name: string;
  type: string;
  help: string;
  samples: PageSample[];
}
const page = new Function(`${PARSE_SCRIPT}; return { parse, describe };`)() as {
  parse(text: string): Map<string, PageFamily>;
  describe(help: string): { description: string; unit: string; stage: string };
};

test('a catalog 1.1 scrape reads as omen strict parser reads it', async () => {
  const registry = new Registry();
  const metrics = instrumentCatalog(registry, { region: 'us-west-2', catalog: catalogVersion('1.1') });
  const view = { workspace: 'prod', featureViewName: 'user "clicks"\\n', featureViewId: 'fv-1' };
  for (let i = 0; i < 40; i++) {
    metrics.recordGetFeatures({ featureServiceId: 'fs-1', featureServiceName: 'fraud', latencySeconds: 0.001 * i, status: i % 7 === 0 ? 500 : 200 });
    metrics.recordIngest({ latencySeconds: 0.02, status: 200, rowsByFeatureView: [{ ...view, onlineRows: 2, offlineRows: 2 }] });
  }
  const text = (await registry.scrape(PROMETHEUS)).toString('utf8');
  const strict = strictParse(text, { format: 'prometheus' });
  const mine = [...page.parse(text).values()];
  assert.equal(mine.map((family) => family.name), strict.map((family) => family.name));
  for (const [index, family] of strict.entries()) {
    const other = mine[index]!;
    assert.is(other.help, family.help ?? '', `${family.name} help`);
    assert.is(other.type, family.type, `${family.name} type`);
    const plain = (samples: { name: string; labels: readonly (readonly [string, string])[]; value: number }[]) =>
      samples.map((sample) => [sample.name, sample.labels.map(([name, value]) => `${name}=${value}`).join(','), String(sample.value)]);
    assert.equal(plain(other.samples), plain(family.samples), `${family.name} samples`);
  }
  assert.ok(mine.some((family) => family.samples.some((sample) => sample.labels.some(([, value]) => value === 'user "clicks"\\n'))), 'escaped label value read back');
});

test('samples: escapes, special values, timestamps; unreadable lines skipped', () => {
  const one = (line: string) => page.parse(`# TYPE m gauge\n${line}\n`).get('m')?.samples ?? [];
  const ok = (line: string, labels: [string, string][], value: number) => assert.equal(one(line), [{ name: 'm', labels, value }], line);
  ok('m 1', [], 1);
  ok('m{} -0', [], -0);
  ok('m 1e21 1700000000000', [], 1e21);
  ok('m +Inf', [], Infinity);
  ok('m -Inf', [], -Infinity);
  ok('m{a="x",b="y"} 2', [['a', 'x'], ['b', 'y']], 2);
  ok('m{a="q\\"b\\\\s\\nl",} 3', [['a', 'q"b\\s\nl']], 3);
  assert.ok(Number.isNaN(one('m NaN')[0]?.value), 'NaN');
  for (const bad of ['m', 'm x', 'm{a="x} 1', 'm{a=x} 1', '{a="x"} 1']) assert.equal(one(bad), [], bad);
  assert.is(page.parse('# HELP m a\\\\b\\nc\n').get('m')?.help, 'a\\b\nc');
});

test('describe: every catalog HELP splits into description, unit and stage', () => {
  for (const version of CATALOG_VERSIONS) {
    for (const metric of catalogVersion(version).metrics) {
      const stage = metric.stage === 'Deprecated' ? `Deprecated, end of support ${metric.endOfSupport}` : metric.stage;
      assert.equal(page.describe(helpText(metric)), { description: metric.description, unit: metric.unit, stage }, `${version} ${metric.name}`);
    }
  }
  assert.equal(page.describe('no unit here'), { description: 'no unit here', unit: '', stage: '' });
});

test.run();

// `omen/catalog` through the package's own exports map (Node resolves a package's own name from inside it):
// a Node feature server records into the instrumentation and scrapes both its catalog and its raw series.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Registry } from '../../lib/registry.js';

test('omen/catalog exports the instrumentation, the catalog and the raw series names', async () => {
  const catalog = await import('omen/catalog');
  assert.equal(Object.keys(catalog).sort(), ['CATALOG_0_7', 'CatalogError', 'LATENCY_BUCKETS', 'MetricsInstrumentation', 'RAW', 'RawSeries', 'grpcStatusOf', 'helpText', 'instrumentCatalog', 'loadCatalog', 'loadCatalogFile']);
  const local = new Registry();
  const raw = new Registry();
  const metrics = catalog.instrumentCatalog(local, { region: 'us-east-1', raw, serverGroup: 'edge' });
  metrics.recordGetFeatures({ featureServiceId: 'fs', featureServiceName: 'fraud', status: 200, latencySeconds: 0.0002 });
  assert.match((await local.scrape()).toString(), /feature_service_requests_total_rate\{aws_region="us-east-1"\}/);
  assert.match((await raw.scrape()).toString(), /omen_feature_server_calls_total\{aws_region="us-east-1",server_group_name="edge",feature_service_id="fs",feature_service_name="fraud"\} 1/);
});

test.run();

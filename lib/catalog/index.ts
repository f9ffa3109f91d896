// `omen/catalog`: the Metrics API catalog and the instrumentation a Node feature server records into, so it
// can expose its local catalog and the raw per-instance series a metrics engine combines across a fleet.
// An explicit export list (no `export *`); spec/catalog/subpath.spec.ts imports it through the package name.
export { instrumentCatalog, MetricsInstrumentation } from './instrumentation.js';
export type { InstrumentationOptions, GetFeaturesRecord, IngestRecord, FeatureViewRows, StreamProgress, TimeInput } from './instrumentation.js';
export { loadCatalog, loadCatalogFile, helpText, CatalogError } from './catalog.js';
export type { Catalog, MetricDefinition, MetricKind, ReleaseStage } from './catalog.js';
export { CATALOG_0_7 } from './catalog-0.7.js';
export { RawSeries } from './raw-series.js';
export { RAW, LATENCY_BUCKETS } from './raw-names.js';
export { grpcStatusOf } from './grpc-status.js';

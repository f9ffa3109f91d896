// omen's public library API, listed by name. The Metrics API application (catalog, server,
// platform, cli) is built on this and nothing here imports it.
export { systemClock, FakeClock } from './clock.js';
export type { Clock } from './clock.js';
export { METRIC_TYPES } from './exposition/model.js';
export type { MetricType, LabelPair, ExemplarModel, SampleModel, FamilyModel } from './exposition/model.js';

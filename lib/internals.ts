// `omen/internals`: the machinery the metric types are built from, for people building their own
// metric types or tools on omen. Not covered by semver the way the root export is: names here may
// change in a minor release (CHANGELOG.md says when). Most code needs only `omen`.
export { Family, Child, DEFAULT_MAX_CHILDREN } from './metrics/family.js';
export type { ScrapeContext } from './metrics/family.js';

export { CkmsStream, DEFAULT_BUFFER_SIZE } from './quantile/ckms.js';
export type { CkmsOptions } from './quantile/ckms.js';
export { WindowedQuantiles, DEFAULT_MAX_AGE_SECONDS, DEFAULT_AGE_BUCKETS } from './quantile/window.js';
export type { WindowedQuantilesOptions } from './quantile/window.js';
export { DEFAULT_TARGETS, validateTargets } from './quantile/targets.js';

export { RateWindow } from './window/rate.js';
export { RatioWindow, RatioNumerator } from './window/ratio.js';
export { MaxAvgWindow } from './window/maxavg.js';
export { UtilizationWindow, EventLoopUtilizationWindow, nodeEventLoop } from './window/utilization.js';
export type { EluSample, EluSource, EventLoopUtilizationOptions } from './window/utilization.js';
export { CoarseClock } from './window/coarse-clock.js';
export type { CoarseClockOptions } from './window/coarse-clock.js';
export { DEFAULT_WINDOW_MS, DEFAULT_SLOT_MS } from './window/options.js';
export type { WindowOptions } from './window/options.js';

export { formatValue, formatCanonical } from './exposition/numbers.js';
export { formatById } from './exposition/formats.js';

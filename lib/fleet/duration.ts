// Durations as the command line and PromQL write them (`500ms`, `10s`, `5m`, `1h`, `1h30m`). Runs at startup.
// Always: a parsed duration is a positive whole number of milliseconds, and promDuration() writes it back in a
// form both Prometheus and VictoriaMetrics read.

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Milliseconds in `text`, e.g. `5m` -> 300000; throws naming the flag and the accepted form. */
export function parseDuration(text: string, flag: string): number {
  if (typeof text !== 'string' || !DURATION.test(text)) {
    throw new RangeError(`invalid ${flag} ${JSON.stringify(text)}: must be a duration like 500ms, 10s, 5m or 1h30m`);
  }
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * UNIT_MS[unit!]!;
  if (!(ms > 0) || !Number.isSafeInteger(ms)) throw new RangeError(`invalid ${flag} ${JSON.stringify(text)}: must be more than 0`);
  return ms;
}

/** A PromQL range for `ms`, in its largest exact unit: 300000 -> `5m`, 1500 -> `1500ms`. */
export function promDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit]!;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

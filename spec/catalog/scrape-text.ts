// Reads samples back out of an exposition for assertions: a line per sample, `name{labels} value [ts]`.
import * as assert from 'uvu/assert';

export interface Sample {
  value: number;
  timestamp: number | undefined;
}

/** The sample whose series text (name plus label set, as written) is `series`; fails if absent. */
export function sample(text: string, series: string): Sample {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  assert.ok(line, `no sample ${series} in:\n${text}`);
  const [, value, timestamp] = line!.slice(series.length).split(' ');
  return { value: Number(value), timestamp: timestamp === undefined ? undefined : Number(timestamp) };
}

export function value(text: string, series: string): number {
  return sample(text, series).value;
}

/** Series lines (no comments) whose metric name is `name` exactly. */
export function seriesOf(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

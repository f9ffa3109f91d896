// `omen catalog rules`: prints the catalog as a Prometheus recording-rules file (lib/fleet/rules.ts), for an
// engine that should keep the catalog's series itself. Cost: one pass over the catalog. Exit 0, or 2 on usage.
import type { CliIO, Verb } from './verb.js';
import { parseArgs } from 'node:util';
import { parseDuration } from '../fleet/duration.js';
import { recordingRules } from '../fleet/rules.js';
import { chooseCatalog } from './catalog-choice.js';
import { UsageError } from './verb.js';

const USAGE = `Usage: omen catalog rules [--catalog VERSION|FILE] [--window DURATION] [--interval DURATION]

Prints a Prometheus recording-rules file that records every catalog metric, under its catalog name, from
the raw series omen instances expose at /metrics. Check it with: promtool check rules FILE

Options:
  --catalog V     a built-in catalog version (default 0.7) or a catalog JSON file
  --window D      the range of every rate, ratio and quantile (default 5m)
  --interval D    the rule group's evaluation interval (default: the engine's evaluation_interval)`;

export const verb: Verb = {
  summary: 'print the catalog as Prometheus recording rules (omen catalog rules)',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        strict: true,
        allowPositionals: true,
        options: { catalog: { type: 'string' }, window: { type: 'string' }, interval: { type: 'string' } },
      });
    } catch (error: unknown) {
      throw new UsageError((error as Error).message);
    }
    const [what, ...extra] = parsed.positionals;
    if (what !== 'rules' || extra.length > 0) throw new UsageError(`unknown sub-command ${JSON.stringify(parsed.positionals.join(' '))}: use "omen catalog rules"`);
    const { values } = parsed;
    const windowMs = duration(values.window ?? '5m', '--window');
    const intervalMs = values.interval === undefined ? undefined : duration(values.interval, '--interval');
    io.out(recordingRules(chooseCatalog(values.catalog), { windowMs, ...(intervalMs === undefined ? {} : { intervalMs }) }));
    return 0;
  },
};

function duration(text: string, flag: string): number {
  try {
    return parseDuration(text, flag);
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
}

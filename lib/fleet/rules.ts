// The catalog as a Prometheus recording-rules file: one rule per catalog query, recording the catalog's own
// names (a summary's quantiles as `name{quantile="0.5"}`, plus `name_sum` and `name_count`). Runs once per
// `omen catalog rules`. Always: the output is YAML that `promtool check rules` accepts, expressions single-quoted.
import type { Catalog } from '../catalog/catalog.js';
import { catalogQueries } from './queries.js';
import { promDuration } from './duration.js';

export interface RulesOptions {
  windowMs: number;
  /** Group evaluation interval, e.g. `15s`; omitted, the engine's global evaluation_interval applies. */
  intervalMs?: number;
}

/** The rules file text for `catalog` over `windowMs`. */
export function recordingRules(catalog: Catalog, options: RulesOptions): string {
  const window = promDuration(options.windowMs);
  const lines = [
    `# Recording rules for the Metrics API catalog ${catalog.version}, window ${window}: omen catalog rules --catalog ${catalog.version} --window ${window}`,
    '# Each rule records a catalog metric from the raw per-instance series that omen instances expose at /metrics.',
    'groups:',
    `  - name: omen_catalog_${catalog.version.replace(/[^A-Za-z0-9]/g, '_')}`,
  ];
  if (options.intervalMs !== undefined) lines.push(`    interval: ${promDuration(options.intervalMs)}`);
  lines.push('    rules:');
  for (const query of catalogQueries(catalog, options.windowMs)) {
    lines.push(`      - record: ${query.sample}`, `        expr: ${singleQuoted(query.expr)}`);
    if (query.extraLabels.length > 0) {
      lines.push('        labels:');
      for (const [name, value] of query.extraLabels) lines.push(`          ${name}: ${singleQuoted(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A YAML single-quoted scalar: only `'` needs escaping (doubled). */
function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

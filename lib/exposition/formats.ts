// The two text formats as a small table of differences, so one writer serves both.
//
// Prometheus text 0.0.4 lacks some OpenMetrics types and sample kinds. omen degrades them the way the
// reference clients do: info and stateset become gauges (info keeps its `_info` sample name),
// gaugehistogram becomes a histogram whose `_gcount`/`_gsum` follow as separate gauge families, unknown
// becomes untyped, a counter's TYPE/HELP name is its `_total` sample name, and `_created` samples, `# UNIT`
// lines and exemplars are not written (0.0.4 has no syntax for them). Timestamps are integer milliseconds.
import type { MetricType } from './model.js';
import type { EscapingScheme } from './names.js';
import { escapeOpenMetricsHelp, escapePrometheusHelp } from './escape.js';
import { OPENMETRICS2 } from './om2-format.js';
import { formatMilliseconds, formatSeconds } from './numbers.js';

export type FormatId = 'openmetrics' | 'prometheus' | 'openmetrics2';

export interface FamilyHeader {
  name: string;
  type: MetricType;
  help?: string | undefined;
  unit?: string | undefined;
}

export interface ExpositionFormat {
  readonly id: FormatId;
  /** The exact Content-Type to answer with. */
  readonly contentType: string;
  /** Written once after the last family. */
  readonly trailer: string;
  /** Whether `_created` samples, exemplars and `# UNIT` exist in this format. */
  readonly openMetrics: boolean;
  formatTimestamp(seconds: number): string;
  /**
   * The TYPE/UNIT/HELP lines that open a family, each ending in LF. `spell` turns the name the lines carry
   * into its written form (quoted or escaped, see names.ts); without it the name is written as it is.
   */
  header(family: FamilyHeader, spell?: (name: string) => string): string;
  /**
   * How names outside the legacy set are written: quoted (`allow-utf-8`) or rewritten by a scheme, which the
   * Content-Type then names. Undefined: the scraper named no scheme, so such names are escaped with
   * underscores (the documented default) and the Content-Type carries no escaping parameter.
   */
  readonly escaping?: EscapingScheme | undefined;
}

export const OPENMETRICS: ExpositionFormat = {
  id: 'openmetrics',
  contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  trailer: '# EOF\n',
  openMetrics: true,
  formatTimestamp: formatSeconds,
  header({ name: bare, type, help, unit }, spell) {
    // [S "MetricFamily metadata"]: TYPE, then UNIT, then HELP is the recommended order.
    const name = spell === undefined ? bare : spell(bare);
    let text = `# TYPE ${name} ${type}\n`;
    if (unit !== undefined) text += `# UNIT ${name} ${unit}\n`;
    if (help !== undefined) text += `# HELP ${name} ${escapeOpenMetricsHelp(help)}\n`;
    return text;
  },
};

const PROMETHEUS_TYPE: Record<MetricType, string> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
  info: 'gauge',
  stateset: 'gauge',
  unknown: 'untyped',
};

export const PROMETHEUS: ExpositionFormat = {
  id: 'prometheus',
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  trailer: '',
  openMetrics: false,
  formatTimestamp: formatMilliseconds,
  header({ name, type, help }, spell) {
    const exposedName = spell === undefined ? prometheusFamilyName(name, type) : spell(prometheusFamilyName(name, type));
    let text = '';
    if (help !== undefined) text += `# HELP ${exposedName} ${escapePrometheusHelp(help)}\n`;
    return `${text}# TYPE ${exposedName} ${PROMETHEUS_TYPE[type]}\n`;
  },
};

/** The name Prometheus text puts on a family's TYPE and HELP lines. */
export function prometheusFamilyName(name: string, type: MetricType): string {
  if (type === 'counter') return `${name}_total`;
  if (type === 'info') return `${name}_info`;
  return name;
}

export function formatById(id: FormatId): ExpositionFormat {
  if (id === 'openmetrics2') return OPENMETRICS2;
  return id === 'openmetrics' ? OPENMETRICS : PROMETHEUS;
}

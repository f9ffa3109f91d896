// OpenMetrics 2.0.0 (rc0) text as a row of the formats table: served only when a scraper asks for version
// 2.0.0 (1.0.0 stays the OpenMetrics default). Its families go through the model and the composite-value
// writer (om2-writer.ts), never through the metric types' pre-rendered 1.0 lines.
// Holds: the header names the family exactly as its samples are named (`# TYPE foo_total counter`).
import type { ExpositionFormat } from './formats.js';
import { escapeOpenMetricsHelp } from './escape.js';
import { formatSeconds } from './numbers.js';

export const OPENMETRICS2: ExpositionFormat = {
  id: 'openmetrics2',
  contentType: 'application/openmetrics-text; version=2.0.0; charset=utf-8',
  trailer: '# EOF\n',
  openMetrics: true,
  formatTimestamp: formatSeconds,
  header({ name: bare, type, help, unit }, spell) {
    // [OM 2.0 "MetricFamily metadata"]: TYPE, UNIT, HELP; an empty UNIT or HELP means none, so none is written.
    const name = spell === undefined ? bare : spell(bare);
    let text = `# TYPE ${name} ${type}\n`;
    if (unit !== undefined && unit !== '') text += `# UNIT ${name} ${unit}\n`;
    if (help !== undefined && help !== '') text += `# HELP ${name} ${escapeOpenMetricsHelp(help)}\n`;
    return text;
  },
};

// Escaping for HELP text and label values. The common case has nothing to escape, so a single regex
// test returns the input untouched; escaping itself runs only when a family or child is created.

const LABEL_SPECIALS = /[\\"\n]/;
const PROMETHEUS_HELP_SPECIALS = /[\\\n]/;

/** Label values, both formats: backslash, double quote and line feed ([S "Escaping"]). */
export function escapeLabelValue(value: string): string {
  if (!LABEL_SPECIALS.test(value)) return value;
  return value.replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
}

/** OpenMetrics HELP: the ABNF's escaped-string excludes a raw `"`, so it is escaped like a label value. */
export function escapeOpenMetricsHelp(help: string): string {
  return escapeLabelValue(help);
}

/** Prometheus 0.0.4 HELP: only backslash and line feed are escapes; a `\"` would be read literally. */
export function escapePrometheusHelp(help: string): string {
  if (!PROMETHEUS_HELP_SPECIALS.test(help)) return help;
  return help.replace(/[\\\n]/g, (char) => (char === '\n' ? '\\n' : '\\\\'));
}

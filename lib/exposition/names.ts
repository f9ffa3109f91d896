// Metric and label names beyond the legacy character set: when a name needs quoting, how it is quoted, and
// the escaping schemes a scraper may ask for instead (prometheus/docs instrumenting/escaping_schemes.md).
// Cost: a name is checked once per family or label set (one regex test); escaping runs only for names that
// need it. Holds: legacy names (`[a-zA-Z_:][a-zA-Z0-9_:]*`, labels without `:`) come back unchanged.
import { escapeLabelValue } from './escape.js';

/** How a format spells names outside the legacy set: quoted as they are, or rewritten into it. */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

export const ESCAPING_SCHEMES: readonly EscapingScheme[] = ['allow-utf-8', 'underscores', 'dots', 'values'];

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** A name as a quoted string: `"my.metric"`, with `\\`, `\"` and `\n` escaped ([OM 2.0 "Escaping"]). */
export function quoteName(name: string): string {
  return `"${escapeLabelValue(name)}"`;
}

/** The scheme named by an `escaping=` parameter value, or undefined for an unknown one. `allow-utf8` is the docs' spelling. */
export function escapingScheme(value: string): EscapingScheme | undefined {
  if (value === 'allow-utf-8' || value === 'allow-utf8') return 'allow-utf-8';
  return (ESCAPING_SCHEMES as readonly string[]).includes(value) ? (value as EscapingScheme) : undefined;
}

/**
 * `name` rewritten into the legacy set by `scheme`; a name already in it is returned unchanged under every
 * scheme, as Prometheus escapes only names that need it. `label` applies the label rule (no `:`).
 * - underscores: every other character becomes `_` (`a.b/c` → `a_b_c`);
 * - dots: `_` → `__`, `.` → `_dot_`, any other character → `_` (`a.b_c` → `a_dot_b__c`);
 * - values: `U__` prefix, `_` → `__`, any other character → `_<hex code point>_` (`a.b` → `U__a_2E_b`).
 */
export function escapeName(name: string, scheme: EscapingScheme, label = false): string {
  if (scheme === 'allow-utf-8' || (label ? isLegacyLabelName(name) : isLegacyMetricName(name))) return name;
  let out = scheme === 'values' ? 'U__' : '';
  let first = true;
  for (const char of name) {
    const legal = isLegacyChar(char, first, label);
    first = false;
    if (scheme === 'underscores') out += legal ? char : '_';
    else if (char === '_') out += '__';
    else if (scheme === 'dots') out += char === '.' ? '_dot_' : legal ? char : '_';
    else out += legal ? char : `_${char.codePointAt(0)!.toString(16).toUpperCase()}_`;
  }
  return out === '' ? '_' : out;
}

function isLegacyChar(char: string, first: boolean, label: boolean): boolean {
  const c = char.charCodeAt(0);
  if (char.length !== 1) return false;
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) return true;
  if (c === 58) return !label;
  return !first && c >= 48 && c <= 57;
}

/** The scheme a format writes non-legacy names with: its negotiated one, else quoting in OM 2.0 and underscores elsewhere. */
export function schemeOf(format: { readonly id: string; readonly escaping?: EscapingScheme | undefined }): EscapingScheme {
  return format.escaping ?? (format.id === 'openmetrics2' ? 'allow-utf-8' : 'underscores');
}

/** A metric name as `scheme` writes it outside braces (TYPE/HELP/UNIT lines): legacy as is, else quoted or escaped. */
export function spellMetricName(name: string, scheme: EscapingScheme): string {
  if (isLegacyMetricName(name)) return name;
  return scheme === 'allow-utf-8' ? quoteName(name) : escapeName(name, scheme);
}

/** A label name as `scheme` writes it: legacy as is, else quoted or escaped. */
export function spellLabelName(name: string, scheme: EscapingScheme): string {
  if (isLegacyLabelName(name)) return name;
  return scheme === 'allow-utf-8' ? quoteName(name) : escapeName(name, scheme, true);
}

// Reads a line that starts with `#`: `# TYPE`, `# HELP`, `# UNIT`, `# EOF`, or (Prometheus 0.0.4 only) a comment.
// Cost: one pass over the line, one slice per token. Invariant: OpenMetrics accepts only the four exact
// forms of [S ABNF] ("# " keyword SP name SP rest); anything else throws with the line quoted.
import type { MetricType } from '../model.js';
import type { LineScan } from './scan.js';
import { quote } from './error.js';

export type MetadataKind = 'type' | 'help' | 'unit' | 'eof' | 'comment';

const OPENMETRICS_TYPES: ReadonlySet<string> = new Set<MetricType>([
  'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown',
]);
/** Prometheus text 0.0.4 types ([EXPO]), read case-insensitively like client_golang's parser; `untyped` is `unknown`. */
const PROMETHEUS_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['counter', 'counter'], ['gauge', 'gauge'], ['histogram', 'histogram'], ['summary', 'summary'],
  ['untyped', 'unknown'],
]);
const SPACE = 32;
const KEYWORDS: Readonly<Record<string, MetadataKind>> = { TYPE: 'type', HELP: 'help', UNIT: 'unit' };

export class MetadataLine {
  kind: MetadataKind = 'comment';
  name = '';
  nameAt = 0;
  type: MetricType = 'unknown';
  /** HELP text (unescaped) or UNIT value. */
  text = '';
  textAt = 0;
}

/** Reads the `#` line starting at `at` into `out`. */
export function readMetadata(scan: LineScan, out: MetadataLine, at: number): void {
  if (scan.loose) readPrometheus(scan, out, at);
  else readOpenMetrics(scan, out, at);
}

function readOpenMetrics(scan: LineScan, out: MetadataLine, at: number): void {
  const text = scan.text;
  const line = scan.rest(at);
  if (line === '# EOF') {
    out.kind = 'eof';
    return;
  }
  if (line.startsWith('# EOF')) scan.fail('text-after-eof', `unexpected text after # EOF: ${quote(line)}`, at + 5);
  const keyword = text.charCodeAt(at + 1) === SPACE ? line.slice(2, 6) : '';
  const kind = Object.hasOwn(KEYWORDS, keyword) ? KEYWORDS[keyword] : undefined;
  if (kind === undefined) {
    scan.fail('bad-comment', `unexpected line ${quote(line)}: OpenMetrics allows only # TYPE, # HELP, # UNIT and # EOF lines starting with #`, at);
  }
  out.kind = kind;
  const usage = `write "# ${keyword} name ${kind === 'type' ? 'type' : kind === 'unit' ? 'unit' : 'text'}"`;
  const nameAt = at + 7;
  if (line.length < 7 || text.charCodeAt(at + 6) !== SPACE) scan.fail('bad-metadata', `incomplete ${quote(line)}: ${usage}`, at + 6);
  const nameEnd = scan.metricNameEnd(nameAt);
  if (nameEnd === nameAt) {
    if (nameAt >= scan.lineEnd) scan.fail('bad-metadata', `missing metric name in ${quote(line)}: ${usage}`, nameAt);
    scan.fail('bad-metric-name', `invalid metric name in ${quote(line)}: a name must match [a-zA-Z_:][a-zA-Z0-9_:]*`, nameAt);
  }
  out.name = text.slice(nameAt, nameEnd);
  out.nameAt = nameAt;
  if (nameEnd >= scan.lineEnd || text.charCodeAt(nameEnd) !== SPACE) {
    const found = nameEnd >= scan.lineEnd ? 'the line end' : quote(text.charAt(nameEnd));
    scan.fail('bad-metadata', `expected one space after the name in ${quote(line)}, found ${found}: ${usage} (the last part may be empty for HELP and UNIT)`, nameEnd);
  }
  const restAt = nameEnd + 1;
  out.textAt = restAt;
  if (kind === 'help') {
    // The ABNF's escaped-string has no raw `"`, but the upstream case help_escaping (`# HELP a9 \\"`)
    // must parse, so a raw `"` in HELP text is taken literally, as Prometheus' own parser does.
    out.text = scan.readEscaped(restAt, false, true);
    return;
  }
  const rest = text.slice(restAt, scan.lineEnd);
  if (kind === 'type') {
    if (!OPENMETRICS_TYPES.has(rest)) {
      const hint = rest === 'untyped' ? ' (untyped is Prometheus 0.0.4; OpenMetrics calls it unknown)' : '';
      scan.fail('bad-type', `unknown metric type ${quote(rest)}: expected one of ${[...OPENMETRICS_TYPES].join(', ')}${hint}`, restAt);
    }
    out.type = rest as MetricType;
    return;
  }
  for (let i = restAt; i < scan.lineEnd; i++) {
    if (!isUnitChar(text.charCodeAt(i))) scan.fail('bad-unit', `invalid unit ${quote(rest)}: a unit must match [a-zA-Z0-9_:]*`, i);
  }
  out.text = rest;
}

function readPrometheus(scan: LineScan, out: MetadataLine, at: number): void {
  const text = scan.text;
  const keywordAt = scan.skipBlanks(at + 1);
  const keywordEnd = scan.tokenEnd(keywordAt);
  const keyword = text.slice(keywordAt, keywordEnd);
  out.kind = keyword === 'HELP' ? 'help' : keyword === 'TYPE' ? 'type' : 'comment';
  if (out.kind === 'comment') return;
  const line = scan.rest(at);
  const nameAt = scan.skipBlanks(keywordEnd);
  const nameEnd = scan.metricNameEnd(nameAt);
  if (nameEnd === nameAt || (nameEnd < scan.lineEnd && !scan.isBlankAt(nameEnd))) {
    scan.fail('bad-metadata', `missing or invalid metric name in ${quote(line)}: write "# ${keyword} name …"`, nameAt);
  }
  out.name = text.slice(nameAt, nameEnd);
  out.nameAt = nameAt;
  const restAt = scan.skipBlanks(nameEnd);
  out.textAt = restAt;
  if (out.kind === 'help') {
    // [EXPO]: HELP escapes only `\\` and `\n` (any other escape, `\"` included, is refused); a raw `"` is text.
    out.text = scan.readEscaped(restAt, false, false);
    return;
  }
  const typeEnd = scan.tokenEnd(restAt);
  const word = text.slice(restAt, typeEnd);
  const type = PROMETHEUS_TYPES.get(word.toLowerCase());
  if (type === undefined) {
    scan.fail('bad-type', `unknown metric type ${quote(word)}: Prometheus text 0.0.4 types are counter, gauge, histogram, summary, untyped`, restAt);
  }
  if (scan.skipBlanks(typeEnd) !== scan.lineEnd) scan.fail('bad-metadata', `unexpected text after the type in ${quote(line)}`, typeEnd);
  out.type = type;
}

/** [S ABNF] unit = *metricname-char: letters, digits, `_` and `:`. */
function isUnitChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95;
}

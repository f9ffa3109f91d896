// Reads one OpenMetrics 2.0 line: a metadata line (names may be quoted) or a sample line: a legacy or
// quoted name, labels with legacy or quoted keys, a number or composite value, timestamp, `st@` start
// timestamp and any number of exemplars. Cost: one pass over the line. Holds: on return the OM2Line fields
// describe the line just read; anything that breaks the ABNF ([OM 2.0 "ABNF"]) has thrown a ParseError.
import type { ExemplarModel, LabelPair, MetricType } from '../model.js';
import type { LineScan } from './scan.js';
import type { CompositeValue } from './om2-composite.js';
import { quote } from './error.js';
import { readComposite } from './om2-composite.js';
import { parseNumber, parseReal } from './number.js';

const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const OPEN = 123;
const CLOSE = 125;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);
const UNIT_CHARS = /^[a-zA-Z0-9_:]*$/;

export class OM2Meta {
  kind: 'type' | 'help' | 'unit' | 'eof' = 'eof';
  name = '';
  nameAt = 0;
  type: MetricType = 'unknown';
  text = '';
  textAt = 0;
}

export class OM2Sample {
  name = '';
  nameAt = 0;
  labels: LabelPair[] = [];
  labelAt: number[] = [];
  value = 0;
  composite: CompositeValue | undefined = undefined;
  valueAt = 0;
  timestamp: number | undefined = undefined;
  timestampAt = 0;
  start: number | undefined = undefined;
  startAt = 0;
  exemplars: ExemplarModel[] = [];
  exemplarAt = 0;
  /** The previous line's label names and values by position, reused when they repeat (no new strings). */
  readonly cache: { names: string[]; values: string[] } = { names: [], values: [] };
}

/** `# TYPE|HELP|UNIT name rest` or `# EOF`, strictly single-spaced. */
export function readOM2Meta(scan: LineScan, out: OM2Meta, at: number): void {
  const text = scan.text;
  const line = scan.rest(at);
  if (line === '# EOF') {
    out.kind = 'eof';
    return;
  }
  if (line.startsWith('# EOF')) scan.fail('text-after-eof', `unexpected text after # EOF: ${quote(line)}`, at + 5);
  const keyword = line.slice(2, 6);
  if (line.charCodeAt(1) !== SPACE || (keyword !== 'TYPE' && keyword !== 'HELP' && keyword !== 'UNIT')) {
    scan.fail('bad-comment', `unexpected line ${quote(line)}: OpenMetrics allows only # TYPE, # HELP, # UNIT and # EOF lines starting with #`, at);
  }
  out.kind = keyword === 'TYPE' ? 'type' : keyword === 'HELP' ? 'help' : 'unit';
  const nameAt = at + 7;
  if (line.length < 8 || text.charCodeAt(at + 6) !== SPACE) scan.fail('bad-metadata', `incomplete ${quote(line)}: write "# ${keyword} name ..."`, at + 6);
  out.nameAt = nameAt;
  let i = readMetricName(scan, nameAt, out);
  if (i >= scan.lineEnd || text.charCodeAt(i) !== SPACE) {
    if (i < scan.lineEnd) scan.fail('bad-metric-name', `invalid character ${quote(text.charAt(i))} in the name of ${quote(line)}: quote names outside [a-zA-Z_:][a-zA-Z0-9_:]*`, i);
    scan.fail('bad-metadata', `${quote(line)} ends after the name: write "# ${keyword} name ${out.kind === 'help' ? 'text' : out.kind}"`, i);
  }
  i++;
  out.textAt = i;
  if (out.kind === 'help') {
    scan.backslash = false;
    out.text = scan.readEscaped(i, false, true);
    return;
  }
  out.text = text.slice(i, scan.lineEnd);
  if (out.kind === 'type') {
    if (!TYPES.has(out.text)) scan.fail('bad-type', `unknown type ${quote(out.text)}: one of counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown (lowercase)`, i);
    out.type = out.text as MetricType;
  } else if (!UNIT_CHARS.test(out.text)) {
    scan.fail('bad-unit', `invalid unit ${quote(out.text)}: a unit must match [a-zA-Z0-9_:]*`, i);
  }
}

/** Reads a legacy or quoted metric name at `at` into out.name; returns the offset after it. */
function readMetricName(scan: LineScan, at: number, out: { name: string }): number {
  if (scan.text.charCodeAt(at) === QUOTE) return readQuoted(scan, at, out, 'metric');
  const end = scan.metricNameEnd(at);
  if (end === at) scan.fail('bad-metric-name', `invalid metric name at ${quote(scan.rest(at))}: a name matches [a-zA-Z_:][a-zA-Z0-9_:]* or is quoted ("my.metric")`, at);
  out.name = scan.slice(at, end, out.name); // consecutive lines mostly repeat it: no new string then
  return end;
}

function readQuoted(scan: LineScan, at: number, out: { name: string }, what: 'metric' | 'label'): number {
  out.name = scan.readEscaped(at + 1, true, true);
  if (out.name === '') scan.fail(what === 'metric' ? 'bad-metric-name' : 'bad-label-name', `empty quoted ${what} name: a quoted name needs at least one character`, at);
  return scan.end;
}

/** Reads the sample line starting at `at`. */
export function readOM2Sample(scan: LineScan, out: OM2Sample, at: number): void {
  const text = scan.text;
  out.nameAt = at;
  out.labels = [];
  let i: number;
  if (text.charCodeAt(at) === OPEN) {
    // name-and-labels-in-braces: the quoted name is the first item, without `=`.
    if (text.charCodeAt(at + 1) !== QUOTE) scan.fail('bad-metric-name', `a label set without a metric name: write name{...} or {"name",...}, found ${quote(scan.rest(at))}`, at + 1);
    i = readQuoted(scan, at + 1, out, 'metric');
    if (text.charCodeAt(i) === EQUALS) scan.fail('bad-metric-name', `the first item in braces is a label, not the metric name: write {"name",label="value"}`, at + 1);
    i = text.charCodeAt(i) === COMMA ? readLabels(scan, i + 1, out.labels, out.labelAt, at, out.cache) : closeBrace(scan, i, at);
  } else {
    if (text.charCodeAt(at) === QUOTE) scan.fail('bad-metric-name', `a quoted metric name goes inside the braces: write {${scan.rest(at).split(' ')[0]}} ...`, at);
    i = readMetricName(scan, at, out);
    if (text.charCodeAt(i) === OPEN && i < scan.lineEnd) {
      i = text.charCodeAt(i + 1) === CLOSE ? i + 2 : readLabels(scan, i + 1, out.labels, out.labelAt, i, out.cache);
    }
  }
  if (i >= scan.lineEnd) scan.fail('missing-value', `sample ${quote(scan.rest(at))} has no value`, i);
  if (text.charCodeAt(i) !== SPACE) {
    if (i === at + out.name.length) scan.fail('bad-metric-name', `invalid character ${quote(text.charAt(i))} in metric name: quote names outside [a-zA-Z_:][a-zA-Z0-9_:]* as {"name"}`, i);
    scan.fail('bad-label-set', `expected a space after the name and labels, found ${quote(scan.rest(i))}`, i);
  }
  i++;
  out.valueAt = i;
  out.composite = undefined;
  if (text.charCodeAt(i) === OPEN) {
    out.composite = readComposite(scan, i);
    out.value = out.composite.count;
    i = scan.end;
  } else {
    const end = tokenEnd(scan, i);
    if (end === i) scan.fail(i >= scan.lineEnd ? 'missing-value' : 'unexpected-whitespace', 'expected the value after one space', i);
    const value = parseNumber(text, i, end);
    if (value === undefined) scan.fail('bad-number', `invalid value ${quote(text.slice(i, end))}: a number is decimal (1, -2.5, 1e-3), +Inf, -Inf or NaN, or a composite {...}`, i);
    out.value = value;
    i = end;
  }
  out.timestamp = undefined;
  out.start = undefined;
  out.exemplars = [];
  if (i < scan.lineEnd) i = readTail(scan, out, i);
}

/** After the value: [SP timestamp] [SP st@timestamp] *(SP # SP {labels} SP number SP timestamp). */
function readTail(scan: LineScan, out: OM2Sample, from: number): number {
  const text = scan.text;
  let i = from;
  // What may come next: 0 a timestamp, 1 a start timestamp, 2 exemplars only (after st@), 3 exemplars only (after one).
  let stage = 0;
  while (i < scan.lineEnd) {
    if (text.charCodeAt(i) !== SPACE) scan.fail('bad-number', `unexpected ${quote(scan.rest(i))} after the value: separate fields with one space`, i);
    const at = i + 1;
    if (at >= scan.lineEnd) scan.fail('unexpected-whitespace', 'trailing space at the end of the line', i);
    if (text.charCodeAt(at) === HASH) {
      readExemplar(scan, out, at);
      i = scan.end;
      stage = 3;
      continue;
    }
    const end = tokenEnd(scan, at);
    if (end === at) scan.fail('unexpected-whitespace', 'expected one space between fields, found two', at);
    const token = quote(text.slice(at, end));
    if (stage === 3) scan.fail('bad-exemplar', `unexpected ${token} after an exemplar: only further exemplars " # {...} value timestamp" may follow`, at);
    if (stage === 2) scan.fail('bad-timestamp', `unexpected ${token} after the start timestamp: the order is value, timestamp, st@start, exemplars`, at);
    if (text.startsWith('st@', at)) {
      out.start = timestamp(scan, at + 3, end, 'start timestamp');
      out.startAt = at;
      stage = 2;
    } else {
      if (stage === 1) scan.fail('bad-timestamp', `unexpected ${token} after the timestamp: only st@<seconds> and exemplars may follow`, at);
      out.timestamp = timestamp(scan, at, end, 'timestamp');
      out.timestampAt = at;
      stage = 1;
    }
    i = end;
  }
  return i;
}

function readExemplar(scan: LineScan, out: OM2Sample, at: number): void {
  const text = scan.text;
  const shape = 'an exemplar is " # {labels} value timestamp" with single spaces';
  if (text.charCodeAt(at + 1) !== SPACE || text.charCodeAt(at + 2) !== OPEN) scan.fail('bad-exemplar', `malformed exemplar ${quote(scan.rest(at))}: ${shape}`, at);
  if (out.exemplars.length === 0) out.exemplarAt = at;
  const labels: LabelPair[] = [];
  let i = text.charCodeAt(at + 3) === CLOSE ? at + 4 : readLabels(scan, at + 3, labels, undefined, at + 2);
  if (text.charCodeAt(i) !== SPACE) scan.fail('bad-exemplar', `malformed exemplar ${quote(scan.rest(at))}: ${shape}`, i);
  i++;
  let end = tokenEnd(scan, i);
  const value = parseNumber(text, i, end);
  if (value === undefined) scan.fail(end === i ? 'bad-exemplar' : 'bad-number', `invalid exemplar value ${quote(text.slice(i, end))}: ${shape}`, i);
  i = end;
  if (i >= scan.lineEnd || text.charCodeAt(i) !== SPACE || text.charCodeAt(i + 1) === HASH) {
    scan.fail('bad-exemplar', `exemplar ${quote(scan.rest(at))} has no timestamp: OpenMetrics 2.0 exemplars must carry one`, i);
  }
  end = tokenEnd(scan, i + 1);
  out.exemplars.push({ labels, value, timestamp: timestamp(scan, i + 1, end, 'exemplar timestamp') });
  scan.end = end;
}

function timestamp(scan: LineScan, from: number, to: number, what: string): number {
  const seconds = parseReal(scan.text, from, to);
  if (seconds === undefined || !Number.isFinite(seconds)) {
    scan.fail('bad-timestamp', `invalid ${what} ${quote(scan.text.slice(from, to))}: a timestamp is a finite decimal number of seconds (1520879607.789)`, from);
  }
  return seconds;
}

/** Reads `key="value"` pairs after `{` (or after the quoted name's comma) through `}`; returns the offset after `}`. */
function readLabels(scan: LineScan, from: number, labels: LabelPair[], positions: number[] | undefined, open: number, cache?: { names: string[]; values: string[] }): number {
  const text = scan.text;
  let i = from;
  const key = { name: '' };
  for (;;) {
    const index = labels.length;
    if (positions !== undefined) positions[index] = i;
    if (text.charCodeAt(i) === QUOTE) i = readQuoted(scan, i, key, 'label');
    else {
      const end = scan.labelNameEnd(i);
      if (end === i) {
        if (text.charCodeAt(i) === CLOSE) scan.fail('bad-label-set', `trailing comma before } in ${quote(scan.rest(open))}`, i);
        scan.fail('bad-label-name', `invalid label name at ${quote(scan.rest(i))}: a label name matches [a-zA-Z_][a-zA-Z0-9_]* or is quoted ("my.label")`, i);
      }
      key.name = cache === undefined ? text.slice(i, end) : (cache.names[index] = scan.slice(i, end, cache.names[index] ?? ''));
      i = end;
    }
    const name = key.name;
    for (let k = 0; k < index; k++) if (labels[k]![0] === name) scan.fail('duplicate-label', `label ${quote(name)} appears twice in ${quote(scan.rest(open))}`, positions?.[index] ?? i);
    if (text.charCodeAt(i) !== EQUALS || text.charCodeAt(i + 1) !== QUOTE) {
      scan.fail('bad-label-set', `label ${quote(name)} must be followed by ="value", found ${quote(scan.rest(i))}`, i);
    }
    if (cache === undefined) labels.push([name, scan.readEscaped(i + 2, true, true)]);
    else labels.push([name, (cache.values[index] = scan.readEscaped(i + 2, true, true, cache.values[index] ?? ''))]);
    i = scan.end;
    const c = text.charCodeAt(i);
    if (c === CLOSE && i < scan.lineEnd) return i + 1;
    if (c !== COMMA || i >= scan.lineEnd) scan.fail('bad-label-set', `expected , or } after the value of label ${quote(name)}, found ${quote(scan.rest(i))}`, i);
    i++;
  }
}

function closeBrace(scan: LineScan, at: number, open: number): number {
  if (at >= scan.lineEnd || scan.text.charCodeAt(at) !== CLOSE) scan.fail('bad-label-set', `expected , or } after the quoted name in ${quote(scan.rest(open))}`, at);
  return at + 1;
}

function tokenEnd(scan: LineScan, at: number): number {
  let i = at;
  while (i < scan.lineEnd && scan.text.charCodeAt(i) !== SPACE) i++;
  return i;
}

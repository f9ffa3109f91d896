// Reads one sample line: name, label set, value, timestamp and exemplar, in either format's whitespace rules.
// Cost: one pass over the line; allocates only what the model keeps (name, label pairs, exemplar).
// Invariant: on return every field of SampleLine describes the line just read; anything else has thrown.
import type { ExemplarModel, LabelPair } from '../model.js';
import type { LineScan } from './scan.js';
import { quote } from './error.js';
import { parseInt64, parseNumber, parseReal } from './number.js';

const SPACE = 32;
const QUOTE = 34;
const HASH = 35;
const COMMA = 44;
const EQUALS = 61;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
/** [S "Exemplars"]: label names plus values of one exemplar, in code points. */
export const EXEMPLAR_MAX_CODE_POINTS = 128;
/** Up to this many labels a pairwise duplicate check beats building a Set. */
const PAIRWISE_LIMIT = 8;

/** The reusable result of readSample. `labels` and `exemplar` are fresh per line: the model keeps them. */
export class SampleLine {
  name = '';
  nameAt = 0;
  labels: LabelPair[] = [];
  /** Offset of each label's name, for errors that point at a label; entries past labels.length are stale. */
  labelAt: number[] = [];
  /** The text between the braces (empty without labels) and whether it is plain: one-space grammar, no backslash. */
  labelsFrom = 0;
  labelsTo = 0;
  labelsPlain = true;
  value = 0;
  valueAt = 0;
  timestamp: number | undefined = undefined;
  timestampAt = 0;
  exemplar: ExemplarModel | undefined = undefined;
  exemplarAt = 0;
  /** The previous line's label names and values by position: consecutive lines mostly repeat them. */
  readonly cache: LabelCache = { names: [], values: [] };
}

export interface LabelCache {
  names: string[];
  values: string[];
}

/** Reads the sample line whose name starts at `at` into `out`. Cost: one pass over the line. */
export function readSample(scan: LineScan, out: SampleLine, at: number): void {
  const text = scan.text;
  const nameEnd = scan.metricNameEnd(at);
  if (nameEnd === at) {
    scan.fail('bad-metric-name', `invalid metric name at ${quote(scan.rest(at))}: a name must match [a-zA-Z_:][a-zA-Z0-9_:]*`, at);
  }
  out.name = scan.slice(at, nameEnd, out.name);
  out.nameAt = at;
  // 0.0.4 allows blanks between the name and `{`; without a `{` they are the separator before the value.
  let i = scan.loose ? scan.skipBlanks(nameEnd) : nameEnd;
  if (i !== nameEnd && (i >= scan.lineEnd || text.charCodeAt(i) !== OPEN_BRACE)) i = nameEnd;
  const braced = i < scan.lineEnd && text.charCodeAt(i) === OPEN_BRACE;
  if (braced) {
    scan.backslash = false;
    out.labels = readLabels(scan, i, out.labelAt, out.cache);
    out.labelsFrom = i + 1;
    out.labelsTo = scan.end - 1;
    out.labelsPlain = !scan.loose && !scan.backslash;
    i = scan.end;
  } else {
    out.labels = [];
    out.labelsFrom = out.labelsTo = i;
    out.labelsPlain = true;
  }
  if (i >= scan.lineEnd) scan.fail('missing-value', `sample ${quote(scan.rest(at))} has no value`, i);
  // [EXPO] 0.0.4 reads the value right after a label set's `}`, so `a{x="1"}1` needs no blank there.
  const valueAt = scan.loose && braced && !scan.isBlankAt(i) ? i : scan.separator(i);
  if (valueAt < 0) {
    const found = quote(text.charAt(i));
    if (scan.isBlankAt(i)) scan.fail('unexpected-whitespace', `expected one space before the value, found ${found}`, i);
    if (i === nameEnd) {
      scan.fail('bad-metric-name', `invalid character ${found} in metric name ${quote(text.slice(at, scan.tokenEnd(at)))}: a name must match [a-zA-Z_:][a-zA-Z0-9_:]*`, i);
    }
    scan.fail('bad-label-set', `expected a space after the label set, found ${quote(scan.rest(i))}`, i);
  }
  out.value = readValue(scan, valueAt, 'value');
  out.valueAt = valueAt;
  out.timestamp = undefined;
  out.exemplar = undefined;
  i = scan.end;
  if (i === scan.lineEnd) return;
  let next = scan.separator(i);
  if (next < 0 || next === scan.lineEnd) {
    if (scan.loose && next === scan.lineEnd) return;
    scan.fail('unexpected-whitespace', `trailing whitespace after ${quote(text.slice(valueAt, i))}: nothing may follow the last token`, i);
  }
  if (text.charCodeAt(next) !== HASH) {
    out.timestamp = readTimestamp(scan, next);
    out.timestampAt = next;
    i = scan.end;
    if (i === scan.lineEnd) return;
    next = scan.separator(i);
    if (next < 0 || next === scan.lineEnd) {
      if (scan.loose && next === scan.lineEnd) return;
      scan.fail('unexpected-whitespace', `trailing whitespace after the timestamp ${quote(text.slice(out.timestampAt, i))}`, i);
    }
    if (text.charCodeAt(next) !== HASH) {
      if (scan.loose) scan.fail('bad-timestamp', `unexpected ${quote(scan.rest(next))} after the timestamp: a 0.0.4 sample line ends with it`, next);
      scan.fail('bad-exemplar', `unexpected ${quote(scan.rest(next))} after the timestamp: only an exemplar " # {labels} value" may follow`, next);
    }
  }
  if (scan.loose) scan.fail('bad-exemplar', `exemplar ${quote(scan.rest(next))}: Prometheus text 0.0.4 has no exemplars`, next);
  out.exemplar = readExemplar(scan, next);
  out.exemplarAt = next;
}

/** Reads `{name="value",...}` starting at the brace; leaves scan.end just past the closing brace.
 * Cost: one pass; allocates the pairs array, one tuple per label, and strings the cache cannot reuse. */
export function readLabels(scan: LineScan, at: number, positions: number[] | undefined, cache?: LabelCache): LabelPair[] {
  const text = scan.text;
  const labels: LabelPair[] = [];
  let sorted = true;
  let previous = '';
  let i = scan.skipBlanks(at + 1);
  if (i < scan.lineEnd && text.charCodeAt(i) === CLOSE_BRACE) {
    scan.end = i + 1;
    return labels;
  }
  for (;;) {
    const nameEnd = scan.labelNameEnd(i);
    if (nameEnd === i) {
      if (text.charCodeAt(i) === CLOSE_BRACE) scan.fail('bad-label-set', `trailing comma before } in ${quote(scan.rest(at))}`, i);
      scan.fail('bad-label-name', `invalid label name at ${quote(scan.rest(i))}: a label name must match [a-zA-Z_][a-zA-Z0-9_]*`, i);
    }
    const index = labels.length;
    const name = cache === undefined ? text.slice(i, nameEnd) : (cache.names[index] = scan.slice(i, nameEnd, cache.names[index] ?? ''));
    if (positions !== undefined) positions[index] = i;
    if (labels.length > 0) {
      if (name === previous) scan.fail('duplicate-label', `label ${quote(name)} appears twice in ${quote(scan.rest(at))}`, i);
      if (name < previous) sorted = false;
    }
    previous = name;
    let j = scan.skipBlanks(nameEnd);
    if (j >= scan.lineEnd || text.charCodeAt(j) !== EQUALS) {
      scan.fail('bad-label-set', `label ${quote(name)} must be followed by ="value", found ${quote(scan.rest(j))}`, j);
    }
    j = scan.skipBlanks(j + 1);
    if (j >= scan.lineEnd || text.charCodeAt(j) !== QUOTE) {
      scan.fail('bad-label-set', `the value of label ${quote(name)} must be in double quotes, found ${quote(scan.rest(j))}`, j);
    }
    if (cache === undefined) {
      labels.push([name, scan.readEscaped(j + 1, true, true)]);
    } else {
      const value = scan.readEscaped(j + 1, true, true, cache.values[index] ?? '');
      cache.values[index] = value;
      labels.push([name, value]);
    }
    j = scan.skipBlanks(scan.end);
    const c = j < scan.lineEnd ? text.charCodeAt(j) : -1;
    if (c === CLOSE_BRACE) {
      scan.end = j + 1;
      break;
    }
    if (c !== COMMA) scan.fail('bad-label-set', `expected , or } after the value of label ${quote(name)}, found ${quote(scan.rest(j))}`, j);
    i = scan.skipBlanks(j + 1);
    // Prometheus text 0.0.4 allows a trailing comma ("label_pairs … [,]"); OpenMetrics does not.
    if (scan.loose && i < scan.lineEnd && text.charCodeAt(i) === CLOSE_BRACE) {
      scan.end = i + 1;
      break;
    }
  }
  if (!sorted) checkUnique(scan, labels, positions, at);
  return labels;
}

function checkUnique(scan: LineScan, labels: LabelPair[], positions: number[] | undefined, at: number): void {
  const fail = (index: number): never => {
    const name = labels[index]?.[0] ?? '';
    return scan.fail('duplicate-label', `label ${quote(name)} appears twice in ${quote(scan.rest(at))}`, positions?.[index] ?? at);
  };
  if (labels.length <= PAIRWISE_LIMIT) {
    for (let a = 1; a < labels.length; a++) {
      for (let b = 0; b < a; b++) if (labels[a]?.[0] === labels[b]?.[0]) fail(a);
    }
    return;
  }
  const seen = new Set<string>();
  for (let a = 0; a < labels.length; a++) {
    const name = labels[a]?.[0] ?? '';
    if (seen.has(name)) fail(a);
    seen.add(name);
  }
}

function readValue(scan: LineScan, at: number, what: string): number {
  const end = scan.tokenEnd(at);
  scan.end = end;
  if (end === at) {
    if (at >= scan.lineEnd) scan.fail('missing-value', `missing ${what} at the end of the line`, at);
    scan.fail('unexpected-whitespace', `expected the ${what} after one space, found another space`, at);
  }
  const value = parseNumber(scan.text, at, end);
  if (value === undefined) {
    scan.fail('bad-number', `invalid ${what} ${quote(scan.text.slice(at, end))}: a number must be decimal (1, -2.5, 1e-3), +Inf, -Inf or NaN`, at);
  }
  // [S "Numbers"]: values are float64, so a decimal literal past its range (1e400) is refused, not read as ±Inf.
  if ((value === Infinity || value === -Infinity) && parseReal(scan.text, at, end) !== undefined) {
    scan.fail('bad-number', `invalid ${what} ${quote(scan.text.slice(at, end))}: it overflows float64; write +Inf or -Inf for an infinite value`, at);
  }
  return value;
}

function readTimestamp(scan: LineScan, at: number): number {
  const end = scan.tokenEnd(at);
  scan.end = end;
  if (end === at) scan.fail('unexpected-whitespace', 'expected a timestamp after one space, found another space', at);
  if (scan.loose) {
    const ms = parseInt64(scan.text, at, end);
    if (ms === undefined) {
      scan.fail('bad-timestamp', `invalid timestamp ${quote(scan.text.slice(at, end))}: Prometheus text 0.0.4 timestamps are integer milliseconds within int64`, at);
    }
    return ms / 1000;
  }
  // [S "Timestamps"]: a realnumber, so no NaN or ±Inf, and neither may a long literal overflow to ±Inf.
  const seconds = parseReal(scan.text, at, end);
  if (seconds === undefined || !Number.isFinite(seconds)) {
    const token = scan.text.slice(at, end);
    const rule =
      seconds !== undefined ? 'it overflows float64; a timestamp must be a finite number of seconds'
      : parseNumber(scan.text, at, end) !== undefined ? 'a timestamp must be finite, not NaN or ±Inf'
      : 'a timestamp is a decimal number of seconds (1520879607.789)';
    scan.fail('bad-timestamp', `invalid timestamp ${quote(token)}: ${rule}`, at);
  }
  return seconds;
}

/** Reads ` # {labels} value [timestamp]` from the `#`; the exemplar must end the line. */
function readExemplar(scan: LineScan, at: number): ExemplarModel {
  const text = scan.text;
  const shape = 'an exemplar is " # {labels} value [timestamp]" with single spaces';
  if (at + 2 >= scan.lineEnd || text.charCodeAt(at + 1) !== SPACE || text.charCodeAt(at + 2) !== OPEN_BRACE) {
    scan.fail('bad-exemplar', `malformed exemplar ${quote(scan.rest(at))}: ${shape}`, at);
  }
  const labels = readLabels(scan, at + 2, undefined);
  checkExemplarLength(scan, labels, at + 2);
  let i = scan.end;
  if (i >= scan.lineEnd || text.charCodeAt(i) !== SPACE) scan.fail('bad-exemplar', `malformed exemplar ${quote(scan.rest(at))}: ${shape}`, i);
  const value = readValue(scan, i + 1, 'exemplar value');
  i = scan.end;
  const exemplar: ExemplarModel = { labels, value };
  if (i === scan.lineEnd) return exemplar;
  if (i + 1 >= scan.lineEnd) scan.fail('unexpected-whitespace', `trailing whitespace after the exemplar ${quote(scan.rest(at))}`, i);
  exemplar.timestamp = readTimestamp(scan, i + 1);
  if (scan.end !== scan.lineEnd) {
    const trailing = scan.rest(scan.end).trim() === '';
    scan.fail(trailing ? 'unexpected-whitespace' : 'bad-exemplar', `unexpected ${quote(scan.rest(scan.end))} after the exemplar timestamp: the exemplar ends the line`, scan.end);
  }
  return exemplar;
}

function checkExemplarLength(scan: LineScan, labels: LabelPair[], at: number): void {
  let codePoints = 0;
  for (const [name, value] of labels) codePoints += name.length + countCodePoints(value);
  if (codePoints > EXEMPLAR_MAX_CODE_POINTS) {
    scan.fail(
      'exemplar-too-long',
      `exemplar labels have ${codePoints} code points: names and values together may have at most ${EXEMPLAR_MAX_CODE_POINTS}`,
      at,
    );
  }
}

function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) count--;
  }
  return count;
}

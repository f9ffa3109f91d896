// Reads an OpenMetrics 2.0 composite value `{count:…,sum:…,…}` exactly as the ABNF orders its fields:
// count and sum, then `quantile:[…]` (summary), or classic `bucket:[…]`, or native fields and an optional
// `bucket:[…]` after them. Cost: one pass over the braces. Holds: fields, separators and number forms are
// checked here (no whitespace anywhere inside); what the numbers mean is checked by om2-rules.ts.
import type { NativeBucketsModel } from '../model.js';
import type { LineScan } from './scan.js';
import { quote } from './error.js';
import { parseNumber, parseReal } from './number.js';

export interface CompositeValue {
  /** `gcount`/`gsum` make a gauge histogram value; `quantile` a summary's; else a histogram's. */
  shape: 'histogram' | 'gaugehistogram' | 'summary';
  count: number;
  sum: number;
  /** Classic buckets as written: threshold text (`0.5`, `+Inf`) and value; undefined when absent. */
  buckets: Array<readonly [string, number]> | undefined;
  quantiles: Array<readonly [string, number]> | undefined;
  native: NativeBucketsModel | undefined;
  /** Offset of each field's key, for errors about a field's meaning. */
  at: Record<string, number>;
}

const INTEGER = /^[+-]?[0-9]+$/;
const NON_NEGATIVE_INTEGER = /^\+?[0-9]+$/;
const POSITIVE_INTEGER = /^0*[1-9][0-9]*$/;

class Cursor {
  i: number;
  constructor(
    readonly scan: LineScan,
    at: number,
    readonly end: number,
  ) {
    this.i = at;
  }

  fail(detail: string, at = this.i): never {
    return this.scan.fail('bad-composite', `${detail} in composite value ${quote(this.scan.text.slice(this.openAt, this.end + 1))}`, at);
  }

  get openAt(): number {
    return this.scan.text.lastIndexOf('{', this.i);
  }

  /** Whether the next field is `key:`; consumes it when it is. */
  peekKey(key: string): boolean {
    const text = this.scan.text;
    if (!text.startsWith(key, this.i) || text.charCodeAt(this.i + key.length) !== 58) return false;
    this.i += key.length + 1;
    return true;
  }

  key(key: string, what: string): number {
    const at = this.i;
    if (!this.peekKey(key)) this.fail(`expected ${key}: (${what}), found ${quote(this.token())}`);
    return at;
  }

  /** A token up to the next `:`, `,`, `[`, `]` or the closing brace. */
  token(): string {
    const text = this.scan.text;
    let j = this.i;
    while (j < this.end && !':,[]'.includes(text.charAt(j))) j++;
    return text.slice(this.i, j);
  }

  take(char: string): void {
    if (this.scan.text.charAt(this.i) !== char) this.fail(`expected ${quote(char)}, found ${quote(this.scan.text.slice(this.i, this.i + 12))}`);
    this.i++;
  }

  /** Consumes `,` when it comes next. */
  comma(): boolean {
    if (this.scan.text.charCodeAt(this.i) !== 44) return false;
    this.i++;
    return true;
  }

  number(what: string): number {
    const text = this.token();
    const value = parseNumber(text, 0, text.length);
    if (value === undefined) this.fail(`invalid ${what} ${quote(text)}: a number is decimal, +Inf, -Inf or NaN`);
    this.i += text.length;
    return value;
  }

  real(what: string): number {
    const text = this.token();
    const value = parseReal(text, 0, text.length);
    if (value === undefined || !Number.isFinite(value)) this.fail(`invalid ${what} ${quote(text)}: it must be a finite decimal number`);
    this.i += text.length;
    return value;
  }

  integer(what: string, form: RegExp): number {
    const text = this.token();
    if (!form.test(text)) this.fail(`invalid ${what} ${quote(text)}: it must be ${form === POSITIVE_INTEGER ? 'a positive integer' : form === INTEGER ? 'an integer' : 'a non-negative integer'}`);
    this.i += text.length;
    return Number(text);
  }
}

/** Reads the composite value whose `{` is at `at`; leaves scan.end just past its `}`. */
export function readComposite(scan: LineScan, at: number): CompositeValue {
  const close = scan.text.indexOf('}', at);
  const end = close < 0 || close > scan.lineEnd ? scan.lineEnd : close;
  if (end === scan.lineEnd) scan.fail('bad-composite', `composite value ${quote(scan.rest(at))} has no closing }`, at);
  const c = new Cursor(scan, at + 1, end);
  const fieldAt: Record<string, number> = {};
  const gauge = scan.text.startsWith('gcount:', c.i);
  fieldAt['count'] = c.key(gauge ? 'gcount' : 'count', 'count comes first');
  const count = c.number('count');
  c.take(',');
  fieldAt['sum'] = c.key(gauge ? 'gsum' : 'sum', 'sum follows count');
  const sum = c.number('sum');
  c.take(',');
  const value: CompositeValue = { shape: gauge ? 'gaugehistogram' : 'histogram', count, sum, buckets: undefined, quantiles: undefined, native: undefined, at: fieldAt };
  if (!gauge && c.peekKey('quantile')) {
    fieldAt['quantile'] = c.i;
    value.shape = 'summary';
    value.quantiles = pairs(c, 'quantile', false);
  } else if (scan.text.startsWith('schema:', c.i)) {
    value.native = native(c, fieldAt);
    if (c.comma()) {
      fieldAt['bucket'] = c.key('bucket', 'classic buckets come last');
      value.buckets = pairs(c, 'bucket', true);
    }
  } else {
    fieldAt['bucket'] = c.key('bucket', gauge ? 'a gauge histogram needs bucket:[...] or schema:...' : 'a histogram needs bucket:[...] or schema:..., a summary quantile:[...]');
    value.buckets = pairs(c, 'bucket', true);
  }
  if (c.i !== end) c.fail(`unexpected ${quote(scan.text.slice(c.i, end))} after the last field`);
  scan.end = end + 1;
  return value;
}

/** `[k:v,...]`: quantiles (`realnumber:number`) or classic buckets, whose list must end in `+Inf:v`. */
function pairs(c: Cursor, what: string, buckets: boolean): Array<readonly [string, number]> {
  c.take('[');
  const out: Array<readonly [string, number]> = [];
  const text = c.scan.text;
  if (text.charAt(c.i) !== ']') {
    for (;;) {
      const key = c.token();
      const first = out.length === 0;
      const infinite = buckets && (key === '+Inf' || (key === '-Inf' && first));
      if (!infinite && parseReal(key, 0, key.length) === undefined) {
        c.fail(buckets ? `invalid bucket threshold ${quote(key)}: a finite decimal, -Inf first or +Inf last` : `invalid quantile ${quote(key)}: a finite decimal number`);
      }
      c.i += key.length;
      c.take(':');
      out.push([key, c.number(`${what} value`)]);
      if (!c.comma()) break;
    }
  }
  if (buckets && out[out.length - 1]?.[0] !== '+Inf') c.fail('the classic buckets must end with the +Inf bucket (+Inf:count)');
  c.take(']');
  return out;
}

function native(c: Cursor, fieldAt: Record<string, number>): NativeBucketsModel {
  fieldAt['schema'] = c.key('schema', 'native buckets start with it');
  const schema = c.integer('schema', INTEGER);
  c.take(',');
  fieldAt['zero_threshold'] = c.key('zero_threshold', 'after schema');
  const zeroThreshold = c.real('zero_threshold');
  c.take(',');
  fieldAt['zero_count'] = c.key('zero_count', 'after zero_threshold');
  const zeroCount = c.number('zero_count');
  const model: NativeBucketsModel = { schema, zeroThreshold, zeroCount, positiveSpans: [], positiveCounts: [], negativeSpans: [], negativeCounts: [] };
  for (const sign of ['negative', 'positive'] as const) {
    const before = c.i;
    if (!c.comma()) break;
    if (!c.scan.text.startsWith(`${sign}_spans:`, c.i)) {
      c.i = before;
      continue;
    }
    fieldAt[`${sign}_spans`] = c.i;
    c.key(`${sign}_spans`, '');
    const spans = spanList(c);
    c.take(',');
    fieldAt[`${sign}_buckets`] = c.key(`${sign}_buckets`, `${sign}_spans is followed by ${sign}_buckets`);
    const counts = numberList(c);
    if (sign === 'negative') {
      model.negativeSpans = spans;
      model.negativeCounts = counts;
    } else {
      model.positiveSpans = spans;
      model.positiveCounts = counts;
    }
  }
  return model;
}

function spanList(c: Cursor): Array<readonly [number, number]> {
  c.take('[');
  const spans: Array<readonly [number, number]> = [];
  if (c.scan.text.charAt(c.i) !== ']') {
    do {
      // [OM 2.0 ABNF nh-spans]: only the first offset may be negative; lengths are positive.
      const offset = c.integer('span offset', spans.length === 0 ? INTEGER : NON_NEGATIVE_INTEGER);
      c.take(':');
      spans.push([offset, c.integer('span length', POSITIVE_INTEGER)]);
    } while (c.comma());
  }
  c.take(']');
  return spans;
}

function numberList(c: Cursor): number[] {
  c.take('[');
  const values: number[] = [];
  if (c.scan.text.charAt(c.i) !== ']') {
    do values.push(c.number('bucket count'));
    while (c.comma());
  }
  c.take(']');
  return values;
}

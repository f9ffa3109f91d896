// Per-type rules of one MetricPoint ([S "Metric types"]): value ranges, `le`/`quantile`/state labels,
// bucket order, and the checks that need the whole point (`+Inf` bucket, `_count` = `+Inf`, sum/count pairs).
// Cost: O(1) per sample plus one Set insert for buckets, quantiles and states; sets are reused across points.
// Invariant: add() either records the sample, throws, or returns false without changing any state.
import type { MetricType } from '../model.js';
import type { LineScan } from './scan.js';
import type { SampleLine } from './sample.js';
import { quote, type ParseErrorCode } from './error.js';
import { formatValue } from '../numbers.js';
import { parseReal } from './number.js';
import { BUCKET, COUNT, CREATED, EXEMPLAR_KINDS, GCOUNT, GSUM, INFO, SUM, TOTAL, VALUE } from './kinds.js';

export class PointRules {
  /** OpenMetrics value rules apply; Prometheus 0.0.4 keeps only the structural ones. */
  strict = true;
  type: MetricType = 'unknown';
  family = '';
  /** Whether a point has samples that close() has not checked yet. */
  open = false;
  pointTs: number | undefined = undefined;
  #seen = 0;
  #numbers = new Set<number>();
  #states = new Set<string>();
  #lastLe = -Infinity;
  #lastBucket = 0;
  #infBucket = NaN;
  #negativeLe = false;
  #count = NaN;
  #sum = NaN;
  #lineNo = 0;
  #lineStart = 0;

  beginFamily(type: MetricType, family: string, strict: boolean): void {
    this.type = type;
    this.family = family;
    this.strict = strict;
    this.#resetPoint();
  }

  /**
   * Checks one sample of `kind`; `reserved` is the value of the type's reserved label, if the kind has one.
   * Returns false, changing nothing, when the sample repeats one of the open point (a new point starts).
   */
  add(scan: LineScan, kind: number, line: SampleLine, reserved: string | undefined, reservedAt: number): boolean {
    if (line.exemplar !== undefined && (kind & EXEMPLAR_KINDS) === 0) {
      scan.fail('exemplar-not-allowed', `exemplar on ${quote(line.name)} in ${this.type} family ${quote(this.family)}: only counter _total samples and histogram buckets may carry exemplars`, line.exemplarAt);
    }
    let number = NaN;
    if (kind === BUCKET) {
      number = this.#le(scan, line, reserved ?? '', reservedAt);
      if (this.#numbers.has(number)) return false;
    } else if (reserved !== undefined && this.type === 'summary') {
      number = this.#quantile(scan, line, reserved, reservedAt);
      if (this.#numbers.has(number)) return false;
    } else if (reserved !== undefined) {
      if (this.#states.has(reserved)) return false;
    } else if ((this.#seen & kind) !== 0) {
      return false;
    }
    this.#check(scan, kind, line, number);
    if (!this.open) {
      this.open = true;
      this.pointTs = line.timestamp;
      this.#lineNo = scan.lineNo;
      this.#lineStart = scan.lineStart;
    }
    this.#seen |= kind;
    if (kind === BUCKET || (reserved !== undefined && this.type === 'summary')) this.#numbers.add(number);
    else if (reserved !== undefined) this.#states.add(reserved);
    return true;
  }

  /** Checks what only the whole point shows, then forgets it. Cost: O(1), no allocation unless it fails. */
  close(scan: LineScan): void {
    if (!this.open) return;
    const seen = this.#seen;
    const f = this.family;
    if (this.type === 'counter' && this.strict && (seen & TOTAL) === 0) this.#fail(scan, 'missing-total', `no ${f}_total sample: a counter point needs its total`);
    if (this.type === 'histogram' || this.type === 'gaugehistogram') {
      const gauge = this.type === 'gaugehistogram';
      // Prometheus 0.0.4 has no gauge histogram, so its _sum/_count names only matter in OpenMetrics.
      const sumKind = gauge ? GSUM : SUM;
      const countKind = gauge ? GCOUNT : COUNT;
      const sumName = gauge ? '_gsum' : '_sum';
      const countName = gauge ? '_gcount' : '_count';
      // [EXPO] says the same for Prometheus 0.0.4: "A histogram must have a bucket with {le="+Inf"}".
      if (!this.#numbers.has(Infinity)) this.#fail(scan, 'missing-inf-bucket', `no ${f}_bucket{le="+Inf"}: every histogram point needs the +Inf bucket`);
      if (this.strict && ((seen & sumKind) === 0) !== ((seen & countKind) === 0)) {
        this.#fail(scan, 'sum-count-pair', `${f}${sumName} and ${f}${countName} must appear together or not at all`);
      }
      // NaN === NaN is false, yet a 0.0.4 histogram may carry NaN in both (OpenMetrics refuses NaN counts
      // earlier); Object.is would also tell 0 from -0, which are the same count.
      if ((seen & countKind) !== 0 && this.#count !== this.#infBucket && !(this.#count !== this.#count && this.#infBucket !== this.#infBucket)) {
        this.#fail(scan, 'count-mismatch', `${f}${countName} is ${this.#count} but the +Inf bucket is ${this.#infBucket}: they must be equal`);
      }
      if (this.strict && !gauge && this.#negativeLe && (seen & SUM) !== 0) {
        this.#fail(scan, 'bad-value', `${f}_sum present with a negative bucket threshold: such a histogram must omit _sum and _count`);
      }
      if (this.strict && gauge && !this.#negativeLe && (seen & GSUM) !== 0 && this.#sum < 0) {
        this.#fail(scan, 'bad-value', `${f}_gsum is ${this.#sum}: it may be negative only when a bucket threshold is negative`);
      }
    }
    this.#resetPoint();
  }

  #fail(scan: LineScan, code: ParseErrorCode, detail: string): never {
    return scan.failAt(code, `${this.type} ${quote(this.family)} point starting on this line: ${detail}`, this.#lineNo, this.#lineStart);
  }

  #check(scan: LineScan, kind: number, line: SampleLine, number: number): void {
    const value = line.value;
    if (kind === BUCKET) {
      if (number <= this.#lastLe) {
        scan.fail('bucket-order', `bucket le=${formatValue(number)} follows le=${formatValue(this.#lastLe)}: buckets must be in increasing le order, +Inf last`, line.nameAt);
      }
      if (this.strict) {
        if (Number.isNaN(value) || value < 0 || !Number.isInteger(value)) badValue(scan, line, 'a bucket count must be a non-negative integer');
        if (value < this.#lastBucket) badValue(scan, line, `buckets are cumulative, and the previous bucket holds ${this.#lastBucket}`);
        // Buckets are cumulative, so bucket le=x holds every observation <= x: only the upper bound limits
        // its exemplar. The upstream case histogram_exemplars puts 0.5 on le="2.0" and must parse.
        const exemplar = line.exemplar;
        if (exemplar !== undefined && exemplar.value > number) {
          scan.fail('bad-exemplar', `exemplar value ${formatValue(exemplar.value)} is above its bucket's le=${formatValue(number)}`, line.exemplarAt);
        }
      }
      this.#lastLe = number;
      this.#lastBucket = value;
      if (number < 0) this.#negativeLe = true;
      if (number === Infinity) this.#infBucket = value;
      return;
    }
    if (kind === COUNT || kind === GCOUNT) this.#count = value;
    if (kind === SUM || kind === GSUM) this.#sum = value;
    if (!this.strict) return;
    switch (kind) {
      case TOTAL:
        if (Number.isNaN(value) || value < 0) badValue(scan, line, 'a counter total must be a non-negative number, not NaN');
        return;
      case INFO:
        if (value !== 1) badValue(scan, line, 'an info sample must have the value 1');
        return;
      case SUM:
        if (Number.isNaN(value) || value < 0) badValue(scan, line, `a ${this.type} _sum must be a non-negative number, not NaN`);
        return;
      case COUNT:
      case GCOUNT:
        if (Number.isNaN(value) || value < 0 || !Number.isInteger(value)) badValue(scan, line, 'a count must be a non-negative integer');
        return;
      case GSUM:
        if (Number.isNaN(value)) badValue(scan, line, 'a gauge histogram _gsum must not be NaN');
        return;
      case VALUE:
        if (this.type === 'stateset' && value !== 0 && value !== 1) badValue(scan, line, 'a stateset state must be 0 or 1');
        if (this.type === 'summary' && value < 0) badValue(scan, line, 'a summary quantile value must not be negative');
        return;
      case CREATED:
      default:
    }
  }

  #le(scan: LineScan, line: SampleLine, text: string, at: number): number {
    // [S "Canonical numbers"]: parsers must take non-canonical thresholds, but infinity is exactly "+Inf";
    // a finite-looking literal that overflows (1e400) or -Inf is no bucket bound.
    const le = text === '+Inf' ? Infinity : parseReal(text, 0, text.length);
    if (le === undefined || (!Number.isFinite(le) && text !== '+Inf')) {
      scan.fail('bad-le', `invalid bucket threshold le=${quote(text)} on ${quote(line.name)}: le must be a finite decimal number or exactly "+Inf"`, at);
    }
    return le;
  }

  #quantile(scan: LineScan, line: SampleLine, text: string, at: number): number {
    // [S "Summary"]: quantiles lie in [0, 1]. A realnumber outside it, or one that overflows to ±Inf, fails
    // the range check; NaN and the infinities are not realnumbers at all.
    const q = parseReal(text, 0, text.length);
    if (q === undefined || !(q >= 0 && q <= 1)) {
      scan.fail('bad-quantile', `invalid quantile=${quote(text)} on ${quote(line.name)}: a quantile must be a decimal number in [0, 1]`, at);
    }
    return q;
  }

  #resetPoint(): void {
    this.open = false;
    this.pointTs = undefined;
    this.#seen = 0;
    if (this.#numbers.size > 0) this.#numbers.clear();
    if (this.#states.size > 0) this.#states.clear();
    this.#lastLe = -Infinity;
    this.#lastBucket = 0;
    this.#infBucket = NaN;
    this.#negativeLe = false;
    this.#count = NaN;
    this.#sum = NaN;
  }
}

function badValue(scan: LineScan, line: SampleLine, rule: string): never {
  return scan.fail('bad-value', `${quote(line.name)} has value ${formatValue(line.value)}: ${rule}`, line.valueAt);
}

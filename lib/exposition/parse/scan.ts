// The cursor the parser shares between its line readers: the decoded text, the current line's bounds and
// the lexical pieces every line kind needs (names, escaped strings, blanks). Cost: one charCodeAt per
// character read; strings are sliced once per token, never built a character at a time.
// Invariant: every read stays within [lineStart, lineEnd); failures throw ParseError at an exact offset.
import { ParseError, codePointColumn, quote, type ParseErrorCode } from './error.js';

const TAB = 9;
const LF = 10;
const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const LOWER_N = 110;

export class LineScan {
  text = '';
  /** 1-based number of the current line. */
  lineNo = 0;
  /** Offset of the current line's first character. */
  lineStart = 0;
  /** Offset of the current line's LF, or the text length for a last line without one. */
  lineEnd = 0;
  /** Prometheus text 0.0.4: runs of blanks and tabs separate tokens; OpenMetrics wants exactly one space. */
  loose = false;
  /** Where the last readEscaped stopped (just past the closing quote, or the line end). */
  end = 0;
  /** Set by readEscaped on any backslash; callers clear it. */
  backslash = false;

  reset(text: string, loose: boolean): void {
    this.text = text;
    this.loose = loose;
    this.lineNo = 0;
    this.lineStart = 0;
    this.lineEnd = 0;
    this.end = 0;
  }

  /** Throws a ParseError for the current line at `offset`. */
  fail(code: ParseErrorCode, detail: string, offset: number): never {
    throw new ParseError(code, detail, this.lineNo, codePointColumn(this.text, this.lineStart, offset));
  }

  /** Throws a ParseError for an earlier line whose number and start offset the caller kept. */
  failAt(code: ParseErrorCode, detail: string, lineNo: number, lineStart: number, offset = lineStart): never {
    throw new ParseError(code, detail, lineNo, codePointColumn(this.text, lineStart, offset));
  }

  /** text[from, to), returning `cached` instead when it holds the same characters (saves an allocation). */
  slice(from: number, to: number, cached: string): string {
    if (cached.length === to - from && this.text.startsWith(cached, from)) return cached;
    return this.text.slice(from, to);
  }

  /** The current line from `from` to its end, for quoting in messages. */
  rest(from: number): string {
    return this.text.slice(from, this.lineEnd);
  }

  /** In loose mode skips blanks and tabs; in strict mode tokens are separated by exactly one space. */
  skipBlanks(at: number): number {
    if (!this.loose) return at;
    let i = at;
    while (i < this.lineEnd && isBlank(this.text.charCodeAt(i))) i++;
    return i;
  }

  isBlankAt(at: number): boolean {
    return at < this.lineEnd && isBlank(this.text.charCodeAt(at));
  }

  /** Consumes one separator: exactly one space (strict) or one or more blanks (loose); -1 if none is there. */
  separator(at: number): number {
    if (at >= this.lineEnd) return -1;
    const c = this.text.charCodeAt(at);
    if (this.loose) return isBlank(c) ? this.skipBlanks(at) : -1;
    return c === SPACE ? at + 1 : -1;
  }

  /** End of the token starting at `at`: the next separator character or the line end. */
  tokenEnd(at: number): number {
    let i = at;
    const text = this.text;
    const end = this.lineEnd;
    if (this.loose) {
      while (i < end && !isBlank(text.charCodeAt(i))) i++;
    } else {
      while (i < end && text.charCodeAt(i) !== SPACE) i++;
    }
    return i;
  }

  /** End of a metric name `[a-zA-Z_:][a-zA-Z0-9_:]*` starting at `at` (`at` itself when there is none). */
  metricNameEnd(at: number): number {
    const text = this.text;
    const end = this.lineEnd;
    if (at >= end || !isNameStart(text.charCodeAt(at), true)) return at;
    let i = at + 1;
    while (i < end && isNameChar(text.charCodeAt(i), true)) i++;
    return i;
  }

  /** End of a label name `[a-zA-Z_][a-zA-Z0-9_]*` starting at `at` (`at` itself when there is none). */
  labelNameEnd(at: number): number {
    const text = this.text;
    const end = this.lineEnd;
    if (at >= end || !isNameStart(text.charCodeAt(at), false)) return at;
    let i = at + 1;
    while (i < end && isNameChar(text.charCodeAt(i), false)) i++;
    return i;
  }

  /**
   * Reads an escaped string from `at`: up to an unescaped `"` when `quoted` (a label value, the quote
   * consumed), else to the line end (HELP text). `\\`, `\n` and, where `quoteEscape`, `\"` are escapes;
   * a backslash before any other character stays literal ([S "Escaping"]: `\\a` is preferable to `\a`).
   * An unescaped `"` in HELP text is literal (see metadata.ts on the upstream help_escaping case).
   * `cached` is returned instead of a new slice when it holds the same characters.
   * Cost: one charCodeAt per character; one slice, or one concatenation per escape.
   */
  readEscaped(at: number, quoted: boolean, quoteEscape: boolean, cached = ''): string {
    const text = this.text;
    const end = this.lineEnd;
    let out = '';
    let segment = at;
    let i = at;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === QUOTE && quoted) {
        this.end = i + 1;
        return segment === at ? this.slice(at, i, cached) : out + text.slice(segment, i);
      } else if (c === BACKSLASH) {
        this.backslash = true;
        if (i + 1 >= end) {
          this.fail('bad-escape', `backslash at the end of ${quote(this.rest(at))}: write \\\\ for a literal backslash`, i);
        }
        const next = text.charCodeAt(i + 1);
        const decoded = next === BACKSLASH ? '\\' : next === LOWER_N ? '\n' : next === QUOTE && quoteEscape ? '"' : undefined;
        if (decoded === undefined) {
          // [EXPO] 0.0.4 defines no other escape (Prometheus refuses them); OpenMetrics keeps it literally.
          if (this.loose) {
            const allowed = quoteEscape ? '\\\\, \\" and \\n' : '\\\\ and \\n';
            this.fail('bad-escape', `undefined escape ${quote(text.slice(i, i + 2))} in ${quote(this.rest(at))}: Prometheus text 0.0.4 has only ${allowed} here`, i);
          }
          // Kept literally; the next character is then read on its own (it may start a surrogate pair).
          i++;
          continue;
        }
        out += text.slice(segment, i) + decoded;
        segment = i + 2;
        i += 2;
        continue;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // Only a JS string argument can hold a lone surrogate; decoded bytes never do.
        const pairOk = c <= 0xdbff && i + 1 < end && isLowSurrogate(text.charCodeAt(i + 1));
        if (!pairOk) this.fail('bad-utf8', `lone UTF-16 surrogate 0x${c.toString(16)}: text must be valid Unicode`, i);
        i += 2;
        continue;
      }
      i++;
    }
    if (quoted) {
      this.fail('bad-label-set', `label value ${quote(this.rest(at - 1))} has no closing double quote`, at - 1);
    }
    this.end = end;
    return segment === at ? text.slice(at, end) : out + text.slice(segment, end);
  }
}

export function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

export { LF };

function isNameStart(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colon && c === 58);
}

function isNameChar(c: number, colon: boolean): boolean {
  return isNameStart(c, colon) || (c >= 48 && c <= 57);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

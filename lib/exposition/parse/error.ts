// ParseError: the one error the exposition parser throws, with a 1-based line and column and a stable code.
// Error path only: building one scans the offending line once to count code points for the column.
// Invariant: `code` values never change meaning; tests and tools match on `code`, never on the prose.

/** Every reason the parser rejects an exposition. Grouped by the layer that detects them. */
export type ParseErrorCode =
  // bytes and lines
  | 'bad-utf8'
  | 'bad-line-ending'
  | 'blank-line'
  | 'unexpected-whitespace'
  | 'missing-newline'
  | 'missing-eof'
  | 'text-after-eof'
  // protobuf wire (line 1, column = byte offset + 1)
  | 'truncated-varint'
  | 'length-past-end'
  | 'bad-wire-type'
  | 'bad-field'
  | 'span-mismatch'
  // line grammar
  | 'bad-comment'
  | 'bad-metadata'
  | 'bad-type'
  | 'bad-metric-name'
  | 'bad-label-name'
  | 'bad-label-set'
  | 'bad-escape'
  | 'duplicate-label'
  | 'missing-value'
  | 'bad-number'
  | 'bad-timestamp'
  | 'bad-exemplar'
  | 'exemplar-too-long'
  // families and ordering
  | 'repeated-metadata'
  | 'metadata-after-samples'
  | 'bad-unit'
  | 'bad-sample-name'
  | 'interleaved-family'
  | 'name-clash'
  | 'interleaved-metric'
  | 'duplicate-series'
  | 'mixed-timestamps'
  | 'timestamp-order'
  // per-type rules
  | 'exemplar-not-allowed'
  | 'bad-value'
  | 'missing-label'
  | 'unexpected-label'
  | 'bad-le'
  | 'bad-quantile'
  | 'bucket-order'
  | 'missing-inf-bucket'
  | 'count-mismatch'
  | 'sum-count-pair'
  | 'missing-total'
  // OpenMetrics 2.0
  | 'bad-composite'
  | 'bad-native-buckets'
  | 'bad-family-name'
  | 'start-timestamp-not-allowed';

export class ParseError extends Error {
  override name = 'ParseError';
  /** 1-based line of the offending text. */
  readonly line: number;
  /** 1-based column, counted in Unicode code points from the start of the line. */
  readonly column: number;
  readonly code: ParseErrorCode;
  /** The message without the position prefix: the rule broken and the offending text. */
  readonly detail: string;

  constructor(code: ParseErrorCode, detail: string, line: number, column: number) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.code = code;
    this.detail = detail;
    this.line = line;
    this.column = column;
  }
}

/** Quotes a piece of input for an error message, cut short so a huge line cannot flood a terminal. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** Code points in text[from, to), so columns match what an editor shows for non-ASCII lines. */
export function codePointColumn(text: string, lineStart: number, offset: number): number {
  let column = 1;
  for (let i = lineStart; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // The low half of a surrogate pair does not start a new code point.
    if (c < 0xdc00 || c > 0xdfff || i === lineStart || !isHighSurrogate(text.charCodeAt(i - 1))) column++;
  }
  return column;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

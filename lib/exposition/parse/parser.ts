// The strict exposition parser: OpenMetrics 1.0.0 text exactly, or Prometheus text 0.0.4 by its looser
// rules, into the shared model. Cost: linear in the input; one decode, one indexOf per line, no regexes.
// Invariant: any input ends in FamilyModel[] or a ParseError with line, column and code; a partial
// exposition is an error in its entirety ([S "Data transmission"]).
//
// Prometheus 0.0.4 mapping into the model (OpenMetrics semantics):
// - timestamps are integer milliseconds within int64 there (as Prometheus reads them) and become Unix
//   seconds (ms / 1000);
// - `untyped` becomes `unknown`;
// - a counter's TYPE and HELP lines name its sample (`# TYPE x_total counter` over `x_total 3`): the family
//   is `x` and its samples keep the name `x_total`. A counter whose name lacks `_total` keeps its name
//   for both family and samples (valid 0.0.4; the model writer writes it as unknown in OpenMetrics);
// - families are told apart by the name on their TYPE line, so a gauge `x` next to a counter `x_total`
//   (client_golang's go_memstats_alloc_bytes pair) is two families, both named `x` in the model;
// - blanks and tabs separate tokens, blank lines and `#` comments other than HELP/TYPE are skipped,
//   a label set may end in a comma, the value may follow a label set's `}` directly, HELP escapes only
//   `\\` and `\n` and label values `\\`, `\"` and `\n` (any other escape is refused), `# TYPE` knows no
//   `unknown`, a value must fit float64 as in OpenMetrics, and there is no `# EOF`,
//   `# UNIT`, exemplar or `_created`;
// - families, metrics and series still may not interleave or repeat, and histogram buckets still need
//   `le`, ascending order, a `+Inf` bucket equal to `_count`; OpenMetrics-only value rules (negative
//   counters, NaN sums, integral counts, timestamp order) are not applied.
import type { FamilyModel } from '../model.js';
import { ExpositionBuilder } from './builder.js';
import { decodeExposition } from './decode.js';
import { MetadataLine, readMetadata } from './metadata.js';
import { SampleLine, readSample } from './sample.js';
import { parseOM2 } from './om2-parser.js';
import { LineScan, isBlank } from './scan.js';

export { ParseError } from './error.js';
export type { ParseErrorCode } from './error.js';

export type ParseFormat = 'openmetrics' | 'prometheus' | 'openmetrics2';

export interface ParseOptions {
  /** Which grammar to apply; default `'openmetrics'` (1.0.0); `'openmetrics2'` reads 2.0.0 (om2-parser.ts). */
  format?: ParseFormat;
}

const LF = 10;
const CR = 13;
const HASH = 35;

/**
 * Parses a whole exposition into families, in the order they appear, each with its samples in order.
 * Throws ParseError (and nothing else) for any input that breaks the chosen format's rules.
 */
export function parse(input: string | Uint8Array, options: ParseOptions = {}): FamilyModel[] {
  const text = decodeExposition(input);
  if (options.format === 'openmetrics2') return parseOM2(text);
  const openMetrics = (options.format ?? 'openmetrics') === 'openmetrics';
  const scan = new LineScan();
  scan.reset(text, !openMetrics);
  const builder = new ExpositionBuilder(openMetrics);
  const sample = new SampleLine();
  const meta = new MetadataLine();
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    scan.lineNo = ++lineNo;
    scan.lineStart = pos;
    scan.lineEnd = end;
    // A CR before the LF, or ending the last line (`# EOF\r`): only LF ends a line in either format. HELP
    // text may hold a CR ([S ABNF] normal-char; 0.0.4 HELP is any UTF-8), so a HELP line keeps its CR.
    if (end > pos && text.charCodeAt(end - 1) === CR && !isHelpLine(text, pos, openMetrics)) {
      scan.fail('bad-line-ending', end < text.length ? 'line ends in CR LF: lines must end in LF alone' : 'the last line ends in CR: lines must end in LF alone', end - 1);
    }
    const at = openMetrics ? pos : scan.skipBlanks(pos);
    if (at === end) {
      if (openMetrics) scan.fail('blank-line', 'blank line: OpenMetrics allows no empty lines', pos);
    } else if (text.charCodeAt(at) === HASH) {
      readMetadata(scan, meta, at);
      if (meta.kind === 'eof') {
        // [S ABNF]: exposition = metricset "# EOF" [LF], so at most one LF may follow.
        if (end < text.length - 1) {
          scan.lineNo++;
          scan.lineStart = end + 1;
          scan.fail('text-after-eof', 'text after # EOF: # EOF must be the last line', end + 1);
        }
        return builder.finish(scan);
      }
      if (meta.kind !== 'comment') builder.metadata(scan, meta);
    } else if (isBlank(text.charCodeAt(at))) {
      scan.fail('unexpected-whitespace', 'line starts with whitespace: OpenMetrics lines start with a name or #', at);
    } else {
      readSample(scan, sample, at);
      builder.sample(scan, sample);
    }
    pos = end + 1;
  }
  if (openMetrics) {
    scan.lineNo = text.length === 0 || text.charCodeAt(text.length - 1) === LF ? lineNo + 1 : lineNo;
    scan.lineStart = scan.lineNo === lineNo ? scan.lineStart : text.length;
    scan.fail('missing-eof', 'the exposition does not end with # EOF: OpenMetrics requires it as the last line', text.length);
  }
  if (text.length > 0 && text.charCodeAt(text.length - 1) !== LF) {
    scan.fail('missing-newline', 'the last line does not end in LF: Prometheus text 0.0.4 requires it', text.length);
  }
  return builder.finish(scan);
}

/** Whether the line at `pos` is `# HELP name …` (0.0.4: blanks allowed around `#` and the keyword). */
function isHelpLine(text: string, pos: number, openMetrics: boolean): boolean {
  if (openMetrics) return text.startsWith('# HELP ', pos);
  let i = pos;
  while (isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== HASH) return false;
  const keyword = i + 1;
  i = keyword;
  while (isBlank(text.charCodeAt(i))) i++;
  return i > keyword && text.startsWith('HELP', i) && isBlank(text.charCodeAt(i + 4));
}

// `omen lint`: validates exposition files (or stdin) with the strict parser and reports each one's first error
// as FILE:LINE:COL. Cost: one read (at most --max-bytes) and one parse per input. Exit 0 valid, 1 invalid,
// 2 when an input could not be linted: a usage error, an unreadable input, or one longer than --max-bytes.
// Without --format the content decides: OpenMetrics 2.0 when a line shows a composite value, st@ or a quoted
// name; OpenMetrics 1.0 when it shows a mark only OpenMetrics has (`# EOF`,
// `# UNIT`, an OpenMetrics-only type, an exemplar, `x_created` beside `x_total`), else Prometheus 0.0.4.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO, Verb } from './verb.js';
import type { FamilyModel } from '../exposition/model.js';
import { UsageError } from './verb.js';
import { DEFAULT_MAX_BYTES, describeSize, parseSize, readStreamCapped } from './input-cap.js';
import { ParseError, parse, type ParseFormat } from '../exposition/parse/parser.js';
import { decodeProtobuf } from '../exposition/proto/decode.js';

/** What lint and scrape read: the text grammars, or Prometheus' delimited protobuf (errors at 1:byte+1). */
export type LintFormat = ParseFormat | 'protobuf';

const USAGE = `Usage: omen lint [--format openmetrics|openmetrics2|prometheus|protobuf] [--max-bytes N] FILE|- [FILE...]

Validates expositions with the strict parser; "-" reads stdin. With several files, each result line starts
with the file's name and every file is checked. An input longer than --max-bytes (default 64MiB; N may end
in KiB, MiB or GiB) is refused without reading the rest.
Without --format, the input is OpenMetrics 1.0.0 when it is empty or shows a mark only OpenMetrics has
(a "# EOF" or "# UNIT" line, an info/stateset/gaugehistogram/unknown TYPE, an exemplar " # {...}", or an
x_created sample beside x_total), so a truncated OpenMetrics file is reported for its missing # EOF;
otherwise it is Prometheus text 0.0.4. It is OpenMetrics 2.0.0 when a sample shows what only 2.0 has (a
composite value {count:...}, a start timestamp st@..., or a quoted name {"name"}), or with --format openmetrics2.
--format protobuf reads Prometheus' delimited protobuf; its errors name line 1 and column = byte offset + 1.
Prints "ok: N families, M samples" and exits 0, or prints FILE:LINE:COL: message (code) and exits 1.
Exits 2 when it cannot lint: a usage error, an unreadable input, or one over --max-bytes.`;

export const verb: Verb = {
  summary: 'validate an OpenMetrics or Prometheus text exposition',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { format, files, maxBytes } = parseArgs(args);
    if (files.length === 1) return lintOne(files[0]!, format, maxBytes, io, '');
    let worst = 0;
    for (const file of files) worst = Math.max(worst, await lintOne(file, format, maxBytes, io, `${file}: `));
    return worst;
  },
};

/** Lints one input; `okPrefix` names it on the ok line when there are several. Exit code 0, 1 or 2. */
async function lintOne(file: string, format: LintFormat | undefined, maxBytes: number, io: CliIO, okPrefix: string): Promise<number> {
  const name = file === '-' ? '<stdin>' : file;
  let input: Buffer | undefined;
  try {
    input = await readStreamCapped(file === '-' ? (io.stdin as AsyncIterable<Buffer | string>) : createReadStream(resolve(io.cwd, file)), maxBytes);
  } catch (error: unknown) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    io.err(`omen lint: cannot read ${JSON.stringify(name)}: ${reason}`);
    return 2;
  }
  if (input === undefined) {
    io.err(`omen lint: ${name} is longer than --max-bytes ${maxBytes} (${describeSize(maxBytes)}); raise --max-bytes if it really is that large`);
    return 2;
  }
  const detected = format === undefined ? detectFormat(input) : undefined;
  const report = lintBytes(input, format ?? detected?.format ?? 'prometheus');
  if (report.error !== undefined) {
    io.out(`${name}:${report.error.line}:${report.error.column}: ${report.error.detail} (${report.error.code})`);
    if (detected !== undefined) {
      const other = detected.format === 'prometheus' ? 'openmetrics' : 'prometheus';
      io.err(`omen lint: note: ${okPrefix}read as ${detected.format} because ${detected.evidence}; --format ${other} reads it the other way`);
    }
    return 1;
  }
  io.out(`${okPrefix}ok: ${plural(report.families.length, 'family', 'families')}, ${plural(report.samples, 'sample', 'samples')}`);
  return 0;
}

export interface LintReport {
  format: LintFormat;
  /** Empty when the input is invalid. */
  families: FamilyModel[];
  samples: number;
  error?: ParseError;
}

/** Parses `input` as `format`; a ParseError becomes the report's error, anything else propagates. */
export function lintBytes(input: Uint8Array, format: LintFormat): LintReport {
  try {
    const families = format === 'protobuf' ? decodeProtobuf(input) : parse(input, { format });
    const samples = families.reduce((sum, family) => sum + family.samples.length, 0);
    return { format, families, samples };
  } catch (error) {
    if (error instanceof ParseError) return { format, families: [], samples: 0, error };
    throw error;
  }
}

export interface Detection {
  format: ParseFormat;
  /** Why, for a note to the user: `line 4 has # UNIT`. */
  evidence: string;
}

/** Types OpenMetrics has and Prometheus text 0.0.4 does not (0.0.4 says `untyped`). */
const OPENMETRICS_ONLY_TYPES = new Set(['info', 'stateset', 'gaugehistogram', 'unknown']);
const TYPE_LINE = /^[ \t]*#[ \t]+TYPE[ \t]+([^ \t]+)[ \t]+([^ \t]+)/;
const SAMPLE_NAME = /^[ \t]*([a-zA-Z_:][a-zA-Z0-9_:]*)/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/**
 * Which grammar an exposition asks for: OpenMetrics when it is empty (an OpenMetrics body holds at least
 * `# EOF`; an empty 0.0.4 body has nothing to lint) or shows a mark only OpenMetrics has, else 0.0.4.
 * A `_created` sample counts only beside its `_total` and without a TYPE line of its own: the Python client
 * writes 0.0.4 `_created` values as separate gauge families. Cost: one pass over the lines.
 */
export function detectFormat(input: Uint8Array): Detection {
  // latin1 never fails and keeps every ASCII byte in place; the marks are all ASCII.
  const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
  if (text.length === 0) return { format: 'openmetrics', evidence: 'the input is empty' };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const mark = om2Mark(lines[i]!);
    if (mark !== undefined) return { format: 'openmetrics2', evidence: `line ${i + 1} has ${mark}` };
  }
  const totals = new Set<string>();
  const typed = new Set<string>();
  const created: Array<[name: string, line: number]> = [];
  let lineNo = 0;
  for (let pos = 0; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    const at = `line ${lineNo}`;
    if (line === '# EOF' || line === '# EOF\r') return { format: 'openmetrics', evidence: `${at} is # EOF` };
    if (line.startsWith('# UNIT ')) return { format: 'openmetrics', evidence: `${at} has # UNIT` };
    const type = TYPE_LINE.exec(line);
    if (type !== null) {
      const [, family = '', kind = ''] = type;
      if (OPENMETRICS_ONLY_TYPES.has(kind)) return { format: 'openmetrics', evidence: `${at} declares the OpenMetrics type ${kind}` };
      typed.add(family);
      continue;
    }
    const name = SAMPLE_NAME.exec(line)?.[1];
    if (name === undefined) continue;
    if (hasExemplar(line)) return { format: 'openmetrics', evidence: `${at} has an exemplar` };
    if (name.endsWith('_total')) totals.add(name.slice(0, -'_total'.length));
    else if (name.endsWith('_created')) created.push([name, lineNo]);
  }
  for (const [name, line] of created) {
    const base = name.slice(0, -'_created'.length);
    if (totals.has(base) && !typed.has(name)) return { format: 'openmetrics', evidence: `line ${line} has ${name} beside ${base}_total` };
  }
  return { format: 'prometheus', evidence: 'it shows no mark of OpenMetrics' };
}

/** What only OpenMetrics 2.0 writes, outside quoted strings: a quoted name opening a line, a composite value, st@. */
function om2Mark(line: string): string | undefined {
  if (line.startsWith('{"')) return 'a quoted metric name';
  if (line.startsWith('#')) return undefined;
  const bare = line.replace(QUOTED, '""');
  if (/ \{g?count:/.test(bare)) return 'a composite value';
  if (/ st@[-+.0-9]/.test(bare)) return 'a start timestamp';
  return undefined;
}

/** Whether a sample line has ` # {` outside its quoted label values. */
function hasExemplar(line: string): boolean {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x20 && line.startsWith(' # {', i)) {
      return true;
    }
  }
  return false;
}

function parseArgs(args: string[]): { format: LintFormat | undefined; files: string[]; maxBytes: number } {
  let format: LintFormat | undefined;
  let maxBytes = DEFAULT_MAX_BYTES;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      format = parseFormatOption(value);
    } else if (arg === '--max-bytes' || arg.startsWith('--max-bytes=')) {
      maxBytes = parseSize((arg === '--max-bytes' ? args[++i] : arg.slice('--max-bytes='.length)) ?? '');
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('missing FILE: give a path, or - for stdin');
  if (positional.filter((file) => file === '-').length > 1) throw new UsageError('"-" (stdin) can be given once');
  return { format, files: positional, maxBytes };
}

/** Shared by lint and scrape: the --format value, validated. */
export function parseFormatOption(value: string | undefined): LintFormat {
  if (value === 'openmetrics' || value === 'prometheus' || value === 'openmetrics2' || value === 'protobuf') return value;
  throw new UsageError(`invalid --format ${JSON.stringify(value ?? '')}: use openmetrics, openmetrics2, prometheus or protobuf`);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// `omen lint`: validates exposition files (or stdin) with the strict parser and reports each one's first error
// as FILE:LINE:COL. Cost: one read and one parse of the whole input. Exit 0 valid, 1 invalid or unreadable, 2 usage.
// Without --format the content decides: OpenMetrics when it shows a mark only OpenMetrics has (`# EOF`,
// `# UNIT`, an OpenMetrics-only type, an exemplar, `x_created` beside `x_total`), else Prometheus 0.0.4.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO, Verb } from './verb.js';
import type { FamilyModel } from '../exposition/model.js';
import { UsageError } from './verb.js';
import { ParseError, parse, type ParseFormat } from '../exposition/parse/parser.js';

const USAGE = `Usage: omen lint [--format openmetrics|prometheus] FILE|- [FILE...]

Validates expositions with the strict parser; "-" reads stdin. With several files, each result line starts
with the file's name, every file is checked, and the exit code is 1 when any is invalid or unreadable.
Without --format, the input is OpenMetrics 1.0.0 when it is empty or shows a mark only OpenMetrics has
(a "# EOF" or "# UNIT" line, an info/stateset/gaugehistogram/unknown TYPE, an exemplar " # {...}", or an
x_created sample beside x_total), so a truncated OpenMetrics file is reported for its missing # EOF;
otherwise it is Prometheus text 0.0.4.
Prints "ok: N families, M samples" and exits 0, or prints FILE:LINE:COL: message (code) and exits 1.`;

export const verb: Verb = {
  summary: 'validate an OpenMetrics or Prometheus text exposition',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { format, files } = parseArgs(args);
    if (files.length === 1) return lintOne(files[0]!, format, io, '');
    let failed = 0;
    for (const file of files) {
      try {
        failed += await lintOne(file, format, io, `${file}: `);
      } catch (error: unknown) {
        io.err(`omen lint: ${error instanceof Error ? error.message : String(error)}`);
        failed++;
      }
    }
    return failed === 0 ? 0 : 1;
  },
};

/** Lints one file; `okPrefix` names it on the ok line when there are several. Exit code 0 or 1. */
async function lintOne(file: string, format: ParseFormat | undefined, io: CliIO, okPrefix: string): Promise<number> {
  const input = file === '-' ? await readStream(io.stdin) : await readInput(resolve(io.cwd, file), file);
  const name = file === '-' ? '<stdin>' : file;
  const detected = format === undefined ? detectFormat(input) : undefined;
  const report = lintBytes(input, format ?? detected?.format ?? 'prometheus');
  if (report.error !== undefined) {
    io.out(`${name}:${report.error.line}:${report.error.column}: ${report.error.detail} (${report.error.code})`);
    if (detected !== undefined) {
      const other = detected.format === 'openmetrics' ? 'prometheus' : 'openmetrics';
      io.err(`omen lint: note: ${okPrefix}read as ${detected.format} because ${detected.evidence}; --format ${other} reads it the other way`);
    }
    return 1;
  }
  io.out(`${okPrefix}ok: ${plural(report.families.length, 'family', 'families')}, ${plural(report.samples, 'sample', 'samples')}`);
  return 0;
}

export interface LintReport {
  format: ParseFormat;
  /** Empty when the input is invalid. */
  families: FamilyModel[];
  samples: number;
  error?: ParseError;
}

/** Parses `input` as `format`; a ParseError becomes the report's error, anything else propagates. */
export function lintBytes(input: Uint8Array, format: ParseFormat): LintReport {
  try {
    const families = parse(input, { format });
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

function parseArgs(args: string[]): { format: ParseFormat | undefined; files: string[] } {
  let format: ParseFormat | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      format = parseFormatOption(value);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length === 0) throw new UsageError('missing FILE: give a path, or - for stdin');
  if (positional.filter((file) => file === '-').length > 1) throw new UsageError('"-" (stdin) can be given once');
  return { format, files: positional };
}

/** Shared by lint and scrape: the --format value, validated. */
export function parseFormatOption(value: string | undefined): ParseFormat {
  if (value === 'openmetrics' || value === 'prometheus') return value;
  throw new UsageError(`invalid --format ${JSON.stringify(value ?? '')}: use openmetrics or prometheus`);
}

async function readInput(path: string, shown: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`cannot read ${JSON.stringify(shown)}: ${reason}`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

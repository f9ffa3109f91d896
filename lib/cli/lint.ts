// `omen lint`: validates an exposition file (or stdin) with the strict parser and reports the first error as
// FILE:LINE:COL. Cost: one read and one parse of the whole input. Exit 0 valid, 1 invalid or unreadable, 2 usage.
// Without --format the content decides: a line that is exactly `# EOF` means OpenMetrics, else Prometheus 0.0.4.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO, Verb } from './verb.js';
import type { FamilyModel } from '../exposition/model.js';
import { UsageError } from './verb.js';
import { ParseError, parse, type ParseFormat } from '../exposition/parser.js';

const USAGE = `Usage: omen lint [--format openmetrics|prometheus] FILE|-

Validates an exposition with the strict parser; "-" reads stdin.
Without --format, a "# EOF" line means OpenMetrics 1.0.0, otherwise Prometheus text 0.0.4.
Prints "ok: N families, M samples" and exits 0, or prints FILE:LINE:COL: message (code) and exits 1.`;

export const verb: Verb = {
  summary: 'validate an OpenMetrics or Prometheus text exposition',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const { format, file } = parseArgs(args);
    const input = file === '-' ? await readStream(io.stdin) : await readInput(resolve(io.cwd, file), file);
    const name = file === '-' ? '<stdin>' : file;
    const chosen = format ?? detectFormat(input);
    const report = lintBytes(input, chosen);
    if (report.error !== undefined) {
      io.out(`${name}:${report.error.line}:${report.error.column}: ${report.error.detail} (${report.error.code})`);
      return 1;
    }
    io.out(`ok: ${plural(report.families.length, 'family', 'families')}, ${plural(report.samples, 'sample', 'samples')}`);
    return 0;
  },
};

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

/** OpenMetrics when some line is exactly `# EOF` (optionally at the very end without LF). */
export function detectFormat(input: Uint8Array): ParseFormat {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  for (let at = bytes.indexOf('# EOF'); at >= 0; at = bytes.indexOf('# EOF', at + 1)) {
    const lineStart = at === 0 || bytes[at - 1] === 0x0a;
    const lineEnd = at + 5 === bytes.length || bytes[at + 5] === 0x0a;
    if (lineStart && lineEnd) return 'openmetrics';
  }
  return 'prometheus';
}

function parseArgs(args: string[]): { format: ParseFormat | undefined; file: string } {
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
  if (positional.length !== 1) {
    throw new UsageError(positional.length === 0 ? 'missing FILE: give a path, or - for stdin' : `one FILE expected, got ${positional.length}`);
  }
  return { format, file: positional[0] as string };
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

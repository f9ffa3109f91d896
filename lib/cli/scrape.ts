// `omen scrape`: fetches a metrics endpoint the way Prometheus does, validates the body with the strict parser
// chosen by the response Content-Type, and prints one row per family. Cost: one request, one parse.
// Exit 0 valid, 1 for HTTP errors, network errors, timeouts and invalid bodies, 2 for usage errors.
import type { CliIO, Verb } from './verb.js';
import { UsageError } from './verb.js';
import type { FamilyModel, LabelPair } from '../exposition/model.js';
import type { ParseFormat } from '../exposition/parser.js';
import { lintBytes, parseFormatOption } from './lint.js';

/** Prometheus 2.49+ with its default scrape_protocols, minus OpenMetrics 0.0.1 which omen does not parse. */
export const DEFAULT_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const ACCEPT: Record<ParseFormat, string> = {
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  prometheus: 'text/plain;version=0.0.4',
};
/** Seconds; Prometheus' default scrape_timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 10;

const USAGE = `Usage: omen scrape URL [--key KEY] [--format openmetrics|prometheus] [--timeout SECONDS]

Fetches URL, validates the exposition and prints each family's type, series and samples.
  --key KEY          send "Authorization: Tecton-key KEY"
  --format FORMAT    ask for this format only (default: Accept like Prometheus 2.49+)
  --timeout SECONDS  give up after this long (default ${DEFAULT_TIMEOUT_SECONDS})
The parser follows the response Content-Type; without a known one it uses --format, else Prometheus 0.0.4.
"series" counts distinct label sets, so a histogram's buckets, _sum and _count count once.`;

export const verb: Verb = {
  summary: 'fetch a metrics endpoint, validate it and list its families',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const options = parseArgs(args);
    const headers: Record<string, string> = { accept: options.format === undefined ? DEFAULT_ACCEPT : ACCEPT[options.format] };
    if (options.key !== undefined) headers.authorization = `Tecton-key ${options.key}`;
    let response: Response;
    let body: Buffer;
    try {
      response = await fetch(options.url, { headers, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'follow' });
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      io.err(`omen scrape: ${options.url}: ${describeFetchError(error, options.timeoutMs)}`);
      return 1;
    }
    if (!response.ok) {
      const firstLine = body.toString('utf8').split('\n', 1)[0]?.trim() ?? '';
      io.err(`omen scrape: ${options.url}: HTTP ${response.status} ${response.statusText}${firstLine === '' ? '' : `: ${firstLine}`}`);
      return 1;
    }
    const contentType = response.headers.get('content-type') ?? '';
    const format = formatOfContentType(contentType) ?? options.format ?? 'prometheus';
    if (formatOfContentType(contentType) === undefined) {
      io.err(`omen scrape: note: Content-Type ${JSON.stringify(contentType)} names no known format; parsing as ${format}`);
    }
    const report = lintBytes(body, format);
    if (report.error !== undefined) {
      const { line, column, detail, code } = report.error;
      io.out(`${options.url}:${line}:${column}: ${detail} (${code}) [${format}]`);
      return 1;
    }
    const families = report.families;
    io.out(familyTable(families));
    const series = families.reduce((sum, family) => sum + countSeries(family), 0);
    io.out(`${families.length} families, ${series} series, ${report.samples} samples (${format}, ${body.length} bytes)`);
    return 0;
  },
};

/** The parser a Content-Type asks for, by media type alone, as Prometheus picks it. */
export function formatOfContentType(contentType: string): ParseFormat | undefined {
  const media = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (media === 'application/openmetrics-text') return 'openmetrics';
  if (media === 'text/plain') return 'prometheus';
  return undefined;
}

/** One row per family: name, type, series, samples; numbers right-aligned. */
export function familyTable(families: readonly FamilyModel[]): string {
  const rows = [['NAME', 'TYPE', 'SERIES', 'SAMPLES']];
  for (const family of families) rows.push([family.name, family.type, String(countSeries(family)), String(family.samples.length)]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd())
    .join('\n');
}

/** Distinct label sets of a family, without the label its type reserves (le, quantile, the state). */
export function countSeries(family: FamilyModel): number {
  const reserved = family.type === 'histogram' || family.type === 'gaugehistogram' ? 'le' : family.type === 'summary' ? 'quantile' : family.type === 'stateset' ? family.name : undefined;
  const keys = new Set<string>();
  for (const sample of family.samples) keys.add(JSON.stringify(sortedWithout(sample.labels, reserved)));
  return keys.size;
}

function sortedWithout(labels: readonly LabelPair[], reserved: string | undefined): LabelPair[] {
  return labels.filter(([name]) => name !== reserved).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

interface ScrapeOptions {
  url: string;
  key: string | undefined;
  format: ParseFormat | undefined;
  timeoutMs: number;
}

function parseArgs(args: string[]): ScrapeOptions {
  let key: string | undefined;
  let format: ParseFormat | undefined;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--key') {
      key = value();
      if (key === undefined || key === '') throw new UsageError('--key needs a value');
    } else if (flag === '--format') {
      format = parseFormatOption(value());
    } else if (flag === '--timeout') {
      const text = value() ?? '';
      timeoutSeconds = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !(timeoutSeconds > 0)) {
        throw new UsageError(`invalid --timeout ${JSON.stringify(text)}: give a positive number of seconds, e.g. 10 or 0.5`);
      }
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'missing URL' : `one URL expected, got ${positional.length}`);
  const url = positional[0] as string;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid URL ${JSON.stringify(url)}: give an absolute http:// or https:// URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`unsupported URL scheme ${JSON.stringify(parsed.protocol)}: use http:// or https://`);
  }
  return { url, key, format, timeoutMs: Math.round(timeoutSeconds * 1000) };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no complete answer within ${timeoutMs / 1000} s (raise --timeout)`;
  }
  // undici wraps the system error (ECONNREFUSED, ENOTFOUND, …) as the cause of "fetch failed".
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return detail === undefined ? `request failed: ${message}` : `request failed: ${message} (${detail})`;
}

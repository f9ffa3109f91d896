// `omen scrape`: fetches a metrics endpoint the way Prometheus does, validates the body with the strict parser
// chosen by the response Content-Type, and prints one row per family. Cost: one request, one parse; the body
// is read chunk by chunk and refused once it passes --max-bytes, so memory stays bounded by that cap.
// Exit 0 valid, 1 for HTTP errors, network errors, timeouts, oversized and invalid bodies, 2 for usage errors.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO, Verb } from './verb.js';
import { UsageError } from './verb.js';
import type { FamilyModel, LabelPair } from '../exposition/model.js';
import { httpGet, type GetAnswer } from './http-get.js';
import { DEFAULT_MAX_BYTES, describeSize, parseSize } from './input-cap.js';
import type { LintFormat } from './lint.js';
import { lintBytes, parseFormatOption } from './lint.js';
import { CONTENT_TYPE as PROTOBUF_CONTENT_TYPE } from '../exposition/proto/schema.js';

/** Prometheus 2.49+ with its default scrape_protocols, minus OpenMetrics 0.0.1 which omen does not parse. */
export const DEFAULT_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const ACCEPT: Record<LintFormat, string> = {
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  prometheus: 'text/plain;version=0.0.4',
  openmetrics2: 'application/openmetrics-text;version=2.0.0',
  protobuf: PROTOBUF_CONTENT_TYPE.replace(/; /g, ';'),
};
/** Seconds; Prometheus' default scrape_timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** The environment variable read for the key when neither --key nor --key-file is given. */
export const KEY_ENV = 'OMEN_API_KEY';

const USAGE = `Usage: omen scrape URL [--key-file FILE | --key KEY] [--format openmetrics|openmetrics2|prometheus|protobuf]
                   [--timeout SECONDS] [--max-bytes N] [--ca FILE | --insecure]

Fetches URL, validates the exposition and prints each family's type, series and samples.
  --key-file FILE    send "Authorization: Tecton-key KEY" with the key read from FILE (surrounding
                     whitespace dropped); without --key-file or --key, the key comes from $${KEY_ENV}, if set
  --key KEY          the same with the key on the command line, where other users can see it in ps;
                     prefer --key-file or $${KEY_ENV}
  --format FORMAT    ask for this format only (default: Accept like Prometheus 2.49+)
  --timeout SECONDS  give up after this long (default ${DEFAULT_TIMEOUT_SECONDS})
  --max-bytes N      refuse a body longer than N bytes once decompressed; N may end in KiB, MiB or GiB
                     (default 64MiB; Prometheus' body_size_limit works the same way, unlimited unless set)
  --ca FILE          trust the PEM CA certificates in FILE for an https URL (instead of the system's)
  --insecure         accept any certificate for an https URL (says so on stderr; for self-signed tests)
The parser follows the response Content-Type; without a known one it uses --format, else Prometheus 0.0.4.
"series" counts distinct label sets, so a histogram's buckets, _sum and _count count once.`;

export const verb: Verb = {
  summary: 'fetch a metrics endpoint, validate it and list its families',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const options = parseArgs(args);
    const headers: Record<string, string> = { accept: options.format === undefined ? DEFAULT_ACCEPT : ACCEPT[options.format] };
    const key = await resolveKey(options, io);
    if (key !== undefined) headers.authorization = `Tecton-key ${key}`;
    const ca = options.caFile === undefined ? undefined : await readCa(options.caFile, io);
    if (options.insecure) io.err(`omen scrape: warning: --insecure: the server's certificate is not checked, so anyone in between can read the key and forge the answer`);
    let response: GetAnswer;
    let body: Buffer | undefined;
    try {
      response = await httpGet(options.url, { headers, timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, ca, insecure: options.insecure });
      body = response.body;
    } catch (error) {
      io.err(`omen scrape: ${options.url}: ${describeFetchError(error, options.timeoutMs)}`);
      return 1;
    }
    if (body === undefined) {
      io.err(`omen scrape: ${options.url}: the body is longer than --max-bytes ${options.maxBytes} (${describeSize(options.maxBytes)}) once decompressed: raise --max-bytes if the target really exposes that much`);
      return 1;
    }
    if (response.status < 200 || response.status > 299) {
      const firstLine = body.toString('utf8').split('\n', 1)[0]?.trim() ?? '';
      io.err(`omen scrape: ${options.url}: HTTP ${response.status} ${printable(response.statusText)}${firstLine === '' ? '' : `: ${printable(firstLine)}`}`);
      return 1;
    }
    const contentType = response.headers['content-type'] ?? '';
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

/**
 * The target's own words with every control character (C0, DEL, C1) written as a \\uXXXX escape, as parse
 * errors quote input: a reason phrase or body must not move the cursor or recolour the terminal.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The parser a Content-Type asks for, by media type alone, as Prometheus picks it. */
export function formatOfContentType(contentType: string): LintFormat | undefined {
  const media = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (media === 'application/vnd.google.protobuf') return 'protobuf';
  if (media === 'application/openmetrics-text') return /;\s*version\s*=\s*"?2\./i.test(contentType) ? 'openmetrics2' : 'openmetrics';
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

/** --key, else --key-file, else $OMEN_API_KEY; undefined when none is given. */
async function resolveKey(options: ScrapeOptions, io: CliIO): Promise<string | undefined> {
  if (options.key !== undefined) return options.key;
  if (options.keyFile !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, options.keyFile), 'utf8');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      throw new Error(`cannot read --key-file ${JSON.stringify(options.keyFile)}: ${reason}`);
    }
    const key = text.trim();
    if (key === '') throw new Error(`--key-file ${JSON.stringify(options.keyFile)} is empty: write the API key into it`);
    return key;
  }
  const fromEnv = io.env[KEY_ENV]?.trim();
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** The CA bundle for --ca, read once. */
async function readCa(path: string, io: CliIO): Promise<Buffer> {
  try {
    return await readFile(resolve(io.cwd, path));
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`cannot read --ca ${JSON.stringify(path)}: ${reason}`);
  }
}

interface ScrapeOptions {
  url: string;
  caFile: string | undefined;
  insecure: boolean;
  key: string | undefined;
  keyFile: string | undefined;
  format: LintFormat | undefined;
  timeoutMs: number;
  maxBytes: number;
}

function parseArgs(args: string[]): ScrapeOptions {
  let key: string | undefined;
  let keyFile: string | undefined;
  let format: LintFormat | undefined;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  let maxBytes = DEFAULT_MAX_BYTES;
  let caFile: string | undefined;
  let insecure = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--key') {
      key = value();
      if (key === undefined || key === '') throw new UsageError('--key needs a value');
    } else if (flag === '--key-file') {
      keyFile = value();
      if (keyFile === undefined || keyFile === '') throw new UsageError('--key-file needs a path');
    } else if (flag === '--ca') {
      caFile = value();
      if (caFile === undefined || caFile === '') throw new UsageError('--ca needs the path of a PEM file');
    } else if (flag === '--insecure' && inline === undefined) {
      insecure = true;
    } else if (flag === '--max-bytes') {
      maxBytes = parseSize(value() ?? '');
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
  if (key !== undefined && keyFile !== undefined) throw new UsageError('--key and --key-file both given: pass the key one way');
  if (caFile !== undefined && insecure) throw new UsageError('--ca and --insecure both given: --ca checks the certificate, --insecure skips the check; choose one');
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
  return { url, key, keyFile, format, timeoutMs: Math.round(timeoutSeconds * 1000), maxBytes, caFile, insecure };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no complete answer within ${timeoutMs / 1000} s (raise --timeout)`;
  }
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined || message.includes(code) ? `request failed: ${message}` : `request failed: ${message} (${code})`;
}

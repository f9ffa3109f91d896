// `omen push`: pushes an exposition file or a live scrape to a Pushgateway group (or deletes the group).
// The input is parsed strictly first (its format detected, or as the scrape's Content-Type says) and written
// again as Prometheus text 0.0.4, the format the Pushgateway accepts, so nothing invalid is ever pushed.
// Exit 0 pushed, 1 for invalid input, HTTP and network errors, 2 for usage errors.
import type { CliIO, Verb } from './verb.js';
import type { ParseFormat } from '../exposition/parse/parser.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROMETHEUS } from '../exposition/formats.js';
import { writeModel } from '../exposition/model-writer.js';
import { pushToGateway, PushError, PushOptionError } from '../push/push.js';
import { detectFormat, lintBytes, parseFormatOption, type LintFormat } from './lint.js';
import { httpGet } from './http-get.js';
import { DEFAULT_MAX_BYTES, readStreamCapped } from './input-cap.js';
import { DEFAULT_ACCEPT, formatOfContentType } from './scrape.js';
import { UsageError } from './verb.js';

const USAGE = `Usage: omen push GATEWAY_URL --job JOB [--label NAME=VALUE]... [--method PUT|POST|DELETE]
                 (--file FILE | --scrape TARGET_URL) [--format openmetrics|prometheus]
                 [--header "Name: value"]... [--timeout SECONDS]

Pushes metrics to a Prometheus Pushgateway group /metrics/job/JOB/NAME/VALUE...
  --job JOB          the group's job (required)
  --label NAME=VALUE a further grouping label; repeatable; values may contain "/" or be empty
  --method M         PUT replaces the group (default), POST replaces only the families pushed,
                     DELETE removes the group (no input then)
  --file FILE        an exposition file ("-" for standard input), validated before it is pushed
  --scrape URL       fetch URL (as Prometheus would) and push what it serves
  --format F         parse the file as this format (default: detected)
  --header H         an extra request header to the gateway, e.g. "Authorization: Basic ..."; repeatable
  --timeout SECONDS  give up after this long (default 10)`;

export const verb: Verb = {
  summary: 'push an exposition file or a scrape to a Prometheus Pushgateway',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const options = parseFlags(args);
    let body: Buffer | undefined;
    if (options.method !== 'DELETE') {
      const input = options.file !== undefined ? await readInput(options.file, io) : await fetchScrape(options.scrape!, options.timeoutMs);
      const format = options.format ?? input.format ?? detectFormat(input.bytes).format;
      const report = lintBytes(input.bytes, format);
      if (report.error !== undefined) {
        const { line, column, detail, code } = report.error;
        io.err(`omen push: ${input.name}:${line}:${column}: ${detail} (${code}) [${format}]; nothing was pushed`);
        return 1;
      }
      body = writeModel(report.families, PROMETHEUS);
    }
    try {
      const pushed = await pushToGateway(options.url, {
        job: options.job, groupingKey: options.labels, method: options.method, headers: options.headers, timeoutMs: options.timeoutMs,
        ...(body === undefined ? {} : { body }),
      });
      io.out(`omen push: ${options.method} ${pushed.url}: ${pushed.status}${body === undefined ? '' : ` (${body.length} bytes)`}`);
      return 0;
    } catch (error: unknown) {
      if (error instanceof PushOptionError) throw new UsageError(error.message);
      if (error instanceof PushError) {
        io.err(`omen push: ${error.message}`);
        return 1;
      }
      throw error;
    }
  },
};

interface PushFlags {
  url: string;
  job: string;
  labels: Record<string, string>;
  method: 'PUT' | 'POST' | 'DELETE';
  file: string | undefined;
  scrape: string | undefined;
  format: ParseFormat | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
}

function parseFlags(args: string[]): PushFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args, strict: true, allowPositionals: true,
      options: {
        job: { type: 'string' }, label: { type: 'string', multiple: true }, method: { type: 'string' },
        file: { type: 'string' }, scrape: { type: 'string' }, format: { type: 'string' },
        header: { type: 'string', multiple: true }, timeout: { type: 'string' },
      },
    });
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected one GATEWAY_URL, got ${positionals.length}`);
  if (values.job === undefined) throw new UsageError('--job is required: the Pushgateway groups every push under a job');
  const method = (values.method ?? 'PUT').toUpperCase();
  if (method !== 'PUT' && method !== 'POST' && method !== 'DELETE') throw new UsageError(`invalid --method ${JSON.stringify(values.method)}: use PUT, POST or DELETE`);
  if (method !== 'DELETE' && (values.file === undefined) === (values.scrape === undefined)) throw new UsageError(`${method} needs exactly one of --file or --scrape`);
  if (method === 'DELETE' && (values.file !== undefined || values.scrape !== undefined)) throw new UsageError('DELETE removes the group and pushes nothing: drop --file and --scrape');
  const labels: Record<string, string> = {};
  for (const pair of values.label ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`invalid --label ${JSON.stringify(pair)}: write NAME=VALUE (VALUE may be empty)`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const headers: Record<string, string> = {};
  for (const line of values.header ?? []) {
    const at = line.indexOf(':');
    if (at <= 0) throw new UsageError(`invalid --header ${JSON.stringify(line)}: write "Name: value"`);
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  const seconds = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`invalid --timeout ${JSON.stringify(values.timeout)}: a positive number of seconds`);
  return {
    url: positionals[0]!, job: values.job, labels, method, file: values.file, scrape: values.scrape,
    format: values.format === undefined ? undefined : pushFormat(parseFormatOption(values.format)), headers, timeoutMs: seconds * 1000,
  };
}

/** The Pushgateway takes text here; a protobuf file would have to be decoded and written again. */
function pushFormat(format: LintFormat): ParseFormat {
  if (format === 'protobuf') throw new UsageError('--format protobuf: omen push sends Prometheus text; convert the file or push a scrape instead');
  return format;
}

async function readInput(file: string, io: CliIO): Promise<{ name: string; bytes: Buffer; format?: ParseFormat }> {
  if (file !== '-') return { name: file, bytes: await readFile(resolve(io.cwd, file)) };
  // Capped like lint's input: an endless stdin must not exhaust memory.
  const bytes = await readStreamCapped(io.stdin as AsyncIterable<Buffer | string>, DEFAULT_MAX_BYTES);
  if (bytes === undefined) throw new Error(`cannot push <stdin>: it is longer than ${DEFAULT_MAX_BYTES} bytes`);
  return { name: '<stdin>', bytes };
}

async function fetchScrape(url: string, timeoutMs: number): Promise<{ name: string; bytes: Buffer; format?: ParseFormat }> {
  let response;
  try {
    response = await httpGet(url, { headers: { accept: DEFAULT_ACCEPT }, timeoutMs, maxBytes: DEFAULT_MAX_BYTES });
  } catch (error: unknown) {
    throw new Error(`cannot scrape ${url}: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`);
  }
  const bytes = response.body;
  if (bytes === undefined) throw new Error(`cannot scrape ${url}: the body is longer than ${DEFAULT_MAX_BYTES} bytes`);
  if (response.status < 200 || response.status > 299) throw new Error(`cannot scrape ${url}: HTTP ${response.status} ${response.statusText}`);
  const detected = formatOfContentType(response.headers['content-type'] ?? '');
  if (detected === 'protobuf') throw new Error(`cannot push the scrape of ${url}: it answered protobuf, and omen push sends text`);
  return detected === undefined ? { name: url, bytes } : { name: url, bytes, format: detected };
}

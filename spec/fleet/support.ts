// Fleet spec helpers: `omen serve` as real child processes (demo instances, the fleet server), a real metrics
// engine on a free port with its own config and data dir, and expositions read back with the strict parser.
// Not a spec itself (no `.spec` in the name).
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from '../../lib/exposition/parse/parser.js';
import { freePort, stopChild } from '../support/processes.js';

export const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const LINE_BOUND_MS = 20_000;

export interface Proc {
  child: ChildProcess;
  output(): string;
  /** Waits for a line of output matching `pattern`. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** A program as a child process, its stdout and stderr collected together. */
export function run(command: string, args: string[]): Proc {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const take = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-200_000));
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return {
    child,
    output: () => text,
    async line(pattern) {
      const deadline = Date.now() + LINE_BOUND_MS;
      for (;;) {
        const match = pattern.exec(text);
        if (match !== null) return match;
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no line matching ${pattern} from ${command}:\n${text.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => stopChild(child),
  };
}

/** `omen serve ARGS` as a child process. */
export function omenServe(args: string[]): Proc {
  return run(process.execPath, [CLI, 'serve', '--port', '0', ...args]);
}

export const portOf = async (proc: Proc): Promise<number> => Number((await proc.line(/listening on http:\/\/127\.0\.0\.1:(\d+)\//))[1]);

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One GET (or HEAD) on 127.0.0.1:port, gunzipping the body when it came gzipped. */
export function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One series read back from an exposition. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample of a Prometheus-text exposition, parsed strictly. */
export function seriesOf(text: string): Series[] {
  return parse(text, { format: 'prometheus' }).flatMap((family) =>
    family.samples.map((sample) => ({ name: sample.name, labels: Object.fromEntries(sample.labels), value: sample.value })),
  );
}

/** The value of the one series named `name` whose labels include `labels`, or undefined. */
export function valueOf(series: readonly Series[], name: string, labels: Record<string, string> = {}): number | undefined {
  return series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

export interface Engine {
  proc: Proc;
  url: string;
  port: number;
}

/** Starts Prometheus with `config` (YAML) and optional rule files, in `dir`, on `port` (default: a free one). */
export async function startPrometheus(binary: string, dir: string, config: string, port?: number): Promise<Engine> {
  writeFileSync(join(dir, 'prometheus.yml'), config);
  mkdirSync(join(dir, 'tsdb'), { recursive: true });
  const listen = port ?? (await freePort());
  const proc = run(binary, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${listen}`,
  ]);
  return { proc, url: `http://127.0.0.1:${listen}`, port: listen };
}

/** Starts VictoriaMetrics scraping with `scrapeConfig`, showing fresh data at once (no latency offset). */
export async function startVictoriaMetrics(binary: string, dir: string, scrapeConfig: string): Promise<Engine> {
  writeFileSync(join(dir, 'scrape.yml'), scrapeConfig);
  const port = await freePort();
  const proc = run(binary, [
    `-promscrape.config=${join(dir, 'scrape.yml')}`,
    `-storageDataPath=${join(dir, 'vm-data')}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-search.latencyOffset=0s',
    '-promscrape.configCheckInterval=0',
  ]);
  return { proc, url: `http://127.0.0.1:${port}`, port };
}

/** Polls `check` every 200 ms until it is true, at most `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Scrape config lines for the instances' raw series at /metrics, sent the Tecton-key from `keyFile`. */
export function scrapeJob(ports: readonly number[], keyFile: string): string {
  return [
    'scrape_configs:',
    '  - job_name: omen',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Tecton-key',
    `      credentials_file: ${keyFile}`,
    '    static_configs:',
    `      - targets: [${ports.map((port) => `'127.0.0.1:${port}'`).join(', ')}]`,
  ].join('\n');
}

/** Three demo instances on one data dir (two server groups), started one after another so they share the demo key. */
export async function startInstances(dataDir: string, window: string): Promise<{ procs: Proc[]; ports: number[]; apiKey: string; groups: string[] }> {
  const groups = ['alpha', 'alpha', 'beta'];
  const procs: Proc[] = [];
  const ports: number[] = [];
  let apiKey = '';
  for (let i = 0; i < groups.length; i++) {
    const proc = omenServe(['--demo', '--data-dir', dataDir, '--instance', `i${i + 1}`, '--server-group', groups[i]!, '--window', window]);
    procs.push(proc);
    ports.push(await portOf(proc));
    apiKey = (await proc.line(/^omen demo: API key: (\S+)$/m))[1]!;
  }
  return { procs, ports, apiKey, groups };
}

/** A range-vector query's answer (`expr[5s]` at `time`): each series' labels and [time, value] points. */
export async function matrix(url: string, expr: string, time: number): Promise<{ labels: Record<string, string>; points: [number, number][] }[]> {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr, time: String(time) })}`);
  const body = (await res.json()) as { data?: { result?: { metric: Record<string, string>; values: [number, string][] }[] } };
  return (body.data?.result ?? []).map((series) => ({ labels: series.metric, points: series.values.map(([t, v]) => [t, Number(v)]) }));
}

/**
 * Rule evaluation times (from `recorded[15s]`) at which every target's latest scrape had been stored well
 * before the rules ran (scrape start + duration + 100 ms), so re-evaluating then sees exactly the rules' data.
 */
export async function settledEvaluations(url: string, recorded: string): Promise<number[]> {
  const now = Date.now() / 1000;
  const [evaluations, durations] = await Promise.all([matrix(url, `${recorded}[15s]`, now), matrix(url, 'scrape_duration_seconds[20s]', now)]);
  const times = evaluations[0]?.points.map(([t]) => t) ?? [];
  return times.filter((t) =>
    durations.every(({ points }) => {
      const last = points.filter(([start]) => start <= t).at(-1);
      return last !== undefined && last[0] + last[1] + 0.1 < t;
    }),
  ).reverse();
}

// `make fleet`: the three parts of fleet mode on one machine. Three demo instances in two server groups, a real
// Prometheus scraping their raw series (with the rules `omen catalog rules` prints), and `omen serve --source
// prometheus` on PORT answering the Metrics API from it. Ctrl-C stops every child. Exit 2 without Prometheus.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboardLink } from '../../lib/platform/demo.js';
// The repository's own helpers for running real programs (make fleet runs from a checkout, like the specs).
import { findOnPath, freePort } from '../../spec/support/processes.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const WINDOW = '1m'; // a short window, so the fleet's rates read true a minute after start
const INSTANCES = [
  { id: 'i1', group: 'alpha' },
  { id: 'i2', group: 'alpha' },
  { id: 'i3', group: 'beta' },
];

const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const prometheus = findOnPath('prometheus');
if (prometheus === undefined) {
  console.error('make fleet needs Prometheus: sudo apt-get install -y prometheus');
  process.exit(2);
}

const home = resolve('.omen', 'fleet');
const dataDir = join(home, 'data');
const engineDir = join(home, 'prometheus');
rmSync(engineDir, { recursive: true, force: true }); // a fresh engine each run; the data dir (and its keys) stays
mkdirSync(join(engineDir, 'tsdb'), { recursive: true });
mkdirSync(dataDir, { recursive: true, mode: 0o700 });

const children: ChildProcess[] = [];
/** Each child's output so far, so a wait for a line also sees lines that came before it started waiting. */
const outputs = new Map<ChildProcess, { text: string }>();
let stopping = false;
process.on('SIGINT', () => void stopAll(0)).on('SIGTERM', () => void stopAll(0));

try {
  const ports: number[] = [];
  let apiKey = '';
  for (const instance of INSTANCES) {
    const child = start('instance ' + instance.id, process.execPath, [CLI, 'serve', '--demo', '--port', '0', '--data-dir', dataDir, '--instance', instance.id, '--server-group', instance.group]);
    const listening = await line(child, /listening on http:\/\/127\.0\.0\.1:(\d+)\//);
    ports.push(Number(listening[1]));
    apiKey = (await line(child, /^omen demo: API key: (\S+)$/m))[1]!;
    console.log(`fleet: instance ${instance.id} (server group ${instance.group}) on 127.0.0.1:${ports.at(-1)}, raw series at /metrics`);
  }
  writeFileSync(join(engineDir, 'tecton-api-key'), `${apiKey}\n`, { mode: 0o600 });
  const rules = await output(process.execPath, [CLI, 'catalog', 'rules', '--window', WINDOW]);
  writeFileSync(join(engineDir, 'rules.yml'), rules);
  writeFileSync(join(engineDir, 'prometheus.yml'), prometheusConfig(ports));
  const enginePort = await freePort();
  const engine = start('prometheus', prometheus, [
    `--config.file=${join(engineDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(engineDir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${enginePort}`,
  ]);
  await line(engine, /Server is ready to receive web requests/);
  console.log(`fleet: Prometheus on http://127.0.0.1:${enginePort} scraping every 5 s, recording the catalog (${join(engineDir, 'rules.yml')})`);
  const api = start('metrics api', process.execPath, [
    CLI, 'serve', '--source', 'prometheus', '--prometheus-url', `http://127.0.0.1:${enginePort}`, '--port', String(port), '--data-dir', dataDir, '--window', WINDOW,
  ]);
  await line(api, /listening on/);
  const url = `http://127.0.0.1:${port}/api/v1/observability/metrics`;
  console.log(`fleet: the Metrics API for the fleet: ${url} (rates over ${WINDOW}; give it a minute)`);
  console.log(`fleet: API key: ${apiKey}`);
  console.log(`fleet: dashboard: ${dashboardLink(url, apiKey)}`);
  console.log(`fleet:   curl -H "Authorization: Tecton-key ${apiKey}" ${url}`);
  console.log('fleet: Ctrl-C stops all of them');
} catch (error: unknown) {
  console.error(`fleet: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}

function start(name: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const seen = { text: '' };
  outputs.set(child, seen);
  const keep = (chunk: Buffer) => (seen.text = (seen.text + chunk.toString()).slice(-16_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`fleet: ${name} exited (${signal ?? code}); stopping the others. Its last output:\n${seen.text}`);
    void stopAll(1);
  });
  return child;
}

function line(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const seen = outputs.get(child)!;
  return new Promise((resolve, reject) => {
    // Runs after start()'s own listener, so seen.text already holds the chunk.
    const look = () => {
      const match = pattern.exec(seen.text);
      if (match === null) return;
      clearTimeout(timer);
      child.stdout!.off('data', look);
      child.stderr!.off('data', look);
      resolve(match);
    };
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s:\n${seen.text}`)), timeoutMs);
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    look();
  });
}

function output(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  console.log('fleet: stopped');
  process.exit(code);
}

function prometheusConfig(ports: readonly number[]): string {
  return [
    'global:',
    '  scrape_interval: 5s',
    '  evaluation_interval: 5s',
    'rule_files:',
    `  - ${join(engineDir, 'rules.yml')}`,
    'scrape_configs:',
    '  - job_name: omen',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Tecton-key',
    `      credentials_file: ${join(engineDir, 'tecton-api-key')}`,
    '    static_configs:',
    `      - targets: [${ports.map((p) => `'127.0.0.1:${p}'`).join(', ')}]`,
    '',
  ].join('\n');
}


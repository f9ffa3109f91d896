// `omen scrape` and parse() over a real Prometheus's own /metrics (Debian's `prometheus` package: client_golang
// output with go_memstats_alloc_bytes beside go_memstats_alloc_bytes_total). Prometheus is started here on
// 127.0.0.1 with a free port and temporary config and data dirs, and stopped by its PID; skipped when absent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import type { CliIO } from '../../lib/cli/verb.js';
import { formatOfContentType } from '../../lib/cli/scrape.js';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { parse } from '../../lib/exposition/parse/parser.js';
import type { FamilyModel } from '../../lib/exposition/model.js';
import { findOnPath, freePort, stopChild } from '../support/processes.js';

/** A safety bound on start-up and shutdown, not a measurement: Prometheus is ready in well under a second. */
const BOUND_MS = 8000;
const ACCEPT = {
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  prometheus: 'text/plain;version=0.0.4',
} as const;

async function scrape(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: Readable.from([]), env: {}, cwd: dir };
  const code = await main(['scrape', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function version(families: FamilyModel[]): string {
  const info = families.find((f) => f.name === 'prometheus_build_info');
  return info?.samples[0]?.labels.find(([name]) => name === 'version')?.[1] ?? '(unknown version)';
}

/** Resolves when Prometheus logs that it serves requests; rejects if it exits first or takes too long. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const bound = setTimeout(() => reject(new Error(`prometheus not ready within ${BOUND_MS} ms:\n${log}`)), BOUND_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      if (log.includes('Server is ready to receive web requests')) {
        clearTimeout(bound);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(bound);
      reject(new Error(`prometheus exited with ${code}:\n${log}`));
    });
  });
}




const binary = findOnPath('prometheus');
let prometheus: ChildProcess | undefined;
let dir = '';
let url = '';

if (binary === undefined) {
  console.log('prometheus-metrics: skipped: no "prometheus" binary on PATH (apt-get install -y prometheus)');
  test.skip('omen scrape reads a real Prometheus /metrics in both formats');
} else {
  test.before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omen-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
    const listen = `127.0.0.1:${await freePort()}`;
    url = `http://${listen}/metrics`;
    prometheus = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${listen}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await ready(prometheus);
  });

  test.after(async () => {
    await stopChild(prometheus, BOUND_MS);
    rmSync(dir, { recursive: true, force: true });
  });

  test('omen scrape lists its families, the gauge and the counter named go_memstats_alloc_bytes included', async () => {
    for (const args of [[], ['--format', 'openmetrics'], ['--format', 'prometheus']]) {
      const run = await scrape([url, ...args]);
      assert.is(run.code, 0, `${args.join(' ')}: ${run.out}\n${run.err}`);
      assert.match(run.out, /^go_memstats_alloc_bytes\s+gauge\s+1\s+1$/m);
      assert.match(run.out, /^go_memstats_alloc_bytes\s+counter\s+1\s+1$/m);
      assert.match(run.out, /^\d+ families, \d+ series, \d+ samples \((openmetrics|prometheus), \d+ bytes\)$/m);
    }
  });

  for (const asked of ['openmetrics', 'prometheus'] as const) {
    test(`asked for ${asked}, its body parses strictly by its Content-Type and round-trips`, async () => {
      const response = await fetch(url, { headers: { accept: ACCEPT[asked] } });
      const body = Buffer.from(await response.arrayBuffer());
      const format = formatOfContentType(response.headers.get('content-type') ?? '');
      assert.ok(format !== undefined && format !== 'protobuf', `unexpected Content-Type ${response.headers.get('content-type')}`);
      const families = parse(body, { format });
      if (format !== asked) console.log(`prometheus-metrics: Prometheus ${version(families)} answered ${format} when asked for ${asked}`);
      assert.ok(families.length > 20, `${families.length} families`);
      const writer = format === 'openmetrics' ? OPENMETRICS : PROMETHEUS;
      assert.equal(parse(writeModel(families, writer), { format }), families);
      // OpenMetrics cannot hold a gauge named like a counter family; every other family converts.
      const counters = new Set(families.filter((f) => f.type === 'counter').map((f) => f.name));
      const convertible = families.filter((f) => f.type === 'counter' || !counters.has(f.name));
      assert.ok(convertible.length < families.length || format === 'openmetrics', 'the gauge-counter pair was seen');
      assert.equal(parse(writeModel(convertible, OPENMETRICS)), convertible);
    });
  }
}

test.run();

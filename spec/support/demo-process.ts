// `omen serve --demo` as a real child process for end-to-end specs (the dashboard page, Grafana queries):
// its own data dir and a free port, its banner read for the port, the API key and the dashboard link.
// Not a spec itself. Always: stopped by its own PID, and its data dir removed after.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './processes.js';

const CLI = fileURLToPath(new URL('../../lib/cli.js', import.meta.url));
const BANNER_MS = 60_000;

export interface DemoProcess {
  readonly port: number;
  readonly apiKey: string;
  /** The banner's `http://127.0.0.1:PORT/#key=...` link. */
  readonly dashboard: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `omen serve --demo --port 0 ARGS...` and resolves once its banner has printed the dashboard link. */
export async function startDemoProcess(args: string[] = []): Promise<DemoProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'omen-demo-'));
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--demo', '--port', '0', '--data-dir', join(dir, 'data'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + BANNER_MS;
  let match: RegExpExecArray | null;
  while ((match = /dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/#key=(\S+))/.exec(text)) === null) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`omen serve --demo printed no dashboard link:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [, dashboard, port, key] = match as unknown as [string, string, string, string];
  return { port: Number(port), apiKey: decodeURIComponent(key), dashboard, output: () => text, stop };
}

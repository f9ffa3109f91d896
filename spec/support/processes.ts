// Spec helpers for tests that run real programs (Prometheus, promtool): find one on PATH, pick a free
// loopback port, and stop a child by its own PID. Not a spec itself (no `.spec` in the name).
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** The executable `name` on PATH, or undefined when it is not installed. */
export function findOnPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(folder, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** A port the kernel just handed out on 127.0.0.1 and released: free unless another process grabs it first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** SIGTERM to this child's PID, then SIGKILL if it has not exited within `patienceMs`. */
export async function stopChild(child: ChildProcess | undefined, patienceMs = 10_000): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const bound = setTimeout(() => child.kill('SIGKILL'), patienceMs);
  await exited;
  clearTimeout(bound);
}

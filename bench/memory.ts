// Retained memory per series, measured in a fresh `node --expose-gc` child process per figure: heapUsed, and
// external memory (Buffers and typed arrays' backing stores) apart, after forced full collections.
// Always: the baseline is taken after the scenario's inputs exist and after one small warm-up build has been
// dropped, so only what the measured build keeps alive counts, and no other benchmark's garbage can blur it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Retained {
  /** heapUsed growth per item, in bytes. */
  heap: number;
  /** arrayBuffers growth per item (Buffers, typed arrays' backing stores), in bytes. */
  arrayBuffers: number;
  /** external growth per item, in bytes (includes arrayBuffers). */
  external: number;
}

export interface MemoryScenario<C = unknown> {
  /** Inputs the application holds anyway (label strings, values to record): made before the baseline. */
  prepare(items: number): C | Promise<C>;
  /** Builds `items` series from the inputs, storing each handle in `handles`; returns what keeps them alive. */
  build(context: C, items: number, handles: unknown[]): unknown | Promise<unknown>;
}

/** Measures `scenario` (exported as `memoryScenarios[scenario]` by dist/bench/`module`.js) in a child process. */
export function retainedInChild(module: string, scenario: string, items: number): Promise<Retained> {
  const child = fileURLToPath(new URL('./memory-child.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', child, module, scenario, String(items)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`memory scenario ${module}/${scenario} exited with code ${code}: see its stderr above`));
      else resolve(JSON.parse(output) as Retained);
    });
  });
}

/** In the child: runs the scenario once small (warm-up, dropped), then measures a full build. */
export async function measureScenario(scenario: MemoryScenario, items: number): Promise<Retained> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory figures need a forced GC: run node with --expose-gc');
  const context = await scenario.prepare(items);
  const handles: unknown[] = Array.from({ length: items }, () => undefined);
  const warmItems = Math.max(1, Math.min(20, Math.floor(items / 10)));
  await scenario.build(context, warmItems, Array.from({ length: warmItems }, () => undefined));
  settle(gc);
  const before = process.memoryUsage();
  let kept: unknown = await scenario.build(context, items, handles);
  settle(gc);
  const after = process.memoryUsage();
  if (kept === undefined || handles[items - 1] === undefined) throw new Error('memory scenario kept nothing: its build must return what it built and fill handles');
  kept = undefined;
  return {
    heap: (after.heapUsed - before.heapUsed) / items,
    arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / items,
    external: (after.external - before.external) / items,
  };
}

function settle(gc: () => void): void {
  // Several passes: what one collection's finalizers release is reclaimed by the next.
  for (let i = 0; i < 4; i++) gc();
}

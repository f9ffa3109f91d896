// The hook behind `omen serve --demo`: the reference feature platform (lib/platform/, built separately)
// exports `startDemo(context)`, which drives demo traffic through the instrumentation API and may mount
// its own routes. Loaded lazily; absent until the platform is built. Nothing here runs per request.
import type { Clock } from '../clock.js';
import type { Registry } from '../registry.js';
import type { MetricsInstrumentation } from '../catalog/instrumentation.js';
import type { ServiceAccountStore } from './account-store.js';
import type { MetricsServer } from './server.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What `startDemo` gets from `omen serve`. */
export interface DemoContext {
  /** Feed every catalog metric through this; never touch families directly. */
  readonly metrics: MetricsInstrumentation;
  readonly registry: Registry;
  /** Mount routes with `server.route(method, path, handler)` (authenticated by default). */
  readonly server: MetricsServer;
  /** The service-account store the server authenticates against (e.g. to create a demo account). */
  readonly store: ServiceAccountStore;
  /** The aws_region label of this deployment. */
  readonly region: string;
  readonly clock: Clock;
  /** The metrics endpoint's URL, e.g. for a built-in scraper. */
  readonly url: string;
  /** One line to stdout. */
  log(line: string): void;
}

/** A running demo; `omen serve` stops it on shutdown, before the server finishes closing. */
export interface DemoHandle {
  stop(): void | Promise<void>;
}

export type StartDemo = (context: DemoContext) => DemoHandle | Promise<DemoHandle>;

/** Where the platform engineer puts `export const startDemo: StartDemo`. */
export const DEMO_MODULE = new URL('../platform/demo.js', import.meta.url);

/** The platform's startDemo, or undefined while the platform is not built. Other load errors throw. */
export async function loadDemo(module: URL = DEMO_MODULE): Promise<StartDemo | undefined> {
  // Existence, not the import error, decides "not built": a built module whose own imports fail must
  // surface that error, and its message names the demo module too.
  if (!existsSync(fileURLToPath(module))) return undefined;
  const loaded = (await import(module.href)) as { startDemo?: unknown };
  return typeof loaded.startDemo === 'function' ? (loaded.startDemo as StartDemo) : undefined;
}

// What `omen serve --demo` hands the reference platform: the instrumentation to feed, the server to mount
// routes on, the account store to make the demo's key in. The cli builds it; the server never sees it.
import type { Clock } from '../clock.js';
import type { Registry } from '../registry.js';
import type { MetricsInstrumentation } from '../catalog/instrumentation.js';
import type { ServiceAccountStore } from '../server/account-store.js';
import type { MetricsServer } from '../server/server.js';

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
  /**
   * Starts the server listening (once; later calls give the same answer) and resolves to the metrics
   * endpoint's URL. The demo mounts every route before it calls this, so no route answers 404 once the
   * port is open.
   */
  listen(): Promise<string>;
  /** One line to stdout. */
  log(line: string): void;
}

/** A running demo; `omen serve` stops it on shutdown, before the server finishes closing. */
export interface DemoHandle {
  stop(): void | Promise<void>;
}

export type StartDemo = (context: DemoContext) => DemoHandle | Promise<DemoHandle>;

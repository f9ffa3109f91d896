// The reference feature platform on an omen server: online and offline stores, the feature server, the Stream
// Ingest API, the stream-progress intake, the stream processor and (optionally) the traffic generator, all
// mounted on the server `omen serve` runs and fed into the catalog's instrumentation. Runs once at startup.
// Always: every route is mounted before the server listens; stop() stops the traffic first, lets answers in
// flight finish, then closes the offline store.
import type { DemoContext } from './context.js';
import type { TrafficOptions } from './traffic.js';
import type { Workspace } from './workspace.js';
import { join } from 'node:path';
import { EventStream } from './event-stream.js';
import { FeatureServer } from './feature-server.js';
import { mountIngestApi } from './ingest-api.js';
import { OFFLINE_STORE_FILE, OfflineStore } from './offline-store.js';
import { OnlineStore } from './online-store.js';
import { StreamProcessor } from './stream-processor.js';
import { StreamViewExpiry } from './stream-expiry.js';
import { mountStreamProgress, recordSparkProgress } from './stream-progress.js';
import { TrafficGenerator } from './traffic.js';
import { demoWorkspace } from './workspace.js';

/** Traffic settings the platform does not fill in itself. */
export type TrafficSettings = Partial<Omit<TrafficOptions, 'baseUrl' | 'apiKey' | 'workspace' | 'stream' | 'clock'>>;

export interface PlatformOptions {
  /** Where the offline store file goes. */
  dataDir: string;
  /** The key the traffic generator sends; without one there is no traffic. */
  apiKey?: string;
  /** Traffic settings, or false for none. */
  traffic?: TrafficSettings | false;
  /** Stream processor trigger interval. Default 1 s. */
  triggerMs?: number;
  /** Offline store rotation size. Default 64 MiB. */
  offlineMaxFileBytes?: number;
  /** Runs once the server listens (every route mounted) and before traffic starts, with the metrics URL. */
  beforeTraffic?: (url: string) => Promise<void>;
}

export interface Platform {
  readonly workspace: Workspace;
  readonly online: OnlineStore;
  readonly offline: OfflineStore;
  readonly stream: EventStream;
  readonly processor: StreamProcessor;
  readonly traffic: TrafficGenerator | undefined;
  /** The origin the routes are served at, e.g. `http://127.0.0.1:8080`. */
  readonly origin: string;
  /** The metrics endpoint's URL. */
  readonly url: string;
  readonly expiry: StreamViewExpiry;
  stop(): Promise<void>;
}

export async function startPlatform(context: DemoContext, options: PlatformOptions): Promise<Platform> {
  const { metrics, clock, server } = context;
  const onError = (error: unknown) => context.log(`omen demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const workspace = demoWorkspace();
  const online = new OnlineStore();
  // Opened (and recovered) before any route is mounted, so a bad store file stops the demo before it serves.
  const offline = await OfflineStore.open(join(options.dataDir, OFFLINE_STORE_FILE), options.offlineMaxFileBytes === undefined ? {} : { maxFileBytes: options.offlineMaxFileBytes });
  // Busy-time reports only count when the utilization gauge is fed by reports; otherwise it measures the event loop.
  const reportBusy = metrics.families.get('feature_server_utilization', 'utilization', ['aws_region'])?.source === 'reports';
  new FeatureServer({ workspace, online, metrics, clock, reportBusy, onError }).mount(server);
  mountIngestApi(server, { workspace, online, offline, metrics, clock, onError });
  // Views that stop reporting (or that a caller invents) lose their spark_stream_* series after STREAM_VIEW_IDLE_MS.
  const expiry = new StreamViewExpiry({ metrics, clock }).start();
  mountStreamProgress(server, { metrics, onError, expiry });

  const stream = new EventStream(workspace.stream.name);
  const processor = new StreamProcessor({
    stream,
    online,
    views: workspace.stream.featureViews,
    clock,
    report: (view, progress) => {
      const labels = { workspace: view.workspace, featureViewName: view.name, featureViewId: view.id };
      recordSparkProgress(metrics, labels, progress);
      expiry.seen(labels);
    },
    onError,
    ...(options.triggerMs === undefined ? {} : { triggerMs: options.triggerMs }),
  }).start();

  // Every route is mounted: only now may the port open.
  const url = await context.listen();
  await options.beforeTraffic?.(url);
  const origin = reachableUrl(url).origin;
  const traffic =
    options.apiKey === undefined || options.traffic === false
      ? undefined
      : new TrafficGenerator({ ...options.traffic, baseUrl: origin, apiKey: options.apiKey, workspace, stream, clock }).start();

  let stopping: Promise<void> | undefined;
  return {
    workspace,
    online,
    offline,
    stream,
    processor,
    traffic,
    origin,
    url,
    expiry,
    stop() {
      stopping ??= (async () => {
        const draining = traffic?.stop();
        processor.stop();
        expiry.stop();
        await draining;
        await offline.close();
      })();
      return stopping;
    },
  };
}

/** A server URL as a client on this host reaches it: a wildcard listen address is reached on loopback. */
export function reachableUrl(serverUrl: string): URL {
  const url = new URL(serverUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url;
}

// `omen serve --demo`: the reference feature platform on the server `omen serve` runs, with its own service
// account and steady traffic, and a banner saying how to reach it (metrics URL, API key, a curl to paste).
// Runs once at startup. Always: every route is mounted before the server listens, and traffic starts once the
// server accepts the demo's key, or after KEY_READY_MS without it, with a log line saying its requests may be
// refused (401) until the server loads the key.
import type { DemoContext, DemoHandle, StartDemo } from './context.js';
import type { DemoAccount } from './demo-account.js';
import type { Platform, PlatformOptions } from './platform.js';
import { setTimeout as delay } from 'node:timers/promises';
import { AUTH_SCHEME } from '../server/auth.js';
import { demoAccount } from './demo-account.js';
import { loopbackRequest } from './loopback.js';
import { GET_FEATURES_BATCH_PATH, GET_FEATURES_PATH } from './feature-server.js';
import { INGEST_PATH } from './ingest-api.js';
import { reachableUrl, startPlatform } from './platform.js';
import { STREAM_PROGRESS_PATH } from './stream-progress.js';

/** How long to wait for the server to load a just-created key (it polls its store every 250 ms). */
const KEY_READY_MS = 5_000;
const KEY_POLL_MS = 50;

/** `dataDir` (where the offline store goes) defaults to the account store's folder. */
export type DemoOptions = Omit<PlatformOptions, 'dataDir' | 'apiKey'> & { dataDir?: string };

export interface DemoRun extends DemoHandle {
  readonly platform: Platform;
  readonly account: DemoAccount;
  stop(): Promise<void>;
}

/** A startDemo with other settings (specs use short intervals); `startDemo` is this with the defaults. */
export function createDemo(options: DemoOptions = {}): (context: DemoContext) => Promise<DemoRun> {
  return async (context) => {
    const account = await demoAccount(context.store);
    const beforeTraffic = async (url: string): Promise<void> => {
      if (!(await keyWorks(url, account.apiKey))) {
        context.log(`omen demo: the server does not accept the demo key yet (after ${KEY_READY_MS / 1000} s); traffic may see 401s until it does`);
      }
    };
    const platform = await startPlatform(context, { ...options, dataDir: options.dataDir ?? context.store.dir, apiKey: account.apiKey, beforeTraffic });
    banner(context, account, platform);
    return { platform, account, stop: () => platform.stop() };
  };
}

export const startDemo: StartDemo = createDemo();

function banner(context: DemoContext, account: DemoAccount, platform: Platform): void {
  const log = (line: string) => context.log(`omen demo: ${line}`);
  const { workspace, origin, offline } = platform;
  log(`reference feature platform, workspace "${workspace.name}", feature services ${[...workspace.services.keys()].join(', ')}`);
  log(`  POST ${origin}${GET_FEATURES_PATH} (and ${GET_FEATURES_BATCH_PATH})`);
  log(`  POST ${origin}${INGEST_PATH} (push sources ${[...workspace.pushSources.keys()].join(', ')}; offline store ${offline.path})`);
  log(`  POST ${origin}${STREAM_PROGRESS_PATH} (Spark StreamingQueryProgress reports)`);
  if (offline.recovery.truncatedBytes > 0) log(`offline store: cut a torn last line (${offline.recovery.truncatedBytes} bytes) left by an earlier crash`);
  if (account.replaced !== undefined) log(`the old key file ${account.keyFile} was not usable: ${account.replaced}`);
  log(
    account.created
      ? `created service account "demo" (id ${account.id}); its key is shown here and kept (0600) in ${account.keyFile}`
      : `using service account "demo" (id ${account.id}) with the key kept in ${account.keyFile}`,
  );
  log(`API key: ${account.apiKey}`);
  log(`dashboard: ${dashboardLink(platform.url, account.apiKey)}`);
  log(`metrics: ${platform.url}`);
  log(`  curl -H "Authorization: ${AUTH_SCHEME} ${account.apiKey}" ${platform.url}`);
  const traffic = platform.traffic?.options;
  if (traffic !== undefined) {
    log(
      `traffic: ${traffic.getFeaturesPerSecond} get-features calls/s, ${traffic.ingestPerSecond} ingest requests/s, ` +
        `${traffic.streamEventsPerSecond} stream events/s in ${platform.processor.triggerMs / 1000} s micro-batches; Ctrl-C stops it`,
    );
  }
}

/** The dashboard page (GET /) with the key in the fragment, which the browser never sends; the page keeps it in sessionStorage. */
export function dashboardLink(metricsUrl: string, apiKey: string): string {
  return `${new URL(reachableUrl(metricsUrl)).origin}/#key=${encodeURIComponent(apiKey)}`;
}

/** Polls the metrics endpoint (HEAD) with `apiKey` until it is accepted, at most KEY_READY_MS. */
async function keyWorks(url: string, apiKey: string): Promise<boolean> {
  const deadline = Date.now() + KEY_READY_MS;
  for (;;) {
    if ((await headStatus(url, apiKey)) === 200) return true;
    if (Date.now() > deadline) return false;
    await delay(KEY_POLL_MS);
  }
}

function headStatus(url: string, apiKey: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const target = reachableUrl(url);
    const options = { hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: target.pathname, method: 'HEAD', agent: false, headers: { Authorization: `${AUTH_SCHEME} ${apiKey}` }, timeout: 2_000 };
    const req = loopbackRequest(target, options, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

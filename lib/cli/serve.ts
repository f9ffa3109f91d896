// `omen serve`: the Metrics API on node:http, fed by the catalog's instrumentation, authenticated
// against the service-account store, stopped gracefully by SIGTERM or SIGINT (a second signal cuts
// in-flight requests). Exit 0 after a graceful stop, 1 when the shutdown deadline had to cut requests.
import type { CliIO, Verb } from './verb.js';
import type { DemoHandle } from '../platform/context.js';
import type { FleetFlags } from './serve-fleet.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { instrumentCatalog } from '../catalog/instrumentation.js';
import { CATALOG_VERSIONS, DEFAULT_CATALOG_VERSION } from '../catalog/versions.js';
import { createDemo, startDemo } from '../platform/demo.js';
import { mountStreamProgress } from '../platform/stream-progress.js';
import { Registry } from '../registry.js';
import { collectDefaultMetrics } from '../runtime/default-metrics.js';
import { ServiceAccountStore } from '../server/account-store.js';
import { prepareDataDir, resolveDataDir } from '../server/data-dir.js';
import { AccessLog } from '../server/access-log.js';
import { LiveKeyIndex } from '../server/key-index.js';
import { DEFAULT_SHUTDOWN_MS, MetricsServer } from '../server/server.js';
import { CertificateWatcher, loadTlsMaterial, type TlsFiles } from '../server/tls.js';
import { UsageError } from './verb.js';
import { chooseCatalog, withWindow } from './catalog-choice.js';
import { FLEET_FLAG_SPECS, FLEET_USAGE, engineSource, instanceSeed, mountRawMetrics, parseFleetFlags } from './serve-fleet.js';

const DEFAULT_PORT = 8080;
const DEFAULT_REGION = 'us-west-2';

const usage = `Usage: omen serve [options]

Serves GET /api/v1/observability/metrics (Authorization: Tecton-key <API key>), the server's own
runtime metrics at GET /metrics (same key), GET /healthz and a live dashboard page at GET / (it asks for
the key and keeps it in the browser tab).

Options:
  --host HOST        interface to listen on (default 127.0.0.1)
  --port N           TCP port, 0 for any free one (default ${DEFAULT_PORT})
  --data-dir DIR     where the service-account store lives (default $OMEN_DATA_DIR, else ./.omen)
  --region R         the aws_region label of this deployment (default ${DEFAULT_REGION})
  --catalog V|FILE   the built-in catalog version ${CATALOG_VERSIONS.join(', ')} (default ${DEFAULT_CATALOG_VERSION}), or any
                     other value: a catalog JSON file (write ./${DEFAULT_CATALOG_VERSION} for a file named like a version)
  --demo             run the reference feature platform with demo traffic
  --tls-cert FILE    serve HTTPS with this PEM certificate (its chain may follow it in the file);
                     renewed files are picked up without a restart (or on SIGHUP)
  --tls-key FILE     the certificate's PEM private key (required with --tls-cert)
  --tls-client-ca FILE  require client certificates signed by this CA (mutual TLS), as well as a key
  --access-log FILE  one JSON line per request to FILE (or - for stdout); reopened on SIGHUP
  --timestamps on|off  stamp the computed gauges with the scrape time (default on, as the Metrics
                     API documents); off lets Prometheus mark a stopped server's series stale at once
${FLEET_USAGE}

Create an API key first: omen service-account create --name NAME`;

export const verb: Verb = {
  summary: 'serve the Metrics API (Tecton-key auth, Prometheus/OpenMetrics, gzip)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const flags = parseFlags(args);
    const store = new ServiceAccountStore(resolveDataDir(flags['data-dir'], io.env, io.cwd));
    // Whoever can write the data dir can add keys; a missing dir is left for the first create to make.
    await prepareDataDir(store.dir, { create: false });
    const keys = await new LiveKeyIndex(store, { onError: (error) => io.err(`omen serve: ${error.message}`) }).start();
    const { fleet } = flags;
    const chosen = chooseCatalog(flags.catalog);
    // --window sets this process's windowed gauges; with --source prometheus it is the engine's query range.
    const catalog = fleet.windowMs === undefined || fleet.source === 'prometheus' ? chosen : withWindow(chosen, fleet.windowMs);
    const registry = new Registry();
    const raw = new Registry();
    // The demo's feature server reports its own busy time, a truer utilization than this process's
    // event loop, which also runs the demo's traffic generator.
    const metrics = instrumentCatalog(registry, {
      region: flags.region,
      catalog,
      utilization: flags.demo ? 'reports' : 'event-loop',
      timestamps: flags.timestamps,
      raw,
      serverGroup: fleet.serverGroup,
    });
    const engine = fleet.source === 'prometheus' ? engineSource(fleet, chosen) : undefined;
    const tlsFiles = flags.tls;
    const accessLog = flags['access-log'] === undefined ? undefined : new AccessLog(flags['access-log']).onError((error) => io.err(`omen serve: access log: ${error.message}`));
    const server = new MetricsServer({
      source: engine?.source ?? registry,
      keys,
      host: flags.host,
      port: flags.port,
      log: io.err,
      catalogVersion: catalog.version,
      ...(engine === undefined ? {} : { health: () => engine.source.health }),
      ...(tlsFiles === undefined ? {} : { tls: loadTlsMaterial(tlsFiles) }),
      ...(accessLog === undefined ? {} : { accessLog }),
    });
    const certificates =
      tlsFiles === undefined
        ? undefined
        : new CertificateWatcher(tlsFiles, {
            onReload: (material) => {
              server.setSecureContext(material);
              io.err('omen serve: TLS certificate reloaded');
            },
            onError: (message) => io.err(`omen serve: ${message}`),
          });
    // SIGHUP is what logrotate and certificate renewal hooks send; it is only caught when there is something to redo.
    const onHangup = () => {
      certificates?.reload();
      accessLog?.reopen();
    };
    if (certificates !== undefined || accessLog !== undefined) process.on('SIGHUP', onHangup);
    // GET /metrics: this instance's raw series for an engine to scrape, beside the server's own process and
    // Node.js runtime families (prom-client's default names).
    const runtimeMetrics = collectDefaultMetrics(raw);
    mountRawMetrics(server, raw, fleet.metricsAuth);
    // The demo's platform mounts the stream-progress intake itself; every other mode mounts it here.
    if (!flags.demo) mountStreamProgress(server, { metrics, onError: (error) => io.err(`omen serve: stream progress: ${String(error)}`) });
    // Signals are caught before anything is announced, since whoever reads "listening" may signal at
    // once: the first one starts a graceful stop, any later one cuts what is still in flight.
    let signals = 0;
    let firstSignal: (signal: NodeJS.Signals) => void = () => {};
    const stopRequested = new Promise<NodeJS.Signals>((resolve) => (firstSignal = resolve));
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals === 1) return firstSignal(signal);
      io.err('omen serve: second signal: cutting in-flight requests');
      server.cutConnections();
    };
    process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
    let demo: DemoHandle | undefined;
    let listening: Promise<string> | undefined;
    const listen = (): Promise<string> =>
      (listening ??= server.listen().then((address) => {
        io.out(`omen serve: listening on ${address.url} (catalog ${catalog.version}, region ${flags.region}${describeFleet(fleet, engine?.source.queries.length)})`);
        if (keys.size === 0 && !flags.demo) io.err(`omen serve: no service accounts in ${store.path} yet; create one with: omen service-account create --name NAME`);
        return address.url;
      }));
    try {
      // The demo mounts its routes, then calls listen(): a route never answers 404 once the port is open.
      if (flags.demo) {
        // An instance keeps its offline store in its own folder, so instances can share one data dir.
        const start = fleet.instance === undefined ? startDemo : createDemo({ dataDir: join(store.dir, `instance-${fleet.instance}`), traffic: { seed: instanceSeed(fleet.instance) } });
        demo = await start({ metrics, registry, server, store, region: flags.region, clock: registry.clock, listen, log: io.out });
      } else {
        await listen();
      }
      const signal = await stopRequested;
      io.out(`omen serve: ${signal}: finishing ${server.inFlight} in-flight request(s), at most ${DEFAULT_SHUTDOWN_MS / 1000} s; send it again to stop now`);
      const closing = server.close(DEFAULT_SHUTDOWN_MS);
      await demo?.stop();
      const { graceful, cut } = await closing;
      io.out(graceful ? 'omen serve: stopped' : `omen serve: stopped; cut ${cut.length} in-flight request(s) short: ${cut.join('; ')}`);
      return graceful ? 0 : 1;
    } finally {
      process.off('SIGTERM', onSignal).off('SIGINT', onSignal).off('SIGHUP', onHangup);
      await server.close(0);
      certificates?.stop();
      await accessLog?.close();
      runtimeMetrics.stop();
      keys.stop();
      engine?.client.close();
    }
  },
};

interface ServeFlags {
  host: string;
  port: number;
  region: string;
  'data-dir': string | undefined;
  catalog: string | undefined;
  demo: boolean;
  tls: TlsFiles | undefined;
  'access-log': string | undefined;
  timestamps: boolean;
  fleet: FleetFlags;
}

function parseFlags(args: string[]): ServeFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        region: { type: 'string' },
        catalog: { type: 'string' },
        demo: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-client-ca': { type: 'string' },
        'access-log': { type: 'string' },
        timestamps: { type: 'string' },
        ...FLEET_FLAG_SPECS,
      },
    }));
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
  // Digits only: Number() would also take '', ' 80', '0x1F90' and '1e3'.
  const port = values.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`invalid --port ${JSON.stringify(values.port)}: must be a decimal number from 0 to 65535 (0 picks a free port)`);
  const region = values.region ?? DEFAULT_REGION;
  if (region.trim() === '') throw new UsageError('invalid --region "": pass the aws_region label, e.g. us-west-2');
  const { 'tls-cert': certFile, 'tls-key': keyFile, 'tls-client-ca': clientCaFile, 'access-log': accessLog } = values;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP');
  if (clientCaFile !== undefined && certFile === undefined) throw new UsageError('--tls-client-ca needs --tls-cert and --tls-key: client certificates are checked over HTTPS only');
  if (accessLog === '') throw new UsageError('invalid --access-log "": give a file path, or - for stdout');
  const tls = certFile === undefined || keyFile === undefined ? undefined : { certFile, keyFile, clientCaFile };
  const stamps = values.timestamps ?? 'on';
  if (stamps !== 'on' && stamps !== 'off') throw new UsageError(`invalid --timestamps ${JSON.stringify(stamps)}: use on (the default) or off`);
  const demo = values.demo ?? false;
  return { host: values.host ?? '127.0.0.1', port, region, 'data-dir': values['data-dir'], catalog: values.catalog, demo, tls, 'access-log': accessLog, timestamps: stamps === 'on', fleet: parseFleetFlags(values, demo) };
}

/** The listening line's fleet part: the engine and its window, or this instance's labels. */
function describeFleet(fleet: FleetFlags, queries: number | undefined): string {
  if (fleet.source === 'prometheus') return `, source ${fleet.prometheusUrl} (${queries} queries per evaluation)`;
  return `${fleet.instance === undefined ? '' : `, instance ${fleet.instance}`}, server group ${fleet.serverGroup}, raw series at /metrics`;
}

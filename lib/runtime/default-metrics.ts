// collectDefaultMetrics: the Node process and runtime families prom-client 15 writes by default, with
// the same names, types, label names and units, so dashboards built for them work unchanged. Values are
// read by one registry collector at scrape time (~20 µs, a /proc read on Linux); only the GC observer
// and the event-loop delay monitor run between scrapes (see monitors.ts).
import type { Registry } from '../registry.js';
import type { Counter } from '../metrics/counter.js';
import type { Gauge } from '../metrics/gauge.js';
import type { GaugeChild } from '../metrics/gauge.js';
import type { LoopDelay } from './monitors.js';
import { readdirSync, readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { LoopDelayMonitor, measureLag, observeGc } from './monitors.js';

export interface DefaultMetricsOptions {
  /** Put before every family name (`myapp_` gives `myapp_process_cpu_seconds_total`). Default ''. */
  prefix?: string;
  /** Labels on every series of these families, e.g. `{ instance_group: 'blue' }`. Default none. */
  labels?: Readonly<Record<string, string>>;
  /** Bucket bounds of `nodejs_gc_duration_seconds`, in seconds. Default prom-client's [0.001, 0.01, 0.1, 1, 2, 5]. */
  gcDurationBuckets?: readonly number[];
  /** Sampling resolution of the event-loop delay monitor, in milliseconds. Default 10, as prom-client. */
  eventLoopMonitoringPrecision?: number;
}

/** What collectDefaultMetrics leaves running: stop() ends the GC observer and the delay monitor. */
export interface DefaultMetrics {
  stop(): void;
}

export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];
const DEFAULT_EVENT_LOOP_PRECISION_MS = 10;
const LINUX = process.platform === 'linux';

/**
 * Registers the default runtime families on `registry` and a collector that reads them at each scrape.
 * Throws a MetricError when a family name is already taken (call it once per registry and prefix).
 */
export function collectDefaultMetrics(registry: Registry, options: DefaultMetricsOptions = {}): DefaultMetrics {
  const prefix = options.prefix ?? '';
  const fixedNames = Object.keys(options.labels ?? {});
  const fixed = fixedNames.map((name) => options.labels![name]!);
  const gauge = (name: string, help: string, own: string[] = []): Gauge =>
    registry.gauge({ name: prefix + name, help, labelNames: [...fixedNames, ...own] });
  const single = (name: string, help: string): GaugeChild => gauge(name, help).labels(...fixed);
  const counter = (name: string, help: string): Counter => registry.counter({ name: prefix + name, help, labelNames: fixedNames });

  const cpuUser = counter('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.').labels(...fixed);
  const cpuSystem = counter('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.').labels(...fixed);
  const cpuTotal = counter('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.').labels(...fixed);
  single('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.').set(Math.round(Date.now() / 1000 - process.uptime()));
  const resident = single('process_resident_memory_bytes', 'Resident memory size in bytes.');
  const virtual = LINUX ? single('process_virtual_memory_bytes', 'Virtual memory size in bytes.') : undefined;
  const heap = LINUX ? single('process_heap_bytes', 'Process heap size in bytes.') : undefined;
  const openFds = LINUX ? single('process_open_fds', 'Number of open file descriptors.') : undefined;
  const maxFds = LINUX ? single('process_max_fds', 'Maximum number of open file descriptors.') : undefined;

  const lag = single('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.');
  const lagStats = {
    min: single('nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.'),
    max: single('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.'),
    mean: single('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.'),
    stddev: single('nodejs_eventloop_lag_stddev_seconds', 'The standard deviation of the recorded event loop delays.'),
    p50: single('nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays.'),
    p90: single('nodejs_eventloop_lag_p90_seconds', 'The 90th percentile of the recorded event loop delays.'),
    p99: single('nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays.'),
  } satisfies Record<keyof LoopDelay, GaugeChild>;

  const resources = gauge('nodejs_active_resources', 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.', ['type']);
  const resourcesTotal = single('nodejs_active_resources_total', 'Total number of active resources.');
  const handles = gauge('nodejs_active_handles', 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.', ['type']);
  const handlesTotal = single('nodejs_active_handles_total', 'Total number of active handles.');
  const requests = gauge('nodejs_active_requests', 'Number of active libuv requests grouped by request type. Every request type is C++ class name.', ['type']);
  const requestsTotal = single('nodejs_active_requests_total', 'Total number of active requests.');

  const heapTotal = single('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.');
  const heapUsed = single('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.');
  const external = single('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.');
  const spaceTotal = gauge('nodejs_heap_space_size_total_bytes', 'Process heap space size total from Node.js in bytes.', ['space']);
  const spaceUsed = gauge('nodejs_heap_space_size_used_bytes', 'Process heap space size used from Node.js in bytes.', ['space']);
  const spaceAvailable = gauge('nodejs_heap_space_size_available_bytes', 'Process heap space size available from Node.js in bytes.', ['space']);

  const [major, minor, patch] = process.versions.node.split('.');
  registry
    .info({ name: prefix + 'nodejs_version_info', help: 'Node.js version info.', labelNames: [...fixedNames, 'version', 'major', 'minor', 'patch'] })
    .labels(...fixed, process.version, major ?? '', minor ?? '', patch ?? '');

  const gc = registry.histogram({
    name: prefix + 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: [...fixedNames, 'kind'],
    buckets: options.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS,
  });
  const stopGc = observeGc(gc, fixed);
  const monitor = new LoopDelayMonitor(options.eventLoopMonitoringPrecision ?? DEFAULT_EVENT_LOOP_PRECISION_MS);
  const delay: LoopDelay = { min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 };
  let lastCpu = { user: 0, system: 0 };

  registry.addCollector(`${prefix}default-metrics`, async () => {
    const cpu = process.cpuUsage();
    // Counters take increments: the CPU time since the last scrape (microseconds in, seconds out).
    const user = (cpu.user - lastCpu.user) / 1e6;
    const system = (cpu.system - lastCpu.system) / 1e6;
    lastCpu = cpu;
    cpuUser.inc(user);
    cpuSystem.inc(system);
    cpuTotal.inc(user + system);

    resident.set(process.memoryUsage.rss());
    if (LINUX) readProcStatus(virtual!, heap!, openFds!, maxFds!);

    monitor.read(delay);
    for (const key of Object.keys(lagStats) as (keyof LoopDelay)[]) lagStats[key].set(delay[key]);

    setGrouped(resources, fixed, process.getActiveResourcesInfo(), resourcesTotal);
    const internals = process as unknown as { _getActiveHandles?: () => object[]; _getActiveRequests?: () => object[] };
    setGrouped(handles, fixed, (internals._getActiveHandles?.() ?? []).map(className), handlesTotal);
    setGrouped(requests, fixed, (internals._getActiveRequests?.() ?? []).map(className), requestsTotal);

    const memory = getHeapStatistics();
    heapTotal.set(memory.total_heap_size);
    heapUsed.set(memory.used_heap_size);
    external.set(process.memoryUsage().external);
    for (const space of getHeapSpaceStatistics()) {
      const name = space.space_name.replace(/_space$/, '');
      spaceTotal.labels(...fixed, name).set(space.space_size);
      spaceUsed.labels(...fixed, name).set(space.space_used_size);
      spaceAvailable.labels(...fixed, name).set(space.space_available_size);
    }

    lag.set(await measureLag());
  });

  return {
    stop(): void {
      stopGc();
      monitor.stop();
    },
  };
}

/** Counts per type, written fresh each scrape (types that went away disappear), and their total. */
function setGrouped(family: Gauge, fixed: readonly string[], types: readonly string[], total: GaugeChild): void {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  family.reset();
  for (const [type, count] of counts) family.labels(...fixed, type).set(count);
  total.set(types.length);
}

function className(value: object): string {
  return value.constructor?.name ?? 'Object';
}

/** Linux: VmSize and VmData from /proc/self/status, open descriptors, and the soft limit on them. */
function readProcStatus(virtual: GaugeChild, heap: GaugeChild, openFds: GaugeChild, maxFds: GaugeChild): void {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    virtual.set(kilobytes(status, 'VmSize'));
    heap.set(kilobytes(status, 'VmData'));
    openFds.set(readdirSync('/proc/self/fd').length - 1); // less the descriptor readdir itself held
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    if (limit !== undefined) maxFds.set(Number(limit));
  } catch {
    // /proc unreadable (a sandbox): the families keep their last values.
  }
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}

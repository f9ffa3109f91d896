// The registries behind fixtures/golden/: one case per metric type plus the edge cases of each format.
import type { Registry } from '../../lib/registry.js';

export const goldenCases: Record<string, (registry: Registry) => void> = {
  counter(registry) {
    const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: ['method', 'code'] });
    requests.labels('GET', '200').inc(3);
    requests.labels('POST', '500').inc(1.5);
    registry.counter({ name: 'bytes_sent_bytes', help: 'Bytes sent.', unit: 'bytes' }).inc(1024);
  },
  gauge(registry) {
    const temperature = registry.gauge({ name: 'temperature_celsius', help: 'Sensor readings.', unit: 'celsius', labelNames: ['sensor'] });
    temperature.labels('a').set(21.5);
    temperature.labels('b').set(-0);
    temperature.labels('nan').set(NaN);
    temperature.labels('up').set(Infinity);
    temperature.labels('down').set(-Infinity);
    temperature.labels('huge').set(1e21);
    temperature.labels('tiny').set(1e-300);
    registry.gauge({ name: 'queue_depth', help: '' }).set(7);
  },
  histogram(registry) {
    const latency = registry.histogram({ name: 'rpc_duration_seconds', help: 'RPC latency.', unit: 'seconds', labelNames: ['service'], buckets: [0.01, 0.1, 1, 10] });
    for (const value of [0.005, 0.05, 0.05, 0.5, 5, 50]) latency.labels('users').observe(value);
    latency.labels('idle');
    const signed = registry.histogram({ name: 'temperature_delta', help: 'Negative bounds: no _sum or _count in OpenMetrics.', buckets: [-10, 0, 10] });
    signed.observe(-3);
    signed.observe(4);
  },
  gaugehistogram(registry) {
    const queue = registry.gaugeHistogram({ name: 'queue_item_age_seconds', help: 'Items waiting, by age.', unit: 'seconds', buckets: [1, 10] });
    queue.add(0.5, 3);
    queue.add(5);
    queue.add(20, 2);
    queue.add(20, -1);
  },
  summary(registry) {
    const latency = registry.summary({ name: 'request_latency_seconds', help: 'Latency.', unit: 'seconds', labelNames: ['route'] });
    for (let i = 1; i <= 100; i++) latency.labels('/items').observe(i / 100);
    latency.labels('/empty');
  },
  info(registry) {
    registry.info({ name: 'build_info', help: 'Build facts.', labelNames: ['version', 'revision'] }).labels('1.2.3', 'abc123');
  },
  stateset(registry) {
    const state = registry.stateSet({ name: 'job_state', help: 'Job lifecycle.', labelNames: ['job'], states: ['pending', 'running', 'done'] });
    state.labels('nightly').setOnly('running');
    state.labels('hourly').set('done', true);
  },
  unknown(registry) {
    registry.unknown({ name: 'relayed_value', help: 'From a system that does not say what it is.', labelNames: ['source'] }).labels('legacy').set(42);
  },
  escapes(registry) {
    const help = 'Quote " backslash \\ newline \n end.';
    const gauge = registry.gauge({ name: 'escapes', help, labelNames: ['path', 'text'] });
    gauge.labels('C:\\dir\\', 'say "hi"\nbye').set(1);
    gauge.labels('ünïcödé ☃', '#{}= ,').set(2);
    gauge.labels('', 'empty value').set(3);
  },
  'metrics-api-example'(registry) {
    const rate = registry.gauge({
      name: 'feature_service_requests_rate',
      help: 'Count of get features requests by feature service (requests per second). Release stage: GA.',
      labelNames: ['aws_region', 'feature_service_id', 'feature_service_name'],
      timestamps: true,
    });
    rate.labels('us-west-2', '072b546997cb6e586ed460ff0a3743ee', 'fvfs_1').set(0.003703703703703704);
    rate.labels('us-west-2', '005c5a6f3517e1e2a4ce411372a15d84', 'fvfs_2').set(0);
    rate.labels('us-west-2', '00c922b96f55a948e1bbfa08fdb3a699', 'fvfs_3').set(0);
  },
  'dropped-series'(registry) {
    const gauge = registry.gauge({ name: 'per_user', help: 'Too many users.', labelNames: ['user'], maxChildren: 1 });
    gauge.labels('alice').set(1);
    gauge.labels('bob').set(2);
    registry.counter({ name: 'refused', help: 'A negative increment.' }).inc(-1);
  },
};

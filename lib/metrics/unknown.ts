// Unknown: a value whose type the exposer cannot tell (OpenMetrics "Unknown", Prometheus "untyped"),
// e.g. one relayed from a third-party system. It records like a gauge; only its declared type differs.
import { Gauge } from './gauge.js';

export class Unknown extends Gauge {
  override readonly type = 'unknown';
}

// The MetricFamily shape of Prometheus' protobuf exposition (io.prometheus.client, client_model metrics.proto):
// field numbers and the type enum, shared by the encoder and the decoder. Holds: numbers here are wire facts;
// changing one breaks every scraper.

/** MetricType enum values. */
export const COUNTER = 0;
export const GAUGE = 1;
export const SUMMARY = 2;
export const UNTYPED = 3;
export const HISTOGRAM = 4;
export const GAUGE_HISTOGRAM = 5;

export const MetricFamily = { name: 1, help: 2, type: 3, metric: 4, unit: 5 } as const;
export const Metric = { label: 1, gauge: 2, counter: 3, summary: 4, untyped: 5, timestampMs: 6, histogram: 7 } as const;
export const LabelPair = { name: 1, value: 2 } as const;
/** Gauge and Untyped share it: one double. */
export const Value = { value: 1 } as const;
export const Counter = { value: 1, exemplar: 2, createdTimestamp: 3 } as const;
export const Quantile = { quantile: 1, value: 2 } as const;
export const Summary = { sampleCount: 1, sampleSum: 2, quantile: 3, createdTimestamp: 4 } as const;
export const Histogram = {
  sampleCount: 1,
  sampleSum: 2,
  bucket: 3,
  sampleCountFloat: 4,
  schema: 5,
  zeroThreshold: 6,
  zeroCount: 7,
  zeroCountFloat: 8,
  negativeSpan: 9,
  negativeDelta: 10,
  negativeCount: 11,
  positiveSpan: 12,
  positiveDelta: 13,
  positiveCount: 14,
  createdTimestamp: 15,
  exemplars: 16,
} as const;
export const Bucket = { cumulativeCount: 1, upperBound: 2, exemplar: 3, cumulativeCountFloat: 4 } as const;
export const BucketSpan = { offset: 1, length: 2 } as const;
export const Exemplar = { label: 1, value: 2, timestamp: 3 } as const;
/** google.protobuf.Timestamp. */
export const Timestamp = { seconds: 1, nanos: 2 } as const;

export const CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

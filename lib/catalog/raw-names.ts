// The raw per-instance series an instance exposes at GET /metrics, by name: what a metrics engine scrapes
// and what lib/fleet/ computes every catalog metric from. Plain data; nothing here runs on a hot path.
// Always: no raw name is a catalog name, and no raw series carries `instance` or `job` (the engine adds them).

/** Labels every raw series carries: where the instance runs. */
export const PLACE_LABELS = ['aws_region', 'server_group_name'] as const;
export const SERVICE_LABELS = ['feature_service_id', 'feature_service_name'] as const;
export const VIEW_LABELS = ['workspace', 'feature_view_name', 'feature_view_id'] as const;

/**
 * Family names as registered (a counter's samples add `_total`, a histogram's `_bucket`, `_sum`, `_count`).
 * The README's "Raw series" table lists each with its type, labels and meaning.
 */
export const RAW = Object.freeze({
  /** counter: get-features calls (a batch of n rows is n), by feature service. */
  calls: 'omen_feature_server_calls',
  /** counter: get-features HTTP answers by HTTP status (200 included). */
  responses: 'omen_feature_server_responses',
  /** counter: the same answers by the gRPC code a gRPC server answers for them (`grpc_code`, OK included). */
  grpcResponses: 'omen_feature_server_grpc_responses',
  /** histogram: get-features handling time by feature service, seconds, buckets from 100 µs. */
  latency: 'omen_feature_server_request_duration_seconds',
  /** counter: seconds the feature server was busy (reported handling time, or event-loop active time). */
  busy: 'omen_feature_server_busy_seconds',
  /** counter: Stream Ingest API requests by HTTP status (refused ones included). */
  ingestRequests: 'omen_ingestapi_requests',
  /** histogram: Stream Ingest API handling time, seconds. */
  ingestLatency: 'omen_ingestapi_request_duration_seconds',
  /** counter: rows the Stream Ingest API wrote to the online store, by feature view. */
  ingestOnlineRows: 'omen_ingestapi_online_store_rows',
  /** counter: rows the Stream Ingest API wrote to the offline store, by feature view. */
  ingestOfflineRows: 'omen_ingestapi_offline_store_rows',
  /** counter: rows Spark micro-batches wrote to the online store, by feature view. */
  sparkOnlineRows: 'omen_spark_stream_online_store_rows',
  /** histogram: each micro-batch's reported inputRowsPerSecond (its _sum / _count is the average). */
  sparkInputRate: 'omen_spark_stream_input_rows_per_second',
  /** histogram: each micro-batch's reported processedRowsPerSecond. */
  sparkProcessingRate: 'omen_spark_stream_processed_rows_per_second',
  /** histogram: each micro-batch's average event age (processed time - eventTime.avg), seconds. */
  sparkAverageAge: 'omen_spark_stream_average_event_age_seconds',
  /** gauge: the last micro-batch's oldest event age (processed time - eventTime.min), seconds. */
  sparkOldestAge: 'omen_spark_stream_batch_oldest_event_age_seconds',
  /** gauge: the last micro-batch's newest event age (processed time - eventTime.max), seconds. */
  sparkNewestAge: 'omen_spark_stream_batch_newest_event_age_seconds',
  /** gauge: newest event time written to the online store so far, seconds since the epoch. */
  sparkNewestEventTime: 'omen_spark_stream_newest_event_time_seconds',
  /** gauge: when the last micro-batch was processed, seconds since the epoch. */
  sparkLastBatchTime: 'omen_spark_stream_last_batch_time_seconds',
});

/** Latency buckets, seconds: from 100 µs (handling an in-memory read) to 10 s, 16 bounds. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** Buckets for Spark's reported rows per second. */
export const ROWS_PER_SECOND_BUCKETS: readonly number[] = Object.freeze([1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]);

/** Buckets for event ages, seconds: 100 ms to a day. */
export const AGE_BUCKETS: readonly number[] = Object.freeze([0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400]);

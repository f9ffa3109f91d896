// Errors about metrics. Definition-time mistakes throw a MetricError at once; mistakes on the
// recording hot path never throw: the value is dropped, counted, and handed to the family's error sink.

export type MetricErrorCode =
  | 'invalid-name'
  | 'invalid-label-name'
  | 'reserved-label-name'
  | 'duplicate-label-name'
  | 'invalid-unit'
  | 'invalid-help'
  | 'invalid-option'
  | 'duplicate-family'
  | 'name-clash'
  | 'label-count'
  | 'invalid-label-value'
  | 'negative-increment'
  | 'non-finite-value'
  | 'invalid-value'
  | 'invalid-exemplar';

export class MetricError extends Error {
  override name = 'MetricError';

  constructor(
    readonly code: MetricErrorCode,
    message: string,
    /** The family the error is about, when known. */
    readonly family?: string,
  ) {
    super(message);
  }
}

export type ErrorSink = (error: MetricError) => void;

/** Quotes a value for an error message: strings in JSON quotes, everything else as JS shows it. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  return String(value);
}

// The gRPC status code a feature server pairs with an HTTP status, as Tecton's HTTP API answers errors
// (`"code": 5` with its 404). One table read, no allocation. Always: 2xx and 3xx are OK (0); every 4xx and 5xx
// is an error code. The catalog's `status` label and the raw series' `grpc_code` label both carry the number,
// so single-process and fleet answers agree.

// gRPC's status codes ("Status codes and their use", grpc.io) for the HTTP statuses a feature server answers,
// following the canonical google.rpc.Code <-> HTTP mapping read from HTTP to gRPC.
const GRPC_CODES: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  409: 10, // ABORTED
  413: 8, // RESOURCE_EXHAUSTED
  429: 8, // RESOURCE_EXHAUSTED
  499: 1, // CANCELLED
  500: 13, // INTERNAL
  501: 12, // UNIMPLEMENTED
  503: 14, // UNAVAILABLE
  504: 4, // DEADLINE_EXCEEDED
};

/** OK (0) below 400; the named code for a status the table has; else UNKNOWN (2) for 4xx, INTERNAL (13) for 5xx. */
export function grpcCodeForHttp(status: number): number {
  if (status < 400) return 0;
  return GRPC_CODES[status] ?? (status >= 500 ? 13 : 2);
}

/** gRPC's codes 0..16 as label values, made once so a record does not build a string. */
const CODE_LABELS: readonly string[] = Array.from({ length: 17 }, (_, code) => String(code));

/** A gRPC code as a label value (`'5'`); an out-of-range code is spelled out rather than refused. */
export function grpcLabel(code: number): string {
  return CODE_LABELS[code] ?? String(code);
}

/** The code for an HTTP status as a label value: `'5'` for 404. No allocation. */
export function grpcStatusOf(httpStatus: number): string {
  return grpcLabel(grpcCodeForHttp(httpStatus));
}

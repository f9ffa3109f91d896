// The gRPC status code a feature server pairs with an HTTP status, as Tecton's HTTP API answers errors
// (`"code": 5` with its 404). One table read. Always: 2xx and 3xx are OK (0); every 4xx and 5xx is an error code.

// gRPC's status codes ("Status codes and their use", grpc.io) for the HTTP statuses a feature server answers.
const GRPC_CODES: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** OK (0) below 400; the named code for a status the table has; else UNKNOWN (2) for 4xx, INTERNAL (13) for 5xx. */
export function grpcCodeForHttp(status: number): number {
  if (status < 400) return 0;
  return GRPC_CODES[status] ?? (status >= 500 ? 13 : 2);
}

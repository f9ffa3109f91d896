// The gRPC status code a gRPC feature server answers for the failure an HTTP one answers with `status`: the
// canonical google.rpc.Code <-> HTTP mapping, read from HTTP to gRPC. One switch, no allocation.
// Always: 2xx is OK, every other status maps to exactly one upper-case code name.

/** gRPC code name for an HTTP status, e.g. 404 -> NOT_FOUND, 503 -> UNAVAILABLE. */
export function grpcStatusOf(httpStatus: number): string {
  if (httpStatus >= 200 && httpStatus < 300) return 'OK';
  switch (httpStatus) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 413:
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return httpStatus >= 500 ? 'INTERNAL' : httpStatus >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN';
  }
}

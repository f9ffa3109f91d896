// JSON answers for the platform's routes, with errors in the Tecton feature server's shape
// `{"error": reason, "message": reason, "code": <gRPC status code>}`, so Tecton clients read them as usual.
// Per answer: one JSON.stringify and one write. Always: an error answer has a 4xx or 5xx status.
import type { ServerResponse } from 'node:http';
import { grpcCodeForHttp } from '../catalog/grpc-status.js';

/** Thrown by platform handlers to answer `status` with `message`; `extra` fields join the error body. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The gRPC status code Tecton pairs with an HTTP status (grpc-status.ts): OK (0) below 400, UNKNOWN (2) for 4xx it does not name, INTERNAL (13) for 5xx. */
export function grpcCode(status: number): number {
  return grpcCodeForHttp(status);
}

/** The error body for `status`: `{error, message, code, ...extra}`. */
export function errorBody(status: number, message: string, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return { error: message, message, code: grpcCode(status), ...extra };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
    })
    .end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, errorBody(error.status, error.message, error.extra));
}

/**
 * An ApiError for anything a handler threw: ApiErrors as they are, anything else a 500 that says so.
 * `report` sees the unexpected ones (they are bugs or I/O failures, worth a log line).
 */
export function toApiError(error: unknown, report: (error: unknown) => void): ApiError {
  if (error instanceof ApiError) return error;
  report(error);
  return new ApiError(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
}


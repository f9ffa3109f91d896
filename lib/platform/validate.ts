// Readers for parsed JSON request bodies: each returns a typed value or throws a 400 ApiError that names the
// field's path, what it held and what it needs. O(1) per field except describe() (bounded by its cut).
// Always: a message quotes at most DESCRIBE_CHARS characters of a value the client sent.
import { ApiError } from './api-error.js';

const DESCRIBE_CHARS = 60;
// ISO-8601 date-time with a zone, as Spark and Tecton write times; Date.parse alone accepts too much.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export type JsonObject = Record<string, unknown>;

/** A short rendering of a client's value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > DESCRIBE_CHARS ? `${text.slice(0, DESCRIBE_CHARS)}…` : text;
}

/**
 * Parses a request body as one JSON object: a body over `maxBytes` is 413, text that is not JSON or JSON
 * that is not an object is 400. `what` names the request and `example` shows the expected shape.
 */
export function parseJsonObject(body: Buffer, maxBytes: number, what: string, example: string): JsonObject {
  if (body.length > maxBytes) {
    throw new ApiError(413, `${what} body of ${body.length} bytes exceeds the ${maxBytes}-byte limit; split it into smaller requests`);
  }
  if (body.length === 0) throw new ApiError(400, `malformed ${what}: the body is empty; send a JSON object like ${example}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error: unknown) {
    throw new ApiError(400, `malformed ${what}: the body is not JSON (${(error as Error).message}); send a JSON object like ${example}`);
  }
  return object(parsed, 'the body', `a JSON object like ${example}`);
}

/**
 * A field given in snake_case or lowerCamelCase: Tecton's API is protobuf JSON, whose parsers accept
 * both spellings (`feature_service_name` and `featureServiceName`). The snake_case one wins if both are set.
 */
export function field(container: JsonObject, snakeName: string): unknown {
  const value = container[snakeName];
  if (value !== undefined) return value;
  return container[snakeName.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())];
}

export function object(value: unknown, path: string, expected = 'an object'): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(path, value, expected);
  return value as JsonObject;
}

export function optionalObject(value: unknown, path: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : object(value, path);
}

export function text(value: unknown, path: string, maxLength = 256): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength) throw invalid(path, value, `a non-empty string of at most ${maxLength} characters`);
  return value;
}

export function optionalText(value: unknown, path: string, maxLength = 256): string | undefined {
  return value === undefined || value === null ? undefined : text(value, path, maxLength);
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(path, value, 'true or false');
  return value;
}

export function array(value: unknown, path: string, maxItems: number): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path, value, `a non-empty array of at most ${maxItems} items`);
  if (value.length > maxItems) throw new ApiError(400, `invalid ${path}: ${value.length} items exceed the limit of ${maxItems}; split the request`);
  return value;
}

/** A whole number >= 0 (counts). */
export function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(path, value, 'a whole number >= 0');
  return value;
}

/** A finite number >= 0 (rates), or undefined when absent: Spark leaves rates out when they are NaN. */
export function optionalRate(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(path, value, 'a finite number >= 0');
  return value;
}

/** An ISO-8601 date-time with a zone (`2024-05-01T12:00:00.123Z`), as Unix milliseconds. */
export function isoTime(value: unknown, path: string): number {
  const ms = typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalid(path, value, 'an ISO-8601 time with a zone, e.g. "2024-05-01T12:00:00.000Z"');
  return ms;
}

export function optionalIsoTime(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : isoTime(value, path);
}

export function invalid(path: string, value: unknown, expected: string): ApiError {
  return new ApiError(400, `invalid ${path}: got ${describe(value)}, expected ${expected}`);
}

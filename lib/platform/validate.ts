// Readers for parsed JSON request bodies: each returns a typed value or throws a 400 ApiError that names the
// field's path, what it held and what it needs. O(1) per field except describe() (bounded by its cut).
// Always: a message quotes at most DESCRIBE_CHARS characters of a value the client sent; a time is a real
// calendar instant (no field rolls over into the next) within years 0001-9999 UTC.
import { ApiError } from './api-error.js';

const DESCRIBE_CHARS = 60;
// ISO-8601 date-time with a zone, as Spark and Tecton write times. Date.parse is not used: it rolls
// impossible fields over (2024-02-30 becomes March 1, T24:00 the next day) instead of refusing them.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;
const ISO_EXPECTED = 'an ISO-8601 time with a zone, e.g. "2024-05-01T12:00:00.000Z"';
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
// toISOString writes years past 9999 as "+010000-…", a shape this module would then refuse to read back.
const MIN_TIME_MS = utcMs(1, 1, 1, 0, 0, 0, 0);
const MAX_TIME_MS = utcMs(9999, 12, 31, 23, 59, 59, 999);
/**
 * The largest rate (rows per second) a report may carry: far beyond any stream (a trillion rows a second),
 * and small enough that a window summing thousands of them stays finite (1e308 twice is +Inf).
 */
export const MAX_RATE = 1e12;
const MAX_RATE_TEXT = '1e12';

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
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, `malformed ${what}: the body is ${describe(parsed)}, not an object; send a JSON object like ${example}`);
  }
  return parsed as JsonObject;
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

/** A lone surrogate has no UTF-8 form: a label value holding one could not be written, so it is refused here. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function text(value: unknown, path: string, maxLength = 256): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength || LONE_SURROGATE.test(value)) {
    throw invalid(path, value, `a non-empty string of at most ${maxLength} characters, valid Unicode (no lone surrogate)`);
  }
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

/** A number in [0, MAX_RATE] (rows per second), or undefined when absent: Spark leaves rates out when they are NaN. */
export function optionalRate(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(path, value, 'a finite number >= 0');
  if (value > MAX_RATE) throw new ApiError(400, `invalid ${path}: got ${describe(value)}, over the cap of ${MAX_RATE_TEXT} rows per second; send the rate the batch measured`);
  return value;
}

/**
 * An ISO-8601 date-time with a zone (`2024-05-01T12:00:00.123Z`, offsets `+01:00` or `+0100`), as Unix
 * milliseconds (digits past the millisecond are cut, as Date.parse does). Each field is range-checked.
 */
export function isoTime(value: unknown, path: string): number {
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  if (match === null) throw invalid(path, value, ISO_EXPECTED);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(match[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]));
  const problem =
    year < 1 ? `year ${match[1]} is before year 0001`
    : month < 1 || month > 12 ? `month ${match[2]} is not 01 to 12`
    : day < 1 || day > daysInMonth(year, month) ? `day ${match[3]} is not in ${match[1]}-${match[2]}, which has ${daysInMonth(year, month)} days`
    : hour > 23 ? `hour ${match[4]} is past 23 (write 00 of the next day)`
    : minute > 59 ? `minute ${match[5]} is past 59`
    : second > 59 ? `second ${match[6]} is past 59 (leap seconds are not taken)`
    : Number(match[9] ?? 0) > 23 || Number(match[10] ?? 0) > 59 ? `offset ${match[8]}${match[9]}:${match[10]} is not -23:59 to +23:59`
    : undefined;
  if (problem !== undefined) throw new ApiError(400, `invalid ${path}: got ${describe(value)}, but ${problem}; send ${ISO_EXPECTED}`);
  const time = utcMs(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  if (time < MIN_TIME_MS || time > MAX_TIME_MS) throw new ApiError(400, `invalid ${path}: got ${describe(value)}, which is outside years 0001 to 9999 in UTC; send ${ISO_EXPECTED}`);
  return time;
}

export function optionalIsoTime(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : isoTime(value, path);
}

export function invalid(path: string, value: unknown, expected: string): ApiError {
  return new ApiError(400, `invalid ${path}: got ${describe(value)}, expected ${expected}`);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Unix ms of a UTC calendar time; unlike Date.UTC, years 0-99 are not taken as 1900-1999. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

// pushToGateway: sends a registry's metrics (or a ready body) to a Prometheus Pushgateway group, for batch
// jobs that end before any scrape. One HTTP request per call; the body is Prometheus text 0.0.4, the format
// every Pushgateway version accepts. Holds: a non-2xx answer rejects with its status and the gateway's message.
import { PROMETHEUS } from '../exposition/formats.js';
import { groupUrl, PushOptionError } from './url.js';

/** What can be pushed: a Registry or a ClusterRegistry (anything that scrapes to text). */
export interface Scrapable {
  scrape(format: typeof PROMETHEUS): Promise<Buffer>;
}

export interface PushOptions {
  /** The `job` of the group. */
  job: string;
  /** Further labels of the group (`{ instance: 'batch-7' }`); values may hold `/` or be empty. */
  groupingKey?: Readonly<Record<string, string>>;
  /** Whose metrics to push (PUT, POST). */
  registry?: Scrapable;
  /** A Prometheus text 0.0.4 body to push instead of a registry's (`omen push FILE`). */
  body?: Uint8Array | string;
  /** PUT replaces the whole group (default), POST replaces only the pushed families, DELETE removes the group. */
  method?: 'PUT' | 'POST' | 'DELETE';
  /** Extra request headers, e.g. Authorization. */
  headers?: Readonly<Record<string, string>>;
  /** Give up after this long. Default 10,000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_PUSH_TIMEOUT_MS = 10_000;
const METHODS = ['PUT', 'POST', 'DELETE'] as const;
const MAX_MESSAGE = 500;

/** A push the gateway refused (non-2xx), or that got no answer in time. */
export class PushError extends Error {
  override name = 'PushError';
  constructor(
    message: string,
    /** The HTTP status, or 0 when there was no answer. */
    readonly status: number,
    /** The gateway's own words (its response body), trimmed. */
    readonly gatewayMessage: string,
  ) {
    super(message);
  }
}

/** Pushes to `url` (the gateway's base, e.g. http://127.0.0.1:9091); resolves with the HTTP status. */
export async function pushToGateway(url: string, options: PushOptions): Promise<{ status: number; url: string }> {
  if (typeof options !== 'object' || options === null) throw new PushOptionError('pushToGateway: pass options { job, registry | body, ... }');
  const method = options.method ?? 'PUT';
  if (!METHODS.includes(method)) throw new PushOptionError(`invalid method ${JSON.stringify(method)}: use PUT (replace the group), POST (merge into it) or DELETE (remove it)`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new PushOptionError(`invalid timeoutMs ${String(timeoutMs)}: must be a positive number of ms, e.g. 10000`);
  }
  const target = groupUrl(url, options.job, options.groupingKey);
  let body: Uint8Array | string | undefined;
  if (method !== 'DELETE') {
    if (options.body !== undefined) body = options.body;
    else if (options.registry !== undefined) body = await options.registry.scrape(PROMETHEUS);
    else throw new PushOptionError(`${method} needs something to push: pass registry or body`);
  }
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] = PROMETHEUS.contentType;
  let response: Response;
  try {
    response = await fetch(target, { method, headers, body: body as string | undefined, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (error: unknown) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(error);
    throw new PushError(`push to ${target.href} failed: ${reason}`, 0, '');
  }
  const text = (await response.text().catch(() => '')).trim().slice(0, MAX_MESSAGE);
  if (!response.ok) {
    const said = text === '' ? '(empty response body)' : text;
    throw new PushError(`Pushgateway answered ${response.status} ${response.statusText} to ${method} ${target.href}: ${said}`, response.status, text);
  }
  return { status: response.status, url: target.href };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export { PushOptionError };

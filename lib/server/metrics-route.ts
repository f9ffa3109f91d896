// GET/HEAD /api/v1/observability/metrics: negotiates the format from Accept, scrapes, gzips when
// Accept-Encoding allows it. Concurrent requests for one format share one scrape and one gzip, so a
// burst of scrapers costs one exposition. Always: exactly one Content-Type, and `Vary` names both headers.
import type { ServerResponse } from 'node:http';
import type { ExpositionFormat, FormatId } from '../exposition/formats.js';
import type { RouteHandler } from './router.js';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { negotiateFormat } from '../exposition/negotiate.js';
import { acceptsGzip } from './encoding.js';
import { HttpError } from './router.js';

export const METRICS_PATH = '/api/v1/observability/metrics';

const gzipAsync = promisify(gzip);

/** Where the exposition comes from; a Registry is one. */
export interface ScrapeSource {
  scrape(format: ExpositionFormat): Promise<Buffer>;
}

export function metricsRoute(source: ScrapeSource): RouteHandler {
  const inFlight = new Map<FormatId, Promise<Buffer>>();
  const gzipped = new WeakMap<Buffer, Promise<Buffer>>();

  const scrape = (format: ExpositionFormat): Promise<Buffer> => {
    let pending = inFlight.get(format.id);
    if (pending === undefined) {
      pending = source.scrape(format).finally(() => inFlight.delete(format.id));
      inFlight.set(format.id, pending);
    }
    return pending;
  };

  const compress = (body: Buffer): Promise<Buffer> => {
    let pending = gzipped.get(body);
    if (pending === undefined) gzipped.set(body, (pending = gzipAsync(body)));
    return pending;
  };

  return async ({ req, res }) => {
    const format = negotiateFormat(req.headers.accept);
    let body: Buffer;
    try {
      body = await scrape(format);
    } catch (error: unknown) {
      throw new HttpError(500, `scrape failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const encode = acceptsGzip(req.headers['accept-encoding']);
    if (encode) body = await compress(body);
    send(res, format, body, encode);
  };
}

function send(res: ServerResponse, format: ExpositionFormat, body: Buffer, gzipped: boolean): void {
  const headers: Record<string, string | number> = {
    'Content-Type': format.contentType,
    'Content-Length': body.length,
    Vary: 'Accept, Accept-Encoding',
    'Cache-Control': 'no-store',
  };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, headers).end(body);
}

// GET/HEAD /api/v1/observability/metrics: format from Accept, gzip when Accept-Encoding allows it. Requests
// for one format that arrive together share one scrape and one gzip; the bytes are the registry's, lent
// until the last answer is sent or abandoned. Always: one Content-Type, `Vary` names both headers, and each
// lease is released exactly once, even when the client hangs up mid-scrape.
import type { ServerResponse } from 'node:http';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { ScrapeLease } from '../registry.js';
import type { RouteHandler } from './router.js';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { negotiateFormat } from '../exposition/negotiate.js';
import { acceptsGzip } from '../exposition/accept-encoding.js';
import { noteAudit } from './audit.js';
import { HttpError } from './router.js';

export const METRICS_PATH = '/api/v1/observability/metrics';

const gzipAsync = promisify(gzip);

/** Where the exposition comes from; a Registry is one. With `lease`, bytes are lent rather than copied. */
export interface ScrapeSource {
  scrape(format: ExpositionFormat): Promise<Buffer>;
  lease?(format: ExpositionFormat): Promise<ScrapeLease>;
}

/** One scrape shared by the requests that arrived while it ran; released when the last one is done. */
interface SharedScrape {
  readonly bytes: Buffer;
  holders: number;
  release(): void;
}

/** `headers` go on every 200 answer (e.g. the catalog version the page shows). */
export function metricsRoute(source: ScrapeSource, headers: Readonly<Record<string, string>> = {}): RouteHandler {
  // Keyed by the format value: variants of one format (escaping schemes) write different bytes.
  const inFlight = new Map<ExpositionFormat, Promise<SharedScrape>>();
  const gzipped = new WeakMap<Buffer, Promise<Buffer>>();

  const lease = async (format: ExpositionFormat): Promise<ScrapeLease> =>
    source.lease !== undefined ? source.lease(format) : { bytes: await source.scrape(format), release: () => {} };

  // Holders are counted right after the await, before any I/O, so no release can come between.
  const scrape = async (format: ExpositionFormat): Promise<SharedScrape> => {
    let pending = inFlight.get(format);
    if (pending === undefined) {
      pending = lease(format)
        .then((lent) => ({ bytes: lent.bytes, holders: 0, release: () => lent.release() }))
        .finally(() => inFlight.delete(format));
      inFlight.set(format, pending);
    }
    const shared = await pending;
    shared.holders++;
    return shared;
  };

  const done = (shared: SharedScrape): void => {
    if (--shared.holders === 0) shared.release();
  };

  const compress = (body: Buffer): Promise<Buffer> => {
    let pending = gzipped.get(body);
    if (pending === undefined) gzipped.set(body, (pending = gzipAsync(body)));
    return pending;
  };

  return async ({ req, res }) => {
    const format = negotiateFormat(req.headers.accept);
    noteAudit(req, { format: format.id });
    let shared: SharedScrape;
    try {
      shared = await scrape(format);
    } catch (error: unknown) {
      if (error instanceof HttpError) throw error; // a source that knows its status (a fleet engine's 503)
      throw new HttpError(500, `scrape failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A client that left while the scrape ran has closed its answer already: no 'close' is coming.
    if (res.destroyed) return done(shared);
    if (!acceptsGzip(req.headers['accept-encoding'])) {
      // 'close' comes once the bytes are sent or the connection is gone (MetricsServer closes queued answers too).
      res.once('close', () => done(shared));
      send(res, format, shared.bytes, false, headers);
      return;
    }
    let body: Buffer;
    try {
      body = await compress(shared.bytes);
    } finally {
      done(shared);
    }
    send(res, format, body, true, headers);
  };
}

function send(res: ServerResponse, format: ExpositionFormat, body: Buffer, gzipped: boolean, extra: Readonly<Record<string, string>>): void {
  const headers: Record<string, string | number> = {
    ...extra,
    'Content-Type': format.contentType,
    'Content-Length': body.length,
    Vary: 'Accept, Accept-Encoding',
    'Cache-Control': 'no-store',
  };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, headers).end(body);
}

// One GET the way a scraper makes it, on node:http and node:https (fetch cannot take a CA file on Node 20):
// redirects followed, gzip and deflate decoded while streaming, the decoded body capped, one deadline for all.
// Always: a body past the cap is abandoned as soon as it passes, so memory stays bounded by the cap.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

export interface GetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  /** Decoded bytes accepted; past them the answer's body is undefined. */
  maxBytes: number;
  /** PEM CA bundle trusted for https, in place of the system's. */
  ca?: Buffer | undefined;
  /** Accept any certificate on https (self-signed tests only). */
  insecure?: boolean | undefined;
}

export interface GetAnswer {
  status: number;
  statusText: string;
  headers: IncomingMessage['headers'];
  /** Undefined when the decoded body passed `maxBytes`. */
  body: Buffer | undefined;
}

const MAX_REDIRECTS = 5;

/** Thrown when the deadline passes; `name` is 'TimeoutError' like fetch's. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export async function httpGet(url: string, options: GetOptions): Promise<GetAnswer> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let target = new URL(url);
  for (let hops = 0; ; hops++) {
    const response = await send(target, options, deadline);
    const location = response.headers.location;
    if (response.statusCode !== undefined && response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      response.resume();
      if (hops === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      target = new URL(location, target);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`redirect to unsupported scheme ${JSON.stringify(target.protocol)}`);
      continue;
    }
    const body = await readCapped(decoded(response), options.maxBytes, deadline);
    return { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body };
  }
}

function send(url: URL, options: GetOptions, deadline: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': 'gzip, deflate', ...options.headers };
    const request =
      url.protocol === 'https:'
        ? httpsRequest(url, { headers, signal: deadline, ...(options.ca === undefined ? {} : { ca: options.ca }), rejectUnauthorized: options.insecure !== true })
        : httpRequest(url, { headers, signal: deadline });
    request.once('response', resolve);
    request.once('error', (error) => reject(deadline.aborted ? new TimeoutError('deadline passed') : error));
    request.end();
  });
}

function decoded(response: IncomingMessage): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  // pipeline, not pipe: a cut response must fail the decoder too, or the read would wait forever.
  if (encoding === 'gzip' || encoding === 'x-gzip') return pipeline(response, createGunzip(), () => {});
  if (encoding === 'deflate') return pipeline(response, createInflate(), () => {});
  return response;
}

async function readCapped(body: Readable, maxBytes: number, deadline: AbortSignal): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        body.destroy();
        return undefined;
      }
      chunks.push(chunk);
    }
  } catch (error: unknown) {
    if (deadline.aborted) throw new TimeoutError('deadline passed');
    throw error;
  }
  return Buffer.concat(chunks, total);
}

// The demo's clients (traffic generator, key check) call the server in their own process over loopback, over
// HTTP or HTTPS as `omen serve` was started. Always: over HTTPS they skip certificate verification, because the
// request never leaves this host and the server's certificate may be signed by a CA this process lacks;
// nothing else in omen does so.
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export type LoopbackAgent = HttpAgent | HttpsAgent;

export function loopbackAgent(origin: URL, sockets: number): LoopbackAgent {
  const options = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets };
  return origin.protocol === 'https:' ? new HttpsAgent({ ...options, rejectUnauthorized: false }) : new HttpAgent(options);
}

export function loopbackRequest(origin: URL, options: RequestOptions, onResponse: (res: IncomingMessage) => void): ClientRequest {
  if (origin.protocol !== 'https:') return httpRequest({ protocol: 'http:', ...options }, onResponse);
  return httpsRequest({ protocol: 'https:', ...options, rejectUnauthorized: false }, onResponse);
}

// A client for the Prometheus HTTP query API (`POST /api/v1/query`), which Prometheus, VictoriaMetrics,
// Thanos, Mimir and Cortex all answer. Per query: one request on a keep-alive socket, one JSON.parse.
// Always: a query resolves to an instant vector or rejects with an EngineError naming the engine and why.
import type { IncomingMessage } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One series of an instant vector: its labels and value (`NaN`, `+Inf`, `-Inf` read as numbers). */
export interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusClientOptions {
  /** Where the query API lives: `http://host:9090`, or a prefix such as `http://mimir/prometheus`. */
  url: string;
  /** Sent with every query (a tenant header, `Authorization: Bearer …`). */
  headers?: readonly (readonly [string, string])[];
  /** How long one query may take, end to end; also sent as the engine's own `timeout`. */
  timeoutMs: number;
}

/** The engine did not answer a query with a vector: unreachable, timed out, or an error status. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** Largest answer read; a catalog query answers a few hundred series, far below this. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export class PrometheusClient {
  readonly url: URL;
  readonly #endpoint: URL;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;

  constructor(options: PrometheusClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new RangeError(`invalid --prometheus-url ${JSON.stringify(options.url)}: must be an http(s) URL such as http://127.0.0.1:9090`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new RangeError(`invalid --prometheus-url ${JSON.stringify(options.url)}: must start with http:// or https://`);
    }
    this.url = url;
    this.#endpoint = new URL(`${url.pathname.replace(/\/+$/, '')}/api/v1/query`, url);
    this.#headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    for (const [name, value] of options.headers ?? []) this.#headers[name] = value;
    this.#timeoutMs = options.timeoutMs;
    const https = url.protocol === 'https:';
    this.#agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 16 }) : new HttpAgent({ keepAlive: true, maxSockets: 16 });
    this.#request = https ? (httpsRequest as typeof httpRequest) : httpRequest;
  }

  /** Evaluates `expr` at `timeSeconds` (Unix seconds). */
  query(expr: string, timeSeconds: number): Promise<VectorSample[]> {
    const body = new URLSearchParams({ query: expr, time: timeSeconds.toFixed(3), timeout: `${this.#timeoutMs}ms` }).toString();
    return new Promise<VectorSample[]>((resolve, reject) => {
      const req = this.#request(
        this.#endpoint,
        { method: 'POST', agent: this.#agent, headers: { ...this.#headers, 'Content-Length': Buffer.byteLength(body) }, timeout: this.#timeoutMs },
        // vectorOf throws for error answers: inside then(), so they reject this query rather than escape.
        (res) => readAnswer(res).then((text) => vectorOf(res.statusCode ?? 0, text)).then(resolve, reject),
      );
      const timer = setTimeout(() => req.destroy(new EngineError(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      req.once('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new EngineError(`no answer within ${this.#timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => reject(error instanceof EngineError ? error : new EngineError(error.code ?? error.message)));
      req.end(body);
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }
}

async function readAnswer(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) throw new EngineError(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] };
}

function vectorOf(status: number, text: string): VectorSample[] {
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new EngineError(`HTTP ${status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (answer.status !== 'success') throw new EngineError(`HTTP ${status}, ${answer.errorType ?? 'error'}: ${answer.error ?? 'no reason given'}`);
  const data = answer.data;
  if (data?.resultType === 'scalar') throw new EngineError('the expression gives a scalar, not a vector');
  if (data?.resultType !== 'vector' || !Array.isArray(data.result)) throw new EngineError(`HTTP ${status}: no vector in the answer (resultType ${String(data?.resultType)})`);
  return data.result.map((series) => ({ labels: series.metric ?? {}, value: numberOf(series.value?.[1]) }));
}

/** The API writes values as strings, special values as `NaN`, `+Inf`, `-Inf`. */
function numberOf(text: string | undefined): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return text === undefined ? NaN : Number(text);
}

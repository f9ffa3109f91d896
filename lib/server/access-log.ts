// The access log behind `omen serve --access-log FILE|-`: one JSON line per answered request, appended through
// a stream (no write blocks the event loop). Per request: one JSON.stringify and one buffered write.
// Always: no line holds a key or a key hash; failed authentications are capped per second, and how many were
// left out is written once the flood eases, so a flood of bad keys cannot fill the disk.
import type { Writable } from 'node:stream';
import type { AuthFailure } from './audit.js';
import { createWriteStream } from 'node:fs';

export interface AccessEntry {
  /** ISO-8601 UTC, when the answer ended. */
  time: string;
  remote: string;
  method: string;
  path: string;
  status: number;
  /** Bytes written to the connection for this answer: status line, headers and body as sent (gzipped or not). */
  bytes: number;
  /** From the request's arrival to the answer's end, milliseconds. */
  duration_ms: number;
  /** The exposition format served, on metrics answers. */
  format?: string;
  /** The service account that authenticated. */
  account?: string;
  /** Why authentication failed, when it did. */
  auth?: AuthFailure;
  /** The client left (or the connection was cut) before the answer was complete. */
  aborted?: true;
}

export interface AccessLogOptions {
  /** Failed-authentication lines written per second at most, after a burst of as many. Default 10. */
  failedAuthPerSecond?: number;
  now?: () => number;
}

export class AccessLog {
  readonly target: string;
  readonly #rate: number;
  readonly #now: () => number;
  #out: Writable;
  #tokens: number;
  #refilledAt: number;
  #suppressed = 0;
  #flush: NodeJS.Timeout | undefined;
  #onError: (error: Error) => void = () => {};

  /** `target` is a file path (appended to, created 0600) or `-` for stdout. */
  constructor(target: string, options: AccessLogOptions = {}) {
    this.target = target;
    this.#rate = options.failedAuthPerSecond ?? 10;
    if (!(Number.isSafeInteger(this.#rate) && this.#rate > 0)) {
      throw new RangeError(`invalid failedAuthPerSecond ${String(options.failedAuthPerSecond)}: must be a whole number above 0`);
    }
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#rate;
    this.#refilledAt = this.#now();
    this.#out = this.#open();
  }

  /** Write failures (a full disk, a removed folder): reported, never thrown into a request. */
  onError(listener: (error: Error) => void): this {
    this.#onError = listener;
    return this;
  }

  write(entry: AccessEntry): void {
    if (entry.auth !== undefined && !this.#admitFailure()) return;
    this.#line(entry);
  }

  /** Opens the file again by name: after logrotate moved it, new lines go to a new file. */
  reopen(): void {
    if (this.target === '-') return;
    const old = this.#out;
    this.#out = this.#open();
    old.end();
  }

  close(): Promise<void> {
    clearInterval(this.#flush);
    this.#flush = undefined;
    this.#reportSuppressed();
    if (this.target === '-') return Promise.resolve();
    return new Promise((resolve) => this.#out.end(resolve));
  }

  #open(): Writable {
    if (this.target === '-') return process.stdout;
    const stream = createWriteStream(this.target, { flags: 'a', mode: 0o600 });
    stream.on('error', (error) => this.#onError(error));
    return stream;
  }

  #line(record: object): void {
    this.#out.write(`${JSON.stringify(record)}\n`);
  }

  /** A token bucket: `rate` lines a second, bursts up to `rate`. */
  #admitFailure(): boolean {
    const now = this.#now();
    const earned = ((now - this.#refilledAt) / 1000) * this.#rate;
    if (earned > 0) {
      this.#tokens = Math.min(this.#rate, this.#tokens + earned);
      this.#refilledAt = now;
    }
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#reportSuppressed();
      return true;
    }
    this.#suppressed++;
    // A flood that simply stops still gets its count written, a second later.
    this.#flush ??= setInterval(() => this.#reportSuppressed(), 1000).unref();
    return false;
  }

  #reportSuppressed(): void {
    if (this.#suppressed === 0) {
      clearInterval(this.#flush);
      this.#flush = undefined;
      return;
    }
    this.#line({ time: new Date(this.#now()).toISOString(), event: 'failed_auth_suppressed', count: this.#suppressed });
    this.#suppressed = 0;
  }
}

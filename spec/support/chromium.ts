// Drives a real headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
// messages ending in NUL on fds 3 and 4), so specs need no WebSocket client and no browser package. Not a
// spec itself. Always: a fresh profile dir per launch, removed with the browser, which is stopped by its PID.
import type { ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, stopChild } from './processes.js';

/** Debian's `chromium`, or another Chromium-family browser on PATH; undefined when none is installed. */
export function findChromium(): string | undefined {
  return findOnPath('chromium') ?? findOnPath('chromium-browser') ?? findOnPath('google-chrome');
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--hide-scrollbars',
  '--mute-audio',
  '--remote-debugging-pipe',
];

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  method: string;
}

export class Chromium {
  readonly #child: ChildProcess;
  readonly #profile: string;
  readonly #pending = new Map<number, Pending>();
  readonly #out: Writable;
  #nextId = 1;
  #buffered = '';
  #stderr = '';

  private constructor(child: ChildProcess, profile: string) {
    this.#child = child;
    this.#profile = profile;
    this.#out = child.stdio[3] as Writable;
    (child.stdio[4] as Readable).on('data', (chunk: Buffer) => this.#onData(chunk));
    child.stderr!.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-4000)));
    child.once('exit', (code, signal) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`chromium exited (${code ?? signal}) during ${pending.method}\n${this.#stderr}`));
      this.#pending.clear();
    });
  }

  static launch(binary: string): Chromium {
    const profile = mkdtempSync(join(tmpdir(), 'omen-chromium-'));
    const child = spawn(binary, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    return new Chromium(child, profile);
  }

  /** Sends one protocol command (to the page session when `sessionId` is given) and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    const message = JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.#out.write(`${message}\0`);
    });
  }

  /** A new tab at `url`, with a session attached to it and its viewport set. */
  async open(url: string, width: number, height: number): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new Page(this, sessionId);
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: width < 600 });
    await page.send('Page.navigate', { url });
    // Navigation is asynchronous: wait for the new document, so callers never read the blank one.
    for (let tries = 0; !(await page.evaluate<boolean>("location.href !== 'about:blank' && document.readyState === 'complete'")); tries++) {
      if (tries > 600) throw new Error(`chromium did not load ${url} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return page;
  }

  /** Browser.close lets Chromium stop its own helper processes; SIGTERM (then SIGKILL) by PID if it does not. */
  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = new Promise((resolve) => this.#child.once('exit', resolve));
      await Promise.race([this.send('Browser.close').catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    }
    await stopChild(this.#child, 5_000);
    // A helper may still be flushing into the profile for a moment after the browser exits.
    rmSync(this.#profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }

  #onData(chunk: Buffer): void {
    this.#buffered += chunk.toString('utf8');
    let end: number;
    while ((end = this.#buffered.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.#buffered.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      this.#buffered = this.#buffered.slice(end + 1);
      const pending = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (pending === undefined) continue; // an event; the specs poll the DOM instead
      this.#pending.delete(message.id!);
      if (message.error !== undefined) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
      else pending.resolve(message.result ?? {});
    }
  }
}

export class Page {
  constructor(
    readonly browser: Chromium,
    readonly sessionId: string,
  ) {}

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Evaluates `expression` in the page and returns its value (JSON-serialisable results only). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (answer.exceptionDetails !== undefined) throw new Error(`in page: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
    return answer.result.value as T;
  }

  /** A PNG of the viewport. */
  async screenshot(): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(data, 'base64');
  }
}

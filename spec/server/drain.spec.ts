// Graceful stop against a real child process: SIGTERM while a large scrape is read slowly lets the answer
// drain to its last byte within the deadline, and an answer the deadline cuts is named in close()'s result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { stopChild } from '../support/processes.js';

const SERVER = fileURLToPath(new URL('./fixtures/large-scrape-server.js', import.meta.url));
const KEY = 'drainSpecKey0123456789';
const MEGABYTES = 16;

interface Child {
  child: ChildProcess;
  /** The next JSON line with `field`, waiting for it. */
  next<T>(field: string): Promise<T>;
  exited: Promise<number | null>;
}

function start(deadlineMs: number): Child {
  const child = spawn(process.execPath, [SERVER, String(MEGABYTES), KEY, String(deadlineMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  let wake = () => {};
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) lines.push(JSON.parse(line) as Record<string, unknown>);
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const next = async <T>(field: string): Promise<T> => {
    for (;;) {
      const line = lines.find((entry) => field in entry);
      if (line !== undefined) return (field === '*' ? line : line[field]) as T;
      if (child.exitCode !== null) throw new Error(`the server exited before printing ${field}`);
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), exited]);
    }
  };
  return { child, next, exited };
}

/** A scrape whose reader stops after the first chunk until resume(); `done` gives every byte received. */
function slowScrape(port: number): { started: Promise<void>; resume(): void; done: Promise<Buffer>; socket: Socket } {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let begun = () => {};
  const started = new Promise<void>((resolve) => (begun = resolve));
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (chunks.length === 1) {
      socket.pause(); // the kernel buffers fill, and the rest waits in the server's socket
      begun();
    }
  });
  socket.on('error', () => {});
  socket.write(`GET ${METRICS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Tecton-key ${KEY}\r\n\r\n`);
  const done = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))));
  return { started, resume: () => socket.resume(), done, socket };
}

/** The body length the answer's Content-Length promised, and the body bytes that arrived. */
function lengths(answer: Buffer): { promised: number; received: number } {
  const headEnd = answer.indexOf('\r\n\r\n');
  const head = answer.subarray(0, headEnd).toString('latin1');
  const promised = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? NaN);
  return { promised, received: answer.length - headEnd - 4 };
}

test('SIGTERM during a large, slowly read scrape lets it drain to its last byte, then the server exits 0', async () => {
  const server = start(30_000);
  try {
    const scrape = slowScrape(await server.next<number>('port'));
    await scrape.started;
    server.child.kill('SIGTERM');
    assert.is(await server.next<number>('stopping'), 1);
    // Still paused well after the stop began: the answer must wait for this reader, not be dropped.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    scrape.resume();
    const { promised, received } = lengths(await scrape.done);
    assert.ok(promised > MEGABYTES * 1_000_000, `a ${promised}-byte scrape`);
    assert.is(received, promised, 'every byte of the body arrived');
    assert.equal(await server.next<unknown>('graceful'), true);
    assert.equal(await server.next<unknown>('cut'), []);
    assert.is(await server.exited, 0);
  } finally {
    await stopChild(server.child);
  }
});

test('an answer still draining at the deadline is cut, and close() names it', async () => {
  const server = start(300);
  try {
    const port = await server.next<number>('port');
    const scrape = slowScrape(port);
    await scrape.started;
    server.child.kill('SIGTERM');
    const cut = await server.next<string[]>('cut');
    assert.is(cut.length, 1);
    assert.match(cut[0]!, new RegExp(`^GET ${METRICS_PATH} from 127\\.0\\.0\\.1:${scrape.socket.localPort} \\(\\d+ bytes sent\\)$`));
    assert.equal(await server.next<unknown>('graceful'), false);
    scrape.resume();
    const { promised, received } = lengths(await scrape.done);
    assert.ok(received < promised, `cut at ${received} of ${promised} bytes`);
    assert.is(await server.exited, 1);
  } finally {
    await stopChild(server.child);
  }
});

test.run();

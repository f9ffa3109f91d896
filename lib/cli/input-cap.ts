// How much input a CLI verb reads before it gives up (`--max-bytes`, shared by scrape and lint), and the
// capped read itself. Cost: one pass over the chunks, one copy at the end. Always: at most maxBytes plus
// one chunk is held in memory, so an endless input (/dev/zero, a stuck pipe) cannot exhaust it.
import { UsageError } from './verb.js';

/** Bytes of (decoded) input accepted before a verb refuses it, like Prometheus' body_size_limit; 64 MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

/** `1048576`, `512KiB`, `64MiB`, `1GiB`: a positive whole number of bytes. */
export function parseSize(text: string): number {
  const match = /^(\d+)(KiB|MiB|GiB)?$/.exec(text);
  const bytes = match === null ? NaN : Number(match[1]) * (SIZE_UNITS[match[2] ?? ''] ?? NaN);
  if (!(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new UsageError(`invalid --max-bytes ${JSON.stringify(text)}: give a positive whole number of bytes, optionally ending in KiB, MiB or GiB (e.g. 64MiB)`);
  }
  return bytes;
}

export function describeSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The whole stream, or undefined (the stream given up on) as soon as it passes `maxBytes`. */
export async function readStreamCapped(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.byteLength;
    if (total > maxBytes) return undefined; // leaving the loop destroys the stream
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

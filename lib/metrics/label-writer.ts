// Writes a new child's label set `{a="x",b="y"}` straight into the family's arena: the fixed parts (default
// labels, `name="`) are rendered once per family, values are copied byte by byte while they are plain ASCII.
// Cost: about one store per byte, no allocation; a value with a byte to escape or a non-ASCII character
// renders its rest through escapeLabelValue (a string and a native write), so its output is the same.
import type { LabelPair } from '../exposition/model.js';
import type { ArenaSpan, ByteArena } from './arena.js';
import { escapeLabelValue } from '../exposition/escape.js';
import { renderLabelPairs } from '../exposition/labels.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const CLOSE = Buffer.from('"}');

export class LabelSetWriter {
  /** heads[i] goes before value i: `{<defaults>,name0="` for the first, `",name_i="` after. */
  readonly #heads: Buffer[];
  readonly #fixedBytes: number;

  constructor(constPairs: readonly LabelPair[], labelNames: readonly string[]) {
    const defaults = renderLabelPairs(constPairs);
    this.#heads = labelNames.map((name, i) => Buffer.from(i === 0 ? `{${defaults === '' ? '' : `${defaults},`}${name}="` : `",${name}="`, 'utf8'));
    this.#fixedBytes = this.#heads.reduce((sum, head) => sum + head.length, CLOSE.length);
  }

  /** Appends the label set for `values` (one per label name, at least one) to `arena` as `span`'s bytes. */
  write(arena: ByteArena, values: readonly string[], span: ArenaSpan): void {
    let room = this.#fixedBytes;
    // An escaped or UTF-8 encoded UTF-16 unit takes at most 3 bytes.
    for (let i = 0; i < values.length; i++) room += values[i]!.length * 3;
    let at = arena.reserve(room);
    const bytes = arena.bytes;
    for (let i = 0; i < values.length; i++) {
      at = copy(this.#heads[i]!, bytes, at);
      const value = values[i]!;
      let j = 0;
      for (; j < value.length; j++) {
        const unit = value.charCodeAt(j);
        if (unit >= 0x80 || unit === BACKSLASH || unit === QUOTE || unit === NEWLINE) break;
        bytes[at++] = unit;
      }
      // Escaping is per character, so the rest escapes the same on its own (it starts on a whole character).
      if (j < value.length) at += bytes.write(escapeLabelValue(value.slice(j)), at, 'utf8');
    }
    arena.commit(span, copy(CLOSE, bytes, at));
  }
}

/** Short fixed parts: a byte loop beats Buffer#copy's native call at this size. */
function copy(source: Buffer, target: Buffer, at: number): number {
  for (let i = 0; i < source.length; i++) target[at++] = source[i]!;
  return at;
}

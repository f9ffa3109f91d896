// A family's label sets `{a="x",b="y"}` in its arena: written for a new child (fixed parts rendered once, values
// copied byte by byte while plain ASCII, the rest through escapeLabelValue: ~1 store per byte, no allocation),
// and read back for the label trie, whose lone children keep no key of their own (one compare per byte).
// Holds: the bytes equal renderLabelSet(renderLabelPairs(defaults + labels)).
import type { LabelPair } from '../exposition/model.js';
import type { ArenaSpan, ByteArena } from './arena.js';
import type { LeafKeys } from './label-trie.js';
import { escapeLabelValue } from '../exposition/escape.js';
import { renderLabelPairs } from '../exposition/labels.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const EQUALS = 0x3d;
const LETTER_N = 0x6e;
const CLOSE = Buffer.from('"}');
const ESCAPED = /\\([\\"n])/g;

export class LabelSetWriter implements LeafKeys<ArenaSpan> {
  readonly #arena: ByteArena;
  /** heads[i] goes before value i: `{<defaults>,name0="` for the first, `",name_i="` after. */
  readonly #heads: Buffer[];
  readonly #fixedBytes: number;

  constructor(constPairs: readonly LabelPair[], labelNames: readonly string[], arena: ByteArena) {
    this.#arena = arena;
    const defaults = renderLabelPairs(constPairs);
    this.#heads = labelNames.map((name, i) => Buffer.from(i === 0 ? `{${defaults === '' ? '' : `${defaults},`}${name}="` : `",${name}="`, 'utf8'));
    this.#fixedBytes = this.#heads.reduce((sum, head) => sum + head.length, CLOSE.length);
  }

  /** Appends the label set for `values` (one per label name, at least one) to the arena as `span`'s bytes. */
  write(values: readonly string[], span: ArenaSpan): void {
    const arena = this.#arena;
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

  /**
   * Whether `key` is the last label value in `span`'s label set: its escaped UTF-8 sits just before the closing
   * `"}`, right after a `="`. Exact because an escaped value never holds `="` (each `"` in it follows a
   * backslash) and never starts with `"`: a shorter key would find that `="` inside the real value, a longer
   * one would need a `"` after a `=` (or first) inside its own escaped form. Cost: one compare per byte.
   */
  is(span: ArenaSpan, key: string): boolean {
    const size = escapedSize(key);
    let at = span.end - CLOSE.length - size;
    const bytes = this.#arena.bytes;
    if (size < 0 || at - 2 < span.at || bytes[at - 2] !== EQUALS || bytes[at - 1] !== QUOTE) return false;
    for (let i = 0; i < key.length; i++) {
      let unit = key.charCodeAt(i);
      if (unit < 0x80) {
        if (unit === BACKSLASH || unit === QUOTE || unit === NEWLINE) {
          if (bytes[at++] !== BACKSLASH) return false;
          if (unit === NEWLINE) unit = LETTER_N;
        }
        if (bytes[at++] !== unit) return false;
      } else if (unit < 0x800) {
        if (bytes[at++] !== (0xc0 | (unit >>> 6)) || bytes[at++] !== (0x80 | (unit & 0x3f))) return false;
      } else if (unit >= 0xd800 && unit <= 0xdbff) {
        const point = 0x10000 + ((unit - 0xd800) << 10) + (key.charCodeAt(++i) - 0xdc00);
        if (bytes[at++] !== (0xf0 | (point >>> 18)) || bytes[at++] !== (0x80 | ((point >>> 12) & 0x3f))) return false;
        if (bytes[at++] !== (0x80 | ((point >>> 6) & 0x3f)) || bytes[at++] !== (0x80 | (point & 0x3f))) return false;
      } else if (bytes[at++] !== (0xe0 | (unit >>> 12)) || bytes[at++] !== (0x80 | ((unit >>> 6) & 0x3f)) || bytes[at++] !== (0x80 | (unit & 0x3f))) {
        return false;
      }
    }
    return true;
  }

  /** The last label value in `span`'s label set, unescaped. Allocates: creation and export only. */
  keyOf(span: ArenaSpan): string {
    const bytes = this.#arena.bytes;
    const end = span.end - CLOSE.length;
    let start = end;
    while (!(bytes[start - 1] === QUOTE && bytes[start - 2] === EQUALS)) start--;
    return bytes.toString('utf8', start, end).replace(ESCAPED, (_, char: string) => (char === 'n' ? '\n' : char));
  }
}

/** Bytes of `key` escaped and in UTF-8; -1 when it holds a lone surrogate (no stored value can equal it). */
function escapedSize(key: string): number {
  let size = 0;
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    if (unit < 0x80) size += unit === BACKSLASH || unit === QUOTE || unit === NEWLINE ? 2 : 1;
    else if (unit < 0x800) size += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = key.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return -1;
      size += 4;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return -1;
    else size += 3;
  }
  return size;
}

/** Short fixed parts: a byte loop beats Buffer#copy's native call at this size. */
function copy(source: Buffer, target: Buffer, at: number): number {
  for (let i = 0; i < source.length; i++) target[at++] = source[i]!;
  return at;
}


// The levels of a family's label trie (label value -> next level; the last label's level -> child). A level
// with one key is compact: above the last label a Single (~40 B), at the last label the child itself (0 B),
// whose last label value is read from its rendered label set. A second key turns either into a Map. Lookup
// per level: one Map get, one string compare, or (a lone child) one compare of the key with its label bytes.

/** How the trie reads a child's value of the family's last label (from its rendered label set). */
export interface LeafKeys<C> {
  /** Whether `key` is the child's last label value. No allocation. */
  is(leaf: C, key: string): boolean;
  /** The child's last label value; allocates (creation and export only). */
  keyOf(leaf: C): string;
}

/**
 * A trie level above the last label that holds one key. Under a label whose values are unique per series (a
 * route, an id) every level below it has one key: a Map costs ~190 B there, this ~40 B.
 */
export class Single<C> {
  constructor(
    readonly key: string,
    public next: Trie<C> | C,
  ) {}
}

/** A level: a Map, a Single, or (at the last label only) a child standing for its own one-key level. */
export type Trie<C> = Map<string, Trie<C> | C> | Single<C>;

/** The entry for `key` in a level above the last label. Cost: one Map lookup, or one string compare. */
export function step<C>(node: Trie<C>, key: string): Trie<C> | C | undefined {
  // `instanceof Map` matches on the first prototype a Map has; a Single fails it after two.
  return node instanceof Map ? node.get(key) : node.key === key ? node.next : undefined;
}

/** The child for `key` in the last label's level (a Map, or a child that is its own level). */
export function leafStep<C>(node: Trie<C> | C, key: string, leaves: LeafKeys<C>): C | undefined {
  return node instanceof Map ? (node.get(key) as C | undefined) : leaves.is(node as C, key) ? (node as C) : undefined;
}

/** Sets `key` in a trie level: a Map entry, or a Single's next when the key is its own. */
export function replace<C>(node: Trie<C>, key: string, value: Trie<C> | C): void {
  if (node instanceof Map) node.set(key, value);
  else node.next = value;
}

/**
 * Puts `leaf` at `keys` (one key per level) unless a child is there already, which is returned instead. Allocates what the new path needs: nothing where a Map takes the key, a Single per new
 * level above the last label, one Map where a one-key level gains its second key.
 */
export function insert<C>(root: Map<string, Trie<C> | C>, keys: readonly string[], leaf: C, leaves: LeafKeys<C>): C {
  const last = keys.length - 1;
  let parent: Trie<C> = root;
  let node = root.get(keys[0]!);
  let i = 1;
  // node is parent's entry for keys[i - 1]: the level that holds keys[i].
  for (; i <= last && node !== undefined; i++) {
    let level = node as Trie<C> | C;
    const next = i === last ? leafStep(level, keys[i]!, leaves) : step(level as Trie<C>, keys[i]!);
    if (next === undefined && !(level instanceof Map)) {
      // A one-key level gains a second key: it becomes a Map holding the key it had.
      const map: Map<string, Trie<C> | C> = new Map();
      if (level instanceof Single) map.set(level.key, level.next);
      else map.set(leaves.keyOf(level as C), level);
      replace(parent, keys[i - 1]!, map);
      level = map;
    }
    parent = level as Trie<C>;
    node = next;
  }
  if (node !== undefined) return node as C;
  // Below parent, a Single per remaining level above the last label, then the child as its own level.
  let tail: Trie<C> | C = leaf;
  for (let j = last - 1; j >= i; j--) tail = new Single(keys[j]!, tail);
  replace(parent, keys[i - 1]!, tail);
  return leaf;
}

/**
 * Removes the leaf at `keys` (one key per level) and returns it; undefined when there is none. A level left
 * empty (a Single, or a child standing for its own level, always is) leaves its parent too; the root stays. O(depth).
 */
export function deletePath<C>(root: Map<string, Trie<C> | C>, keys: readonly string[], leaves: LeafKeys<C>): C | undefined {
  const last = keys.length - 1;
  const path: Array<Trie<C> | C> = [root];
  for (let i = 0; i < last; i++) {
    const next = step(path[i] as Trie<C>, keys[i]!);
    if (next === undefined) return undefined;
    path.push(next);
  }
  const leaf = leafStep(path[last]!, keys[last]!, leaves);
  if (leaf === undefined) return undefined;
  for (let i = last; i >= 0; i--) {
    const node = path[i];
    if (node instanceof Map) {
      node.delete(keys[i]!);
      if (node.size > 0 || i === 0) break;
    }
  }
  return leaf;
}

/** Every leaf `depth` levels down with the keys leading to it; allocates, so scrape time only (cluster export). */
export function leafEntries<C>(root: Map<string, Trie<C> | C>, depth: number, leaves: LeafKeys<C>): Array<readonly [keys: readonly string[], leaf: C]> {
  const entries: Array<readonly [readonly string[], C]> = [];
  const walk = (node: Trie<C> | C, path: string[]): void => {
    if (path.length === depth - 1) {
      if (node instanceof Map) for (const [key, leaf] of node) entries.push([[...path, key], leaf as C]);
      else entries.push([[...path, leaves.keyOf(node as C)], node as C]);
      return;
    }
    for (const [key, next] of node instanceof Map ? node : [[(node as Single<C>).key, (node as Single<C>).next] as const]) walk(next, [...path, key]);
  };
  walk(root, []);
  return entries;
}

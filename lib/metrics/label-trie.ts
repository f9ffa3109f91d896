// The levels of a family's label trie (label value -> next level, the last level -> child). A level with one
// key is a Single (~40 B) rather than a Map (~190 B): under a label whose values are unique per series, every
// level below it has one key. Lookup per level: one Map get, or one string compare.

/**
 * A trie level that holds one key. Under a label whose values are unique per series (a route, an id) every
 * level below it has one key: a Map costs ~190 B there, this ~40 B. A second key turns it into a Map.
 */
export class Single<C> {
  constructor(
    readonly key: string,
    public next: Trie<C> | C,
  ) {}
}

export type Trie<C> = Map<string, Trie<C> | C> | Single<C>;

/** The entry for `key` in a trie level. Cost: one Map lookup, or one string compare. */
export function step<C>(node: Trie<C>, key: string): Trie<C> | C | undefined {
  // `instanceof Map` matches on the first prototype a Map has; a Single fails it after two.
  return node instanceof Map ? node.get(key) : node.key === key ? node.next : undefined;
}

export function isTrie<C>(node: Trie<C> | C | undefined): node is Trie<C> {
  return node instanceof Map || node instanceof Single;
}

/** Sets `key` in a trie level: a Map entry, or a Single's next when the key is its own. */
export function replace<C>(node: Trie<C>, key: string, value: Trie<C> | C): void {
  if (node instanceof Map) node.set(key, value);
  else node.next = value;
}

/**
 * Removes the leaf at `keys` (one key per level) and returns it; undefined when there is none. A level left
 * empty (a Single always is) leaves its parent too; the root stays. O(depth).
 */
export function deletePath<C>(root: Trie<C>, keys: readonly string[]): C | undefined {
  const path: Trie<C>[] = [root];
  for (let i = 0; i < keys.length - 1; i++) {
    const next = step(path[i]!, keys[i]!);
    if (!isTrie(next)) return undefined;
    path.push(next);
  }
  const leaf = step(path[path.length - 1]!, keys[keys.length - 1]!);
  if (leaf === undefined || isTrie(leaf)) return undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    if (node instanceof Map) {
      node.delete(keys[i]!);
      if (node.size > 0 || i === 0) break;
    }
  }
  return leaf;
}

/** Every leaf `depth` levels down with the keys leading to it; allocates, so scrape time only (cluster export). */
export function leafEntries<C>(root: Trie<C>, depth: number): Array<readonly [keys: readonly string[], leaf: C]> {
  const entries: Array<readonly [readonly string[], C]> = [];
  const walk = (node: Trie<C>, path: string[]): void => {
    for (const [key, next] of node instanceof Map ? node : [[node.key, node.next] as const]) {
      if (path.length + 1 === depth) entries.push([[...path, key], next as C]);
      else walk(next as Trie<C>, [...path, key]);
    }
  };
  walk(root, []);
  return entries;
}

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

/** A level's entries, for walks at scrape time (cluster state export); never on a hot path. */
export function levelEntries<C>(node: Trie<C>): Iterable<readonly [string, Trie<C> | C]> {
  return node instanceof Map ? node : [[node.key, node.next]];
}

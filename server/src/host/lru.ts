/**
 * Maps used as least-recently-used caches: a Map iterates in insertion order, so re-inserting an entry on use
 * keeps the least recently used entries first, where trimming takes them from.
 */

/** Marks `key` (holding `value`) as the most recently used entry of `m`. */
export function touch<K, V>(m: Map<K, V>, key: K, value: V): void {
  m.delete(key);
  m.set(key, value);
}

/** Drops the least recently used entries that may go (all, by default) until `m` holds at most `max`. */
export function trim<K, V>(m: Map<K, V>, max: number, mayGo: (value: V) => boolean = () => true): void {
  if (m.size <= max) return;
  for (const [k, v] of m) {
    if (m.size <= max) break;
    if (mayGo(v)) m.delete(k);
  }
}

/** Sets `key` as the most recently used entry of `m` and keeps `m` to at most `max` entries. */
export function setBounded<K, V>(m: Map<K, V>, key: K, value: V, max: number): void {
  touch(m, key, value);
  trim(m, max);
}

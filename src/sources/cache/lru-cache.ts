/**
 * An in-process LRU bounded by bytes (the caller states each entry's size), with a per-entry expiry. A Map
 * keeps insertion order, so re-inserting on access makes its first key the least recently used.
 */

interface Entry<V> {
  value: V;
  bytes: number;
  expiresAt: number;
}

export interface ByteLru<V> {
  /** The live value, or undefined when absent or expired (an expired entry is dropped). */
  get(key: string): V | undefined;
  /** Stores the value unless `bytes` exceeds the whole budget; evicts least recently used entries to fit. */
  set(key: string, value: V, bytes: number, ttlMs: number): void;
  delete(key: string): boolean;
  /** Drops every entry whose key starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): number;
  clear(): void;
  readonly size: number;
  readonly bytes: number;
}

/** @param maxBytes total budget; entries larger than it are never stored. */
export function createByteLru<V>(maxBytes: number, now: () => number = Date.now): ByteLru<V> {
  const entries = new Map<string, Entry<V>>();
  let used = 0;

  const drop = (key: string, entry: Entry<V>) => {
    entries.delete(key);
    used -= entry.bytes;
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        drop(key, entry);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, bytes, ttlMs) {
      const previous = entries.get(key);
      if (previous) drop(key, previous);
      if (bytes > maxBytes || ttlMs <= 0) return;
      while (used + bytes > maxBytes) {
        const [oldestKey, oldest] = entries.entries().next().value as [string, Entry<V>];
        drop(oldestKey, oldest);
      }
      entries.set(key, { value, bytes, expiresAt: now() + ttlMs });
      used += bytes;
    },
    delete(key) {
      const entry = entries.get(key);
      if (!entry) return false;
      drop(key, entry);
      return true;
    },
    deletePrefix(prefix) {
      let n = 0;
      for (const [key, entry] of entries) {
        if (key.startsWith(prefix)) {
          drop(key, entry);
          n++;
        }
      }
      return n;
    },
    clear() {
      entries.clear();
      used = 0;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return used;
    },
  };
}

/**
 * The read-through query cache (DESIGN.md decision 3). A key names the table (as a Redis Cluster hash tag), the
 * snapshot version and a SHA-256 of the normalised operation (its SQL, or for row scans the normalised request,
 * so a hit needs no SQL built), so entries never go stale: a new commit means new keys, and old ones expire by
 * TTL. Tiers: an in-process LRU bounded by bytes holding decoded, frozen values (a hit neither parses nor
 * copies: every reader shares one immutable value), then Redis when configured.
 * Identical concurrent misses are computed once per process (single flight) and once across replicas (a short
 * `SET NX PX` lock, refreshed while the holder computes; waiters poll for the value). A failing Redis is a miss
 * plus a rate-limited warning, never an error.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.ts';
import { GATEWAY_VERSION } from '../../version.ts';
import { decodeSizedValue, deepFreeze, encodeValue, fromTaggedJson, toTaggedJson } from './cache-codec.ts';
import { createByteLru } from './lru-cache.ts';
import { escapeGlob } from '../redis/redis-client.ts';
import type { RedisTier } from './redis-tier.ts';
import { createSingleFlight } from './single-flight.ts';

export type CacheStatus = 'hit' | 'miss' | 'coalesced' | 'bypass';
export type CacheKind = 'rows' | 'analytics' | 'records';

export interface CacheOptions {
  logger: Logger;
  /** Shared tier; absent means the in-process LRU alone. */
  redis?: RedisTier;
  /** Prefix of every key, e.g. `dg:`. */
  keyPrefix: string;
  /** Entry lifetime per kind (ms). */
  ttlMs: Readonly<Record<CacheKind, number>>;
  /** Byte budget of the in-process tier. */
  localMaxBytes: number;
  /** With Redis: how long an entry stays in the in-process tier (bounded by its TTL). */
  localTtlMs: number;
  /** JSON text of at least this many bytes is compressed; 0 never compresses. */
  compressMinBytes: number;
  /** Values larger than this (after compression) are not cached. */
  maxValueBytes: number;
  /** Lifetime of the cross-replica compute lock; a dead holder blocks others at most this long. */
  lockTtlMs: number;
  /** How long a waiter polls for another replica's result before computing itself. */
  maxWaitMs: number;
}

export interface GetOptions {
  ttlMs?: number;
  /** Skip the cache: compute, neither read nor write (status `bypass`). */
  noCache?: boolean;
}

export interface CacheStats {
  hits: number;
  localHits: number;
  redisHits: number;
  misses: number;
  coalesced: number;
  bypassed: number;
  /** Redis failures and timeouts (each answered from DuckDB). */
  errors: number;
  /** Values not cached because they exceeded maxValueBytes. */
  oversize: number;
  bytesWritten: number;
  /** JSON bytes of the compressed values / their compressed bytes (1 when nothing was compressed). */
  compressionRatio: number;
  localEntries: number;
  localBytes: number;
}

export interface QueryCache {
  /**
   * `<prefix>q:{<table>}:v<version>:<sha256 of the request>`: `request` is a normalised request that must name
   * everything the answer depends on besides the table's data at that version; its tagged JSON is hashed with the
   * gateway version, so a new release, whose SQL may differ, never reads an older release's entries.
   */
  requestKeyFor(table: string, version: number, request: unknown): string;
  /** Values come back frozen when read from the cache (shared by every reader): never mutate them. */
  getOrCompute<T>(key: string, compute: () => Promise<T>, opts?: GetOptions): Promise<{ value: T; status: CacheStatus }>;
  ttlFor(kind: CacheKind): number;
  /** Removes the table's query entries from Redis (every master) and this process; returns keys removed. */
  purge(table: string): Promise<number>;
  stats(): CacheStats;
  /** Resolves when background writes have finished (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Marker a lock holder leaves when its result could not be cached: waiters then compute themselves. */
const UNCACHED = '!uncached';
/** Hashed ahead of a request's JSON: the gateway version, so a release never reads another release's entries. */
const REQUEST_KEY_SCHEME = `\u0001request\u0000${GATEWAY_VERSION}\u0000`;
const WARN_INTERVAL_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Hash tag of a table: braces inside the name would cut the tag short, so they are replaced. */
export function tableTag(table: string): string {
  return `{${table.replace(/[{}]/g, '_')}}`;
}

/** The prefix of every cached answer about `table` (what a purge deletes): `<prefix>q:{table}:`. */
export function tableKeyPrefix(keyPrefix: string, table: string): string {
  return `${keyPrefix}q:${tableTag(table)}:`;
}

export function createQueryCache(opts: CacheOptions): QueryCache {
  const local = createByteLru<unknown>(opts.localMaxBytes);
  const flights = createSingleFlight();
  const pending = new Set<Promise<void>>();
  const counters = { hits: 0, localHits: 0, redisHits: 0, misses: 0, coalesced: 0, bypassed: 0, errors: 0, oversize: 0, bytesWritten: 0, rawCompressed: 0, packedCompressed: 0 };
  const redis = opts.redis;
  let lastWarn = 0;

  function warn(err: unknown, what: string) {
    counters.errors++;
    const now = Date.now();
    if (now - lastWarn < WARN_INTERVAL_MS) return;
    lastWarn = now;
    opts.logger.warn({ err: (err as Error)?.message ?? String(err) }, `redis cache ${what} failed; answering from DuckDB`);
  }

  function localTtl(ttlMs: number) {
    return redis ? Math.min(ttlMs, opts.localTtlMs) : ttlMs;
  }

  /** Encodes and stores a computed value; returns false when it was too large to cache. */
  async function store(key: string, value: unknown, ttlMs: number): Promise<boolean> {
    const encoded = await encodeValue(value, redis ? opts.compressMinBytes : 0);
    if (encoded.bytes.length > opts.maxValueBytes) {
      counters.oversize++;
      return false;
    }
    // The in-process tier keeps what a Redis hit would give (the decoded text), not the computed value itself:
    // one representation for every hit, frozen so sharing it across requests is safe.
    local.set(key, deepFreeze(fromTaggedJson(encoded.text)), encoded.rawBytes, localTtl(ttlMs));
    if (!redis) return true;
    if (encoded.compressed) {
      counters.rawCompressed += encoded.rawBytes;
      counters.packedCompressed += encoded.bytes.length;
    }
    await redis.set(key, encoded.bytes, ttlMs);
    counters.bytesWritten += encoded.bytes.length;
    return true;
  }

  function background(task: Promise<unknown>) {
    const p = task.then(() => undefined, (e) => warn(e, 'write'));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  /** Computes as the cross-replica lock holder: keeps the lock alive, stores, then releases it. */
  async function computeLocked<T>(key: string, lockKey: string, token: string, compute: () => Promise<T>, ttlMs: number): Promise<T> {
    const timer = setInterval(() => {
      redis!.refreshLock(lockKey, token, opts.lockTtlMs).catch((e) => warn(e, 'lock refresh'));
    }, Math.max(50, Math.floor(opts.lockTtlMs / 3)));
    let value: T;
    try {
      value = await compute();
    } catch (e) {
      clearInterval(timer);
      background(redis!.releaseLock(lockKey, token));
      throw e;
    }
    clearInterval(timer);
    // The caller has its answer now; storing and unlocking finish in the background.
    background((async () => {
      let cached = false;
      try {
        cached = await store(key, value, ttlMs);
      } finally {
        await redis!.releaseLock(lockKey, token, cached ? '' : UNCACHED, opts.lockTtlMs);
      }
    })());
    return value;
  }

  /** The leader's path through Redis: value, else lock and compute, else wait for the holder. */
  async function throughRedis<T>(key: string, compute: () => Promise<T>, ttlMs: number): Promise<{ value: T; status: CacheStatus }> {
    const lockKey = `${key}:lock`;
    const token = randomUUID();
    const deadline = Date.now() + opts.maxWaitMs;
    let delay = 5;
    let waited = false;
    for (;;) {
      let found: Buffer | null;
      let lock: string | null;
      try {
        [found, lock] = await redis!.getWithLock(key, lockKey);
        if (found) {
          const decoded = await decodeSizedValue(found);
          const value = deepFreeze(decoded.value as T);
          local.set(key, value, decoded.rawBytes, localTtl(ttlMs));
          return { value, status: waited ? 'coalesced' : 'hit' };
        }
        if (lock === UNCACHED) return { value: await compute(), status: 'miss' };
        if (lock === null && (await redis!.tryLock(lockKey, token, opts.lockTtlMs))) {
          return { value: await computeLocked(key, lockKey, token, compute, ttlMs), status: 'miss' };
        }
      } catch (e) {
        warn(e, 'read');
        return { value: await compute(), status: 'miss' };
      }
      if (Date.now() > deadline) return { value: await compute(), status: 'miss' };
      waited = true;
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
  }

  async function lead<T>(key: string, compute: () => Promise<T>, ttlMs: number): Promise<{ value: T; status: CacheStatus }> {
    if (redis) return throughRedis(key, compute, ttlMs);
    const value = await compute();
    background(store(key, value, ttlMs));
    return { value, status: 'miss' };
  }

  function count(status: CacheStatus, fromLocal = false) {
    if (status === 'hit') {
      counters.hits++;
      if (fromLocal) counters.localHits++;
      else counters.redisHits++;
    } else if (status === 'miss') counters.misses++;
    else if (status === 'coalesced') counters.coalesced++;
    else counters.bypassed++;
  }

  return {
    requestKeyFor(table, version, request) {
      const digest = createHash('sha256').update(REQUEST_KEY_SCHEME).update(toTaggedJson(request)).digest('hex');
      return `${tableKeyPrefix(opts.keyPrefix, table)}v${version}:${digest}`;
    },
    async getOrCompute<T>(key: string, compute: () => Promise<T>, getOpts: GetOptions = {}) {
      if (getOpts.noCache) {
        count('bypass');
        return { value: await compute(), status: 'bypass' as const };
      }
      const cached = local.get(key);
      if (cached !== undefined) {
        count('hit', true);
        return { value: cached as T, status: 'hit' as const };
      }
      const ttlMs = getOpts.ttlMs ?? opts.ttlMs.rows;
      const flight = flights.run(key, () => lead(key, compute, ttlMs));
      const result = await flight.promise;
      const status: CacheStatus = flight.leader ? result.status : 'coalesced';
      count(status);
      return { value: result.value, status };
    },
    ttlFor: (kind) => opts.ttlMs[kind],
    async purge(table) {
      const prefix = tableKeyPrefix(opts.keyPrefix, table);
      const removedLocal = local.deletePrefix(prefix);
      if (!redis) return removedLocal;
      return redis.purge(`${escapeGlob(prefix)}*`);
    },
    stats() {
      const { rawCompressed, packedCompressed, ...rest } = counters;
      return { ...rest, compressionRatio: packedCompressed > 0 ? rawCompressed / packedCompressed : 1, localEntries: local.size, localBytes: local.bytes };
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      await Promise.race([this.idle(), sleep(2000)]);
      local.clear();
      await redis?.close();
    },
  };
}


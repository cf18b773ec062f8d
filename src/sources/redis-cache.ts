/**
 * The Redis side of the query cache: one ioredis client (standalone or Cluster) that never queues commands
 * while disconnected and gives up after a tight timeout, so a slow or dead Redis costs a query little; plus
 * the few operations the cache needs (get, set with expiry, a short lock with an owner token, and purge by
 * pattern on every master). Every method may throw; the cache turns failures into misses.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisConnection {
  /** redis:// URL of a standalone server (ignored when `clusterNodes` is given). */
  url?: string;
  /** host:port seeds of a Redis Cluster. */
  clusterNodes?: readonly string[];
  /** Per-command timeout in ms. */
  commandTimeoutMs: number;
}

/** Opens a client that reconnects by itself and fails commands at once while offline. */
export function createRedisClient(conn: RedisConnection, extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: conn.commandTimeoutMs,
    connectTimeout: Math.max(conn.commandTimeoutMs, 1000),
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...extra,
  };
  let client: RedisClient;
  if (conn.clusterNodes && conn.clusterNodes.length > 0) {
    client = new Cluster(
      conn.clusterNodes.map((n) => {
        const [host, port] = n.split(':');
        return { host: host!, port: Number(port) };
      }),
      { enableOfflineQueue: false, redisOptions: options, clusterRetryStrategy: (times) => Math.min(100 * times, 2000), slotsRefreshTimeout: 2000 },
    );
  } else if (conn.url) {
    client = new Redis(conn.url, options);
  } else {
    throw new Error('createRedisClient needs a url or cluster nodes');
  }
  client.on('error', () => {
    /* failures surface on the commands; an unhandled 'error' event would crash the process */
  });
  return client;
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

// KEYS[1] lock; ARGV[1] owner token, ARGV[2] ms. Extends the lock only while we still own it.
const REFRESH_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
// KEYS[1] lock; ARGV[1] token, ARGV[2] marker ('' deletes), ARGV[3] marker ms. Releases only our own lock.
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('del', KEYS[1]) end
redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1`;

export interface RedisTier {
  readonly client: RedisClient;
  /** The value and the lock in one round trip (both keys share the table's hash slot). */
  getWithLock(key: string, lockKey: string): Promise<[Buffer | null, string | null]>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  /** SET lockKey token NX PX ms; true when taken. */
  tryLock(lockKey: string, token: string, ms: number): Promise<boolean>;
  refreshLock(lockKey: string, token: string, ms: number): Promise<void>;
  /** Deletes our lock, or replaces it with `marker` for `markerMs` (tells waiters to compute themselves). */
  releaseLock(lockKey: string, token: string, marker?: string, markerMs?: number): Promise<void>;
  /** Deletes every key matching the glob `pattern` on every master; returns how many were removed. */
  purge(pattern: string): Promise<number>;
  close(): Promise<void>;
}

export function createRedisTier(client: RedisClient): RedisTier {
  return {
    client,
    async getWithLock(key, lockKey) {
      const [value, lock] = await client.mgetBuffer(key, lockKey);
      return [value ?? null, lock ? lock.toString() : null];
    },
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async tryLock(lockKey, token, ms) {
      return (await client.set(lockKey, token, 'PX', ms, 'NX')) === 'OK';
    },
    async refreshLock(lockKey, token, ms) {
      await client.eval(REFRESH_LOCK, 1, lockKey, token, String(ms));
    },
    async releaseLock(lockKey, token, marker = '', markerMs = 1) {
      await client.eval(RELEASE_LOCK, 1, lockKey, token, marker, String(markerMs));
    },
    purge: (pattern) => purgeKeys(client, pattern),
    async close() {
      client.disconnect();
    },
  };
}

/** SCAN + UNLINK in batches on each master (a Cluster scans node by node). */
export async function purgeKeys(client: RedisClient, pattern: string): Promise<number> {
  const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  let removed = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      // One UNLINK per key keeps Cluster happy whatever slots the batch spans.
      if (keys.length > 0) {
        const results = await node.pipeline(keys.map((k) => ['unlink', k])).exec();
        removed += (results ?? []).reduce((n, [err, r]) => n + (err ? 0 : Number(r)), 0);
      }
    } while (cursor !== '0');
  }
  return removed;
}

/** Escapes glob metacharacters so a table name matches only itself in SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

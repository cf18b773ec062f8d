/**
 * The gateway's Redis client (standalone or Cluster), shared by the query cache and the record store: it never
 * queues commands while disconnected and gives up after a tight timeout, so a slow or dead Redis costs a query
 * little. Plus purge by pattern on every master. Every command may throw; callers turn failures into misses.
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

/**
 * Builds the query cache and the bulk-loaded record store from the configuration: one Redis client (Cluster
 * when REDIS_CLUSTER_NODES is set, else REDIS_URL) shared by both, or the in-process LRU alone without Redis.
 * CACHE_ENABLED=false leaves the cache out (records still read Redis).
 */
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import type { Closeable } from '../lifecycle.ts';
import { createQueryCache, type QueryCache } from './query-cache.ts';
import { createRedisClient, type RedisClient } from '../redis/redis-client.ts';
import { createRedisTier } from './redis-tier.ts';
import { createRecordStore, type RecordStore } from '../records/record-store.ts';

export interface CacheServices extends Closeable {
  cache: QueryCache | undefined;
  records: RecordStore | undefined;
  client: RedisClient | undefined;
}

export function createCacheServices(config: Config, logger: Logger): CacheServices {
  const redisConfig = config.redisCluster ?? config.redis;
  const client = redisConfig
    ? createRedisClient({ url: config.redis?.url, clusterNodes: config.redisCluster?.nodes, commandTimeoutMs: config.cache.redisTimeoutMs })
    : undefined;
  const keyPrefix = config.redisKeyPrefix;
  const c = config.cache;
  const cache = c.enabled
    ? createQueryCache({
        logger,
        redis: client ? createRedisTier(client) : undefined,
        keyPrefix,
        ttlMs: c.ttlMs,
        localMaxBytes: c.localMaxBytes,
        localTtlMs: c.localTtlMs,
        compressMinBytes: c.compressMinBytes,
        maxValueBytes: c.maxValueBytes,
        lockTtlMs: c.lockTtlMs,
        maxWaitMs: Math.max(c.lockTtlMs, config.queryTimeoutMs),
      })
    : undefined;
  const records = client ? createRecordStore({ client, keyPrefix, logger, pointerTtlMs: config.catalogRefreshMs }) : undefined;
  return {
    cache,
    records,
    client,
    async close() {
      await records?.close();
      if (cache) await cache.close(); // closes the shared client through its Redis tier
      else client?.disconnect();
    },
  };
}

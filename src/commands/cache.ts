/**
 * `delta-gateway cache purge <table>`: deletes the table's query-cache entries from the configured Redis
 * (REDIS_URL or REDIS_CLUSTER_NODES, every master) and prints how many keys were removed. Gateways drop their
 * in-process copies within CACHE_LOCAL_TTL_MS. Bulk-loaded records (`warm`) are not touched.
 */
import { loadConfig } from '../config.ts';
import { createRedisClient, escapeGlob, purgeKeys, waitUntilReady } from '../sources/redis/redis-client.ts';
import { tableKeyPrefix } from '../sources/cache/query-cache.ts';
import { exitCodeFor, refuse } from './table-command.ts';

const USAGE = 'delta-gateway cache purge <table>';

export async function run(args: string[]): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  if (args[0] !== 'purge' || args.length !== 2) return refuse('BAD_USAGE', `usage: ${USAGE}`);
  const table = args[1]!;
  try {
    const config = loadConfig();
    if (!config.redis && !config.redisCluster) return refuse('BAD_USAGE', 'no REDIS_URL or REDIS_CLUSTER_NODES; an in-process cache is purged with the purgeCache mutation');
    const client = createRedisClient({ url: config.redis?.url, clusterNodes: config.redisCluster?.nodes, commandTimeoutMs: 10_000 });
    try {
      await waitUntilReady(client, 10_000);
      const prefix = tableKeyPrefix(config.redisKeyPrefix, table);
      const removed = await purgeKeys(client, `${escapeGlob(prefix)}*`);
      process.stdout.write(`${removed}\n`);
      return 0;
    } finally {
      client.disconnect();
    }
  } catch (e) {
    return exitCodeFor(e);
  }
}

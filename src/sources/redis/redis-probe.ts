/**
 * Readiness of the configured Redis (single node or Cluster): a PING on the client the cache and the record store
 * use, so /ready reports the connection that serves requests. That client never queues while disconnected and
 * times commands out quickly, so a down Redis fails the check at once; it reconnects in the background, so
 * readiness comes back by itself when Redis does.
 */
import { waitUntilReady, type RedisClient } from './redis-client.ts';
import type { ReadinessProbe } from '../lifecycle.ts';

export function createRedisProbe(client: RedisClient, timeoutMs: number): ReadinessProbe {
  return {
    name: 'redis',
    async check() {
      // Right after start (or during a reconnect) the client is not connected yet, and a PING would fail at once.
      if (client.status !== 'ready') await waitUntilReady(client, timeoutMs);
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
  };
}

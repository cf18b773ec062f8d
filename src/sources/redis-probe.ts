/** Readiness of the configured Redis: a PING on a dedicated connection that never queues while disconnected. */
import { Redis } from 'ioredis';
import type { Closeable, ReadinessProbe } from './lifecycle.ts';

export function createRedisProbe(url: string, timeoutMs: number): ReadinessProbe & Closeable {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Keep retrying in the background so readiness comes back by itself when Redis does.
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => {
    /* reported through check(); an unhandled 'error' event would crash the process */
  });
  return {
    name: 'redis',
    async check() {
      if (client.status === 'wait' || client.status === 'end') await client.connect().catch(() => undefined);
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${answer}`);
    },
    async close() {
      client.disconnect();
    },
  };
}

/**
 * /health, /ready and a GraphQL query through buildApp on a real HTTP server (port 0) with real Redis and
 * Kafka; /ready turns 503 and names `redis` once the Redis it points at is stopped.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateway } from '../support/gateway.ts';
import { startExtraRedis } from '../support/services.ts';

const cleanups: Array<() => Promise<unknown>> = [];
let lakeRoot: string;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-e2e-health-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  if (lakeRoot) await rm(lakeRoot, { recursive: true, force: true });
});

/** The test gateway with a 1.5 s readiness timeout and the default catalog refresh; returns its base URL. */
async function startHealthGateway(env: Record<string, string>): Promise<string> {
  const { url } = await startGateway({ LAKE_ROOT: lakeRoot, READINESS_TIMEOUT_MS: '1500', CATALOG_REFRESH_MS: '500', ...env }, { cleanups });
  return url;
}

describe('health and readiness (e2e)', () => {
  it('answers /health, /ready and a GraphQL query with the shared Redis and Kafka', async () => {
    const base = await startHealthGateway({ REDIS_URL: inject('redisUrl'), KAFKA_BROKERS: inject('kafkaBrokers').join(',') });

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checked: ['redis', 'kafka'] });

    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ about { name } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(await graphql.json()).toMatchObject({ data: { about: { name: 'delta-gateway' } } });
  });

  it('checks the Redis Cluster the cache uses', async () => {
    const base = await startHealthGateway({ REDIS_CLUSTER_NODES: inject('redisClusterNodes').join(',') });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checked: ['redis'] });
  });

  it('fails /ready with 503 naming redis once its Redis is stopped', async () => {
    const redis = await startExtraRedis();
    cleanups.push(() => redis.stop());
    const base = await startHealthGateway({ REDIS_URL: redis.url, KAFKA_BROKERS: inject('kafkaBrokers').join(',') });

    const before = await fetch(`${base}/ready`);
    expect(before.status).toBe(200);

    await redis.stop();
    const after = await fetch(`${base}/ready`);
    expect(after.status).toBe(503);
    const body = (await after.json()) as { ready: boolean; failing: string[] };
    expect(body).toEqual({ ready: false, failing: ['redis'] });

    // Liveness is not readiness: /health stays 200.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});

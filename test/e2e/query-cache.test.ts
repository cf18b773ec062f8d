/**
 * The query cache through buildApp on a real HTTP server (port 0) with the shared Redis: hit after miss, a new
 * commit gives a miss then a hit with the new rows, 50 concurrent identical queries run DuckDB once, two
 * gateways sharing Redis compute a miss once, `x-cache: bypass`, `purgeCache` behind ADMIN_ENABLED, and the
 * gateway keeps answering while its Redis is down, caching again once it is back.
 */
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { appendItems } from '../support/items-table.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { startExtraRedis, uniqueName, waitFor } from '../support/services.ts';

const cleanups: Array<() => Promise<unknown>> = [];
let lakeRoot: string;
let engine: DuckDbEngine;
/** DuckDB work of the gateway (every scan checks out one pooled connection), counted through a wrapper around the real engine. */
let queries = 0;
let counting: DuckDbEngine;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-e2e-cache-'));
  engine = await createDuckDbEngine();
  counting = { ...engine, withConnection: (fn) => (queries++, engine.withConnection(fn)), query: (sql, params, opts) => (queries++, engine.query(sql, params, opts)) };
  await appendItems(engine, lakeRoot, 'items', 0, 500);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await engine?.close();
  if (lakeRoot) await rm(lakeRoot, { recursive: true, force: true });
});

/** The test gateway on the counting engine, with the default 10 s shutdown timeout. */
function startCacheGateway(env: Record<string, string>): Promise<TestGateway> {
  return startGateway({ LAKE_ROOT: lakeRoot, SHUTDOWN_TIMEOUT_MS: '10000', ...env }, { engine: counting, cleanups });
}

const TOP = '{ items(first: 3, orderBy: [{ field: id, direction: DESC }]) { edges { node { id name price ts } } } }';
const topIds = (r: { data?: Record<string, unknown> }) => (r.data!.items as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);

describe('query cache (e2e)', () => {
  it('answers a repeated query from the cache, and a new commit with new keys', async () => {
    const prefix = `${uniqueName('qc')}:`;
    const gw = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix, CACHE_LOCAL_TTL_MS: '1' });
    cleanups.push(() => gw.app.services.cache!.purge('items'));
    const first = await gw.gql(TOP);
    expect(first.errors).toBeUndefined();
    expect(first.extensions?.delta?.cache).toMatchObject({ status: 'miss', misses: 1 });
    await gw.app.services.cache!.idle();
    const second = await gw.gql(TOP);
    expect(second.extensions?.delta?.cache).toMatchObject({ status: 'hit', hits: 1 });
    expect(second.data).toEqual(first.data);
    expect(topIds(second)).toEqual(['499', '498', '497']);
    // A hit does not plan again: it reports the figures of the scan its answer came from.
    expect(first.extensions?.delta?.scan?.filesTotal).toBeGreaterThan(0);
    expect(second.extensions?.delta?.scan).toEqual(first.extensions?.delta?.scan);

    const [version] = [await appendItems(engine, lakeRoot, 'items', 500, 510)];
    cleanups.push(async () => undefined);
    await new Promise((r) => setTimeout(r, 60)); // past CATALOG_REFRESH_MS: "latest" sees the commit
    const third = await gw.gql(TOP);
    expect(third.extensions?.delta?.cache?.status).toBe('miss');
    expect(topIds(third)).toEqual(['509', '508', '507']);
    expect((third.extensions?.delta as { tables: Record<string, number> }).tables.items).toBe(version);
    await gw.app.services.cache!.idle();
    const fourth = await gw.gql(TOP);
    expect(fourth.extensions?.delta?.cache?.status).toBe('hit');
    expect(fourth.data).toEqual(third.data);
    const stats = gw.app.services.cache!.stats();
    expect(stats.misses).toBe(2);
    expect(stats.redisHits).toBe(2); // local TTL 1 ms: both hits came from Redis
  });

  it('runs 50 concurrent identical queries on DuckDB once', async () => {
    const gw = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `${uniqueName('qc')}:` });
    const query = '{ items(first: 7, where: { qty: { gt: 5 } }) { edges { node { id qty } } } }';
    const before = queries;
    const replies = await Promise.all(Array.from({ length: 50 }, () => gw.gql(query)));
    expect(queries - before).toBe(1);
    expect(new Set(replies.map((r) => JSON.stringify(r.data))).size).toBe(1);
    const statuses = replies.map((r) => r.extensions!.delta!.cache!.status);
    expect(statuses.filter((s) => s === 'miss')).toHaveLength(1);
    expect(statuses.every((s) => ['miss', 'coalesced', 'hit'].includes(s))).toBe(true);
  });

  it('computes a miss once across two gateways sharing Redis', async () => {
    const prefix = `${uniqueName('qc')}:`;
    const a = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    const b = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    const query = '{ items(first: 4, where: { qty: { lt: 3 } }) { edges { node { id } } } }';
    const before = queries;
    const replies = await Promise.all([...Array.from({ length: 10 }, () => a.gql(query)), ...Array.from({ length: 10 }, () => b.gql(query))]);
    expect(queries - before).toBe(1);
    expect(new Set(replies.map((r) => JSON.stringify(r.data))).size).toBe(1);
    expect(a.app.services.cache!.stats().misses + b.app.services.cache!.stats().misses).toBe(1);
    await a.app.services.cache!.purge('items');
  });

  it('skips the cache with x-cache: bypass and purges with purgeCache when admin is enabled', async () => {
    const prefix = `${uniqueName('qc')}:`;
    const gw = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix, ADMIN_ENABLED: 'true' });
    const bypass = await gw.gql(TOP, undefined, { 'x-cache': 'bypass' });
    expect(bypass.extensions?.delta?.cache).toMatchObject({ status: 'bypass' });
    await gw.gql(TOP);
    await gw.gql('{ items(first: 2) { edges { node { id } } } }');
    await gw.app.services.cache!.idle();
    const purged = await gw.gql('mutation { purgeCache(table: "items") }');
    expect(purged.data).toEqual({ purgeCache: 2 });
    expect((await gw.gql(TOP)).extensions?.delta?.cache?.status).toBe('miss');
    await gw.app.services.cache!.purge('items');

    const locked = await startCacheGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    const refused = await locked.gql('mutation { purgeCache(table: "items") }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('serves in process without Redis', async () => {
    const gw = await startCacheGateway({});
    expect((await gw.gql(TOP)).extensions?.delta?.cache?.status).toBe('miss');
    expect((await gw.gql(TOP)).extensions?.delta?.cache?.status).toBe('hit');
  });

  it('starts and answers when Redis is unreachable at start', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const started = Date.now();
    const gw = await startCacheGateway({ REDIS_URL: `redis://127.0.0.1:${port}`, READINESS_TIMEOUT_MS: '300' });
    expect(Date.now() - started).toBeLessThan(10_000); // waited for Redis at most about the readiness timeout
    const reply = await gw.gql(TOP);
    expect(reply.errors).toBeUndefined();
    const ids = topIds(reply).map(Number); // 499 down, or 509 down after the first test's append
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBeGreaterThanOrEqual(499);
    expect(ids).toEqual([ids[0], ids[0]! - 1, ids[0]! - 2]);
    expect(reply.extensions?.delta?.cache?.status).toBe('miss');
  });

  it('answers while Redis is down and caches again once it is back', async () => {
    const redis = await startExtraRedis();
    cleanups.push(() => redis.stop());
    const gw = await startCacheGateway({ REDIS_URL: redis.url, CACHE_LOCAL_TTL_MS: '1' });
    await waitFor(async () => (await gw.gql(TOP)).extensions?.delta?.cache?.status === 'miss' && gw.app.services.cache!.stats().errors === 0, { what: 'a first miss' });
    await gw.app.services.cache!.idle();
    expect((await gw.gql(TOP)).extensions?.delta?.cache?.status).toBe('hit');
    const expected = (await gw.gql(TOP)).data;

    await redis.stop();
    for (let i = 0; i < 3; i++) {
      const reply = await gw.gql('{ items(first: 5, where: { qty: { gt: 50 } }) { edges { node { id qty } } } }');
      expect(reply.errors).toBeUndefined();
      expect(reply.extensions?.delta?.cache?.status).toBe('miss');
    }
    const down = await gw.gql(TOP);
    expect(down.errors).toBeUndefined();
    expect(down.data).toEqual(expected);
    expect(gw.app.services.cache!.stats().errors).toBeGreaterThan(0);

    const again = await startExtraRedis({ port: redis.port });
    cleanups.push(() => again.stop());
    await waitFor(async () => {
      await gw.gql(TOP);
      await gw.app.services.cache!.idle();
      return (await gw.gql(TOP)).extensions?.delta?.cache?.status === 'hit';
    }, { timeoutMs: 15_000, what: 'caching to resume' });
  });
});

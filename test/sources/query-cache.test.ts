/**
 * The cache's parts: the value codec (bigint, Date, bytes, NaN, -0 survive), the byte-bounded LRU, single
 * flight, the record layout's bucket hash and DuckDB-side row encoding matching their JS twins, and the
 * cross-replica lock against real Redis (standalone and Cluster), including a dead lock holder.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createLogger } from '../../src/logger.ts';
import { decodeValue, encodeValue } from '../../src/sources/cache/cache-codec.ts';
import { toJsonValue } from '../../src/sources/duckdb/duckdb-json.ts';
import { createByteLru } from '../../src/sources/cache/lru-cache.ts';
import { createQueryCache, type CacheOptions } from '../../src/sources/cache/query-cache.ts';
import { createRedisClient, purgeKeys, waitUntilReady, type RedisClient } from '../../src/sources/redis/redis-client.ts';
import { createRedisTier } from '../../src/sources/cache/redis-tier.ts';
import { bucketOf, bucketSql } from '../../src/sources/records/record-layout.ts';
import { rowJsonSql } from '../../src/sources/records/record-encoding.ts';
import { createSingleFlight } from '../../src/sources/cache/single-flight.ts';
import { uniqueName } from '../support/services.ts';

let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => duck?.closeSync());

function cacheOptions(extra: Partial<CacheOptions>): CacheOptions {
  return {
    logger: createLogger('silent'), keyPrefix: `${uniqueName('qc')}:`, ttlMs: { rows: 60_000, analytics: 60_000, records: 60_000 },
    localMaxBytes: 1 << 20, localTtlMs: 1, compressMinBytes: 256, maxValueBytes: 1 << 20, lockTtlMs: 300, maxWaitMs: 5000, ...extra,
  };
}

describe('cache codec', () => {
  it('round-trips DuckDB-like values, compressed or not', async () => {
    const value = [{ id: 12345678901234567890n, at: new Date(1714521600123), raw: new Uint8Array([0, 1, 255]), nan: Number.NaN, inf: -Infinity, zero: -0, tricky: { $dg: ['b', '1'] }, nested: [{ a: 1n }], s: 'x'.repeat(500) }];
    for (const min of [0, 64]) {
      const encoded = await encodeValue(value, min);
      expect(encoded.compressed).toBe(min > 0);
      const decoded = (await decodeValue(encoded.bytes)) as typeof value;
      expect(decoded).toEqual(value);
      expect(Object.is(decoded[0]!.zero, -0)).toBe(true);
      expect(decoded[0]!.raw).toBeInstanceOf(Uint8Array);
    }
  });
});

describe('byte-bounded LRU and single flight', () => {
  it('evicts least recently used entries to stay within its byte budget', () => {
    const lru = createByteLru<string>(100);
    lru.set('a', 'A', 40, 1000);
    lru.set('b', 'B', 40, 1000);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40, 1000);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual(['A', undefined, 'C']);
    expect(lru.bytes).toBe(80);
    lru.set('huge', 'H', 101, 1000);
    expect(lru.get('huge')).toBeUndefined();
  });

  it('runs concurrent calls for one key once', async () => {
    const flights = createSingleFlight();
    let runs = 0;
    const calls = Array.from({ length: 10 }, () => flights.run('k', async () => (runs++, new Promise((r) => setTimeout(() => r(42), 20)))));
    expect(calls.filter((c) => c.leader)).toHaveLength(1);
    expect(await Promise.all(calls.map((c) => c.promise))).toEqual(Array(10).fill(42));
    expect(runs).toBe(1);
    expect(flights.inFlight).toBe(0);
  });
});

describe('in-process tier', () => {
  it('keeps one decoded, frozen value per entry, shared by every hit; request keys are exact', async () => {
    const cache = createQueryCache(cacheOptions({ localTtlMs: 60_000 }));
    const request = { columns: ['id', 'at'], orderBy: [['id', 'desc']], limit: 2, predicate: { op: 'gte', column: 'at', value: new Date(3) } };
    const key = cache.requestKeyFor('t', 1, request);
    expect(key).toBe(cache.requestKeyFor('t', 1, structuredClone(request)));
    expect(cache.requestKeyFor('t', 1, { ...request, limit: 3 })).not.toBe(key);
    expect(cache.requestKeyFor('t', 1, { ...request, predicate: { ...request.predicate, value: new Date(4) } })).not.toBe(key);
    expect(cache.requestKeyFor('t', 2, request)).not.toBe(key);
    const rows = [{ id: 1n, at: new Date(5), tags: ['a'] }];
    expect((await cache.getOrCompute(key, async () => rows)).status).toBe('miss');
    await cache.idle();
    const hit = await cache.getOrCompute(key, async () => []);
    expect(hit).toEqual({ value: rows, status: 'hit' });
    expect(hit.value).not.toBe(rows); // what a Redis hit would give, not the computed object
    expect((await cache.getOrCompute(key, async () => [])).value).toBe(hit.value);
    const [row] = hit.value as typeof rows;
    expect(Object.isFrozen(hit.value) && Object.isFrozen(row) && Object.isFrozen(row!.tags)).toBe(true);
    expect(row!.at.toISOString()).toBe(new Date(5).toISOString());
    expect(() => row!.at.setTime(0)).toThrow(TypeError);
    await cache.close();
  });
});

describe('record layout', () => {
  it('computes the same bucket in DuckDB and JS', async () => {
    const keys = ['0', '1', 'abc', 'ünïcode', '12345678901234567890', "it's"];
    const reader = await duck.runAndReadAll(`SELECT k, ${bucketSql('k', 1024)} AS b FROM (VALUES ${keys.map((k) => `('${k.replaceAll("'", "''")}')`).join(',')}) AS t(k)`);
    for (const [k, b] of reader.getRows()) expect(b).toBe(bucketOf(String(k), 1024));
  });

  it('encodes rows in DuckDB exactly as toJsonValue does', async () => {
    const select = `SELECT * FROM (VALUES
      ('a"b\\n', true, 7::TINYINT, 123456789012345::BIGINT, 170141183460469231731687303715884105727::HUGEINT, 0.1::FLOAT, 35.123456789012345::DOUBLE, 'nan'::DOUBLE,
       '-inf'::DOUBLE, 12.50::DECIMAL(10,2), DATE '2024-02-29', TIMESTAMP '2024-05-01 12:34:56.789012', TIMESTAMPTZ '2024-05-01 12:34:56.5+00', '\\xAA\\x00'::BLOB, NULL::INTEGER),
      ('', false, -1::TINYINT, -5::BIGINT, 0::HUGEINT, -0.0::FLOAT, 1e300::DOUBLE, 'inf'::DOUBLE, 0.0::DOUBLE, -0.01::DECIMAL(10,2), DATE '1970-01-01', TIMESTAMP '1969-12-31 23:59:59', TIMESTAMPTZ '2000-01-01 00:00:00+00', ''::BLOB, 3)
    ) AS t(s, b, ti, bi, hi, f, d, dn, di, dec, dt, ts, tz, bl, n)`;
    const described = (await duck.runAndReadAll(`DESCRIBE ${select}`)).getRowObjects();
    const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
    const sql = rowJsonSql(columns);
    expect(sql).toBeDefined();
    const encoded = (await duck.runAndReadAll(`SELECT ${sql} AS v FROM (${select}) AS s`)).getRows().map((r) => JSON.parse(String(r[0])));
    const expected = (await duck.runAndReadAll(select)).getRows().map((r) => r.map(toJsonValue));
    expect(JSON.stringify(encoded)).toEqual(JSON.stringify(expected));
    expect(rowJsonSql([{ name: 'm', type: 'MAP(VARCHAR, INTEGER)' }])).toBeUndefined(); // encoded in JS instead
  });
});

describe.each([
  ['standalone', () => createRedisClient({ url: inject('redisUrl'), commandTimeoutMs: 2000 })],
  ['cluster', () => createRedisClient({ clusterNodes: inject('redisClusterNodes'), commandTimeoutMs: 2000 })],
])('query cache over Redis (%s)', (_name, connect) => {
  let client: RedisClient;
  beforeAll(async () => {
    client = connect();
    await waitUntilReady(client, 10_000);
  });
  afterAll(() => client?.disconnect());

  it('charges the in-process tier the same bytes for a value computed here and one read compressed from Redis', async () => {
    const opts = cacheOptions({ redis: createRedisTier(client), localTtlMs: 60_000 });
    const [here, there] = [createQueryCache(opts), createQueryCache(opts)];
    const key = here.requestKeyFor('t3', 1, { sql: 'SELECT 3' });
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: BigInt(i), text: 'same text '.repeat(5) }));
    await here.getOrCompute(key, async () => rows);
    await here.idle();
    expect(await there.getOrCompute(key, async () => [])).toEqual({ value: rows, status: 'hit' });
    expect(here.stats().compressionRatio).toBeGreaterThan(3);
    expect(there.stats().localBytes).toBe(here.stats().localBytes);
    await here.purge('t3');
  });

  it('misses, then hits from Redis, compresses large values and purges by table', async () => {
    const opts = cacheOptions({ redis: createRedisTier(client) });
    const cache = createQueryCache(opts);
    const key = cache.requestKeyFor('t1', 3, { sql: 'SELECT 1', params: [1n] });
    expect(key).toMatch(new RegExp(`^${opts.keyPrefix}q:\\{t1\\}:v3:[0-9a-f]{64}$`));
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: BigInt(i), at: new Date(i), text: 'same text '.repeat(5) }));
    expect(await cache.getOrCompute(key, async () => rows)).toEqual({ value: rows, status: 'miss' });
    await cache.idle();
    await new Promise((r) => setTimeout(r, 5)); // past the 1 ms local TTL
    expect(await cache.getOrCompute(key, async () => [])).toEqual({ value: rows, status: 'hit' });
    const stats = cache.stats();
    expect(stats).toMatchObject({ misses: 1, hits: 1, redisHits: 1, errors: 0 });
    expect(stats.compressionRatio).toBeGreaterThan(3);
    expect(stats.bytesWritten).toBeGreaterThan(0);
    expect(await cache.purge('t1')).toBe(1);
    expect(await cache.purge('t1')).toBe(0);
  });

  it('lets one replica compute while others wait, and a dead lock holder blocks at most the lock expiry', async () => {
    const opts = cacheOptions({});
    const replicas = [1, 2, 3].map(() => createQueryCache({ ...opts, redis: createRedisTier(client) }));
    const key = replicas[0]!.requestKeyFor('t2', 0, { sql: 'SELECT 2' });
    let computed = 0;
    const compute = async () => (computed++, new Promise((r) => setTimeout(() => r(['v']), 100)));
    const results = await Promise.all(replicas.map((c) => c.getOrCompute(key, compute)));
    expect(computed).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual(['coalesced', 'coalesced', 'miss']);

    const deadKey = replicas[0]!.requestKeyFor('t2', 0, { sql: 'SELECT 3' });
    await client.set(`${deadKey}:lock`, 'dead-holder', 'PX', opts.lockTtlMs); // a replica that died holding the lock
    const started = Date.now();
    expect(await replicas[1]!.getOrCompute(deadKey, async () => ['late'])).toEqual({ value: ['late'], status: 'miss' });
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(opts.lockTtlMs - 50);
    expect(waited).toBeLessThan(opts.lockTtlMs + 500);
    for (const c of replicas) await c.idle();
    await purgeKeys(client, `${opts.keyPrefix}*`);
  });
});

/**
 * Bulk load into Redis (`warm`) against the shared Redis, a throwaway one and the local Redis Cluster: a 1M-row
 * table loads with every key readable as the exact row and flat loader memory, readers during a reload see the
 * old or the new version and never a mix, incremental loads apply only new files, duplicates are refused, and
 * Redis OOM fails the load cleanly with the pointer unchanged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { createLogger } from '../../src/logger.ts';
import { BulkLoadError, bulkLoad, type BulkLoadOptions } from '../../src/sources/records/bulk-loader.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { createRedisClient, purgeKeys, waitUntilReady, type RedisClient } from '../../src/sources/redis/redis-client.ts';
import { recordKeys } from '../../src/sources/records/record-layout.ts';
import { createRecordStore } from '../../src/sources/records/record-store.ts';
import { appendItems } from '../support/items-table.ts';
import { startExtraRedis, uniqueName } from '../support/services.ts';

const MILLION = 1_000_000;
const cleanups: Array<() => Promise<unknown>> = [];
let dir: string;
let engine: DuckDbEngine;
let redis: RedisClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dg-bulk-'));
  engine = await createDuckDbEngine({ memoryLimit: '256MB' });
  redis = createRedisClient({ url: inject('redisUrl'), commandTimeoutMs: 30_000 });
  await waitUntilReady(redis, 5000);
  await appendItems(engine, dir, 'big', 0, MILLION, 250_000);
  await appendItems(engine, dir, 'small', 0, 2000);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  redis?.disconnect();
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function options(table: string, client: RedisClient, prefix: string, extra: Partial<BulkLoadOptions> = {}): BulkLoadOptions {
  return { engine, storage: createLocalStorage(join(dir, table)), table, client, keyPrefix: prefix, keyColumn: 'id', ...extra };
}

function store(client: RedisClient, prefix: string) {
  return createRecordStore({ client, keyPrefix: prefix, logger: createLogger('silent'), pointerTtlMs: 0 });
}

/** Rows of `keys` as the scan executor gives them (the exact rows, JSON-safe), by key text. */
async function expectedRows(table: string, keys: number[], version?: number) {
  const storage = createLocalStorage(join(dir, table));
  const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader, version });
  const { rows } = await createScanExecutor({ engine }).rows({ storage, snapshot, rawWhere: `id IN (${keys.join(',')})` }, { values: 'json' });
  return new Map(rows.map((r) => [String(r.id), r]));
}

async function hlenSum(client: RedisClient, prefix: string, table: string, version: number, buckets: number): Promise<number> {
  const names = recordKeys(prefix, table);
  let total = 0;
  for (let b = 0; b < buckets; b += 2000) {
    const pipeline = client.pipeline();
    for (let i = b; i < Math.min(buckets, b + 2000); i++) pipeline.hlen(names.bucket(version, i));
    for (const [, n] of (await pipeline.exec()) ?? []) total += Number(n);
  }
  return total;
}

describe('bulk load into Redis', () => {
  it('loads 1M rows with every key readable as the exact row, in flat memory', async () => {
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(redis, `${prefix}*`));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    let progressCalls = 0;
    const result = await bulkLoad(options('big', redis, prefix, { onProgress: () => progressCalls++ })).finally(() => clearInterval(sampler));
    expect(result).toMatchObject({ mode: 'full', version: 0, rows: MILLION, encoding: 'hash', nullKeys: 0 });
    expect(progressCalls).toBeGreaterThan(10);
    // Bounded by DuckDB's memory limit (256 MB here; it spills its bucket-sorted temp table beyond it) plus one
    // range of buckets and the pipe's in-flight bytes on the JS side, whatever the table size.
    expect(peak - baseline).toBeLessThan(320 * 1024 * 1024);

    expect(await hlenSum(redis, prefix, 'big', 0, result.buckets)).toBe(MILLION);
    const sample = Array.from({ length: 500 }, (_, i) => (i * 7919 * 251) % MILLION).concat([0, MILLION - 1]);
    const records = store(redis, prefix);
    const meta = (await records.current('big'))!;
    const rows = await records.getMany('big', meta, sample.map(String));
    const expected = await expectedRows('big', sample);
    expect(expected.size).toBe(new Set(sample).size);
    sample.forEach((k, i) => expect(rows[i]).toEqual(expected.get(String(k))));
    expect(records.stats.pipelines).toBe(1);
    expect((await records.getMany('big', meta, ['-1', 'nope']))).toEqual([undefined, undefined]);
  }, 240_000);

  it('loads 1M rows as packed buckets, range after range, with every bucket present', async () => {
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(redis, `${prefix}*`));
    const result = await bulkLoad(options('big', redis, prefix, { encoding: 'packed' }));
    expect(result).toMatchObject({ mode: 'full', rows: MILLION, encoding: 'packed' });
    const names = recordKeys(prefix, 'big');
    const pipeline = redis.pipeline();
    for (let b = 0; b < result.buckets; b++) pipeline.exists(names.bucket(0, b));
    const present = ((await pipeline.exec()) ?? []).reduce((n, [, v]) => n + Number(v), 0);
    expect(present).toBe(result.buckets);
    // Keys spread over every range: a body sent under another bucket's key would read back as missing rows.
    const sample = Array.from({ length: 2000 }, (_, i) => (i * 7919 * 251) % MILLION).concat([0, MILLION - 1]);
    const records = store(redis, prefix);
    const rows = await records.getMany('big', (await records.current('big'))!, sample.map(String));
    const expected = await expectedRows('big', sample);
    sample.forEach((k, i) => expect(rows[i]).toEqual(expected.get(String(k))));
  }, 240_000);

  it('switches atomically: readers during a reload see the old version or the new one, never a mix', async () => {
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(redis, `${prefix}*`));
    await appendItems(engine, dir, 'switch', 0, 200_000);
    await bulkLoad(options('switch', redis, prefix));
    const v1 = await appendItems(engine, dir, 'switch', 200_000, 200_010);
    const records = store(redis, prefix);
    const seen = new Map<number, number>();
    let loading = true;
    const reader = (async () => {
      while (loading) {
        const meta = (await records.current('switch'))!;
        const [old, fresh] = await records.getMany('switch', meta, ['199999', '200005']);
        expect(old).toBeDefined();
        expect(fresh === undefined).toBe(meta.version === 0); // the new row exactly when on the new version
        seen.set(meta.version, (seen.get(meta.version) ?? 0) + 1);
      }
    })();
    const result = await bulkLoad(options('switch', redis, prefix)).finally(() => (loading = false));
    await reader;
    expect(result).toMatchObject({ mode: 'full', version: v1, previousVersion: 0, rows: 200_010 });
    expect(seen.get(0)).toBeGreaterThan(0);
    const meta = (await records.current('switch'))!;
    expect(meta.version).toBe(v1);
    // The old version's keys now expire.
    expect(await redis.pttl(recordKeys(prefix, 'switch').bucket(0, 0))).toBeGreaterThan(0);
  }, 120_000);

  it('applies only the files added since the loaded version in incremental mode', async () => {
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(redis, `${prefix}*`));
    await appendItems(engine, dir, 'incr', 0, 5000);
    await bulkLoad(options('incr', redis, prefix));
    const v1 = await appendItems(engine, dir, 'incr', 5000, 5100);
    const notes: string[] = [];
    const result = await bulkLoad(options('incr', redis, prefix, { incremental: true, onNote: (m) => notes.push(m) }));
    expect(result).toMatchObject({ mode: 'incremental', version: v1, rows: 5100 });
    expect(notes.join('\n')).toMatch(/1 files added, 0 removed/);
    const records = store(redis, prefix);
    const meta = (await records.current('incr'))!;
    const rows = await records.getMany('incr', meta, ['0', '4999', '5000', '5099', '5100']);
    const expected = await expectedRows('incr', [0, 4999, 5000, 5099]);
    expect(rows).toEqual([expected.get('0'), expected.get('4999'), expected.get('5000'), expected.get('5099'), undefined]);
    expect(await hlenSum(redis, prefix, 'incr', v1, meta.buckets)).toBe(5100);
    expect((await bulkLoad(options('incr', redis, prefix, { incremental: true }))).mode).toBe('unchanged');
  });

  it('refuses duplicate keys unless allowed, and loads packed buckets', async () => {
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(redis, `${prefix}*`));
    await appendItems(engine, dir, 'dups', 0, 100);
    await appendItems(engine, dir, 'dups', 90, 120);
    await expect(bulkLoad(options('dups', redis, prefix))).rejects.toMatchObject({ code: 'DUPLICATE_KEYS', message: expect.stringMatching(/10 duplicate/) });
    expect(await redis.get(recordKeys(prefix, 'dups').pointer)).toBeNull();
    const result = await bulkLoad(options('dups', redis, prefix, { allowDuplicates: true, encoding: 'packed' }));
    expect(result).toMatchObject({ rows: 120, encoding: 'packed' });
    const records = store(redis, prefix);
    const [row] = await records.getMany('dups', (await records.current('dups'))!, ['95']);
    expect(row).toMatchObject({ id: '95', name: 'item-95' });
  });

  it('fails cleanly on Redis OOM, leaving the pointer on the old complete version', async () => {
    const small = await startExtraRedis({ args: ['--maxmemory', '8mb', '--maxmemory-policy', 'noeviction'] });
    cleanups.push(() => small.stop());
    const client = createRedisClient({ url: small.url, commandTimeoutMs: 30_000 });
    cleanups.push(async () => client.disconnect());
    await waitUntilReady(client, 5000);
    await appendItems(engine, dir, 'oom', 0, 1000);
    await bulkLoad(options('oom', client, 'dg:'));
    await appendItems(engine, dir, 'oom', 1000, 200_000);
    const failure = await bulkLoad(options('oom', client, 'dg:')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BulkLoadError);
    expect(failure).toMatchObject({ code: 'REDIS_OOM', message: expect.stringMatching(/pointer still names version 0/) });
    expect(await client.get(recordKeys('dg:', 'oom').pointer)).toBe('0');
    expect(await client.keys('dg:rec:{oom}:v1:*')).toEqual([]);
    const records = store(client, 'dg:');
    const [row] = await records.getMany('oom', (await records.current('oom'))!, ['999']);
    expect(row).toMatchObject({ id: '999' });
  }, 120_000);

  it('loads into a Redis Cluster', async () => {
    const cluster = createRedisClient({ clusterNodes: inject('redisClusterNodes'), commandTimeoutMs: 30_000 });
    cleanups.push(async () => cluster.disconnect());
    await waitUntilReady(cluster, 10_000);
    const prefix = `${uniqueName('bulk')}:`;
    cleanups.push(() => purgeKeys(cluster, `${prefix}*`));
    const result = await bulkLoad(options('small', cluster, prefix));
    expect(result).toMatchObject({ mode: 'full', rows: 2000 });
    const records = store(cluster, prefix);
    const rows = await records.getMany('small', (await records.current('small'))!, ['0', '1999', '7']);
    const expected = await expectedRows('small', [0, 1999, 7]);
    expect(rows).toEqual([expected.get('0'), expected.get('1999'), expected.get('7')]);
    expect(await purgeKeys(cluster, `${prefix}*`)).toBeGreaterThan(result.buckets);
  });
});

/**
 * `delta-gateway warm` and `cache purge` as commands, then `record` / `records` through buildApp: reads come
 * from Redis in one pipeline per request, keys Redis lacks fall back to a Delta scan, asOf pins a version;
 * the query cache and records also work against the local Redis Cluster.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createRedisClient, purgeKeys, waitUntilReady } from '../../src/sources/redis/redis-client.ts';
import { appendItems } from '../support/items-table.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { uniqueName } from '../support/services.ts';

const bin = fileURLToPath(new URL('../../bin/delta-gateway.mjs', import.meta.url));
const cleanups: Array<() => Promise<unknown>> = [];
let lakeRoot: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  lakeRoot = await mkdtemp(join(tmpdir(), 'dg-e2e-records-'));
  engine = await createDuckDbEngine();
  await appendItems(engine, lakeRoot, 'items', 0, 3000);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await engine?.close();
  if (lakeRoot) await rm(lakeRoot, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A REDIS_CLUSTER_NODES in the caller's shell would take precedence over the REDIS_URL a test passes.
    const { REDIS_CLUSTER_NODES: _cluster, ...inherited } = process.env;
    const child = spawn(process.execPath, [bin, ...args], { env: { ...inherited, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The test gateway on the items lake and the shared engine. */
function startRecordsGateway(env: Record<string, string>): Promise<TestGateway> {
  return startGateway({ LAKE_ROOT: lakeRoot, ...env }, { engine, cleanups });
}

describe('records (e2e)', () => {
  it('warms a table with the CLI and serves record/records from Redis, with scan fallback and asOf', async () => {
    const prefix = `${uniqueName('rec')}:`;
    const client = createRedisClient({ url: inject('redisUrl'), commandTimeoutMs: 5000 });
    cleanups.push(async () => client.disconnect());
    cleanups.push(() => purgeKeys(client, `${prefix}*`));
    const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix, LAKE_ROOT: lakeRoot };

    const dup = await cli(['warm', 'items', '--key', 'qty'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^error DUPLICATE_KEYS: column "qty" has 2903 duplicate values/m);

    const warm = await cli(['warm', join(lakeRoot, 'items'), '--key', 'id', '--ttl', '1h'], env);
    expect(warm.stderr).toMatch(/rows\/s, ETA/);
    expect(warm.code).toBe(0);
    expect(JSON.parse(warm.stdout)).toMatchObject({ table: 'items', mode: 'full', version: 0, rows: 3000 });
    await waitUntilReady(client, 5000);
    expect(await client.pttl(`${prefix}rec:{items}:v0:b0`)).toBeGreaterThan(3_500_000);

    await appendItems(engine, lakeRoot, 'items', 3000, 3010); // version 1, not loaded
    const gw = await startRecordsGateway({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    const one = await gw.gql('{ record(table: "items", key: "42") }');
    expect(one.errors).toBeUndefined();
    expect(one.data!.record).toMatchObject({ id: '42', name: 'item-42', qty: 42, day: '2024-05-13', ts: '2024-05-01T00:00:42.000000Z' });
    expect(one.extensions?.delta?.tables).toEqual({ items: 0 });

    const before = gw.app.services.records!.stats.pipelines;
    const many = await gw.gql('{ a: records(table: "items", keys: ["1", "2999", "3005", "nope"]) b: record(table: "items", key: "7") }');
    expect(many.errors).toBeUndefined();
    const rows = many.data!.a as ({ id: string } | null)[];
    expect(rows.map((r) => r?.id ?? null)).toEqual(['1', '2999', '3005', null]); // 3005 and nope: scan fallback
    expect((many.data!.b as { id: string }).id).toBe('7');
    expect(gw.app.services.records!.stats.pipelines - before).toBe(1);

    const pinned = await gw.gql('{ record(table: "items", key: "3005", asOf: { version: 0 }) }');
    expect(pinned.data!.record).toBeNull();

    const purge = await cli(['cache', 'purge', 'items'], env);
    expect(purge).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\n$/) });
  }, 120_000);

  it('caches queries and serves records with a Redis Cluster', async () => {
    const prefix = `${uniqueName('rec')}:`;
    const nodes = inject('redisClusterNodes').join(',');
    const cluster = createRedisClient({ clusterNodes: inject('redisClusterNodes'), commandTimeoutMs: 5000 });
    cleanups.push(async () => cluster.disconnect());
    cleanups.push(() => purgeKeys(cluster, `${prefix}*`));
    const warm = await cli(['warm', 'items', '--key', 'id', '--version', '0'], { REDIS_CLUSTER_NODES: nodes, REDIS_KEY_PREFIX: prefix, LAKE_ROOT: lakeRoot });
    expect(warm.code, warm.stderr).toBe(0);
    // A generous command timeout: this test is about the cluster, not about riding out a slow Redis on a busy CI box.
    const gw = await startRecordsGateway({ REDIS_CLUSTER_NODES: nodes, REDIS_KEY_PREFIX: prefix, CACHE_LOCAL_TTL_MS: '1', CACHE_REDIS_TIMEOUT_MS: '5000' });
    await waitUntilReady(cluster, 10_000);
    const query = '{ items(first: 2, orderBy: [{ field: id, direction: ASC }]) { edges { node { id } } } }';
    let status: string | undefined;
    // While the gateway's cluster client is still connecting, a query is answered from DuckDB as a 'miss' whose
    // Redis read or write failed (counted in errors) and nothing is stored; wait for a miss that Redis took.
    for (let i = 0; i < 50; i++) {
      const errorsBefore = gw.app.services.cache!.stats().errors;
      const r = (await gw.gql(query)) as { extensions?: { delta?: { cache?: { status: string } } } };
      status = r.extensions?.delta?.cache?.status;
      await gw.app.services.cache!.idle();
      if (status === 'miss' && gw.app.services.cache!.stats().errors === errorsBefore) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toBe('miss');
    const hit = (await gw.gql(query)) as { extensions?: { delta?: { cache?: { status: string } } } };
    expect(hit.extensions?.delta?.cache?.status).toBe('hit');
    expect(gw.app.services.cache!.stats().redisHits).toBe(1);
    const rec = await gw.gql('{ record(table: "items", key: "2999") }');
    expect(rec.data!.record).toMatchObject({ id: '2999' });
    expect(await gw.app.services.cache!.purge('items')).toBe(1);
  }, 120_000);
});

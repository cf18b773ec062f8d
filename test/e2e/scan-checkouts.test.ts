/**
 * Every reader runs each scan on ONE pooled DuckDB connection: planning, the scan context (footers, deletion
 * vectors) and the SQL share it. Counted with the engine's checkout counter around each reader, through the
 * real gateway (rows, totalCount, analytics, records, change feed, the `since:` backfill) and the real loaders
 * (bulk load into Redis, the CLI export), on tables written by our writer (no checkpoints, so loading a
 * snapshot checks out nothing).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportRows } from '../../src/commands/export.ts';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import { writeTable } from '../../src/delta/writer/write/write-table.ts';
import { LOGS_SCHEMA } from '../../src/demo/demo-logs.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { bulkLoad } from '../../src/sources/records/bulk-loader.ts';
import { createRedisClient, purgeKeys, waitUntilReady } from '../../src/sources/redis/redis-client.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { BACKFILL_PAGE_ROWS } from '../../src/subscriptions/constants.ts';
import { appendItems } from '../support/items-table.ts';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { uniqueName, waitFor } from '../support/services.ts';
import { sseSubscribe, type Cleanups } from '../support/stream-clients.ts';

const LOG_ROWS = BACKFILL_PAGE_ROWS + 1000; // two backfill pages
const cleanups: Cleanups = [];
let lake: string;
let engine: DuckDbEngine;
let gw: TestGateway;
let logsStart: number;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-checkouts-'));
  engine = await createDuckDbEngine();
  for (const [from, to] of [[0, 300], [300, 600], [600, 900]] as const) await appendItems(engine, lake, 'items', from, to);
  logsStart = Math.floor(Date.now() / 1000) - 3 * 3600;
  const ctx = { storage: createLocalStorage(join(lake, 'logs')), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
  await writeTable(ctx, {
    sql: `SELECT to_timestamp(${logsStart}) + to_seconds(i) AS "timestamp", CASE WHEN i % 7 = 0 THEN 'ERROR' ELSE 'INFO' END AS level,
                 'svc' AS source, '/e' || (i % 5) AS endpoint, 'GET' AS method, CAST(CASE WHEN i % 7 = 0 THEN 500 ELSE 200 END AS INTEGER) AS status,
                 (i % 100)::DOUBLE AS response_time_ms, 'u' || (i % 50) AS user_id, 's' || (i % 200) AS session_id, 'm' AS message,
                 CAST(to_timestamp(${logsStart}) AS DATE) AS date
          FROM range(${LOG_ROWS}) t(i)`,
  }, { schema: LOGS_SCHEMA });
  const tablesFile = join(lake, 'tables.json');
  await writeFile(tablesFile, JSON.stringify({ tables: [{ name: 'items', location: join(lake, 'items'), roles: { key: 'id' } }] }));
  gw = await startGateway({ LAKE_ROOT: lake, TABLES_FILE: tablesFile, CACHE_ENABLED: 'false' }, { engine });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

afterAll(async () => {
  await stopGateways();
  await engine?.close();
  if (lake) await rm(lake, { recursive: true, force: true });
});

/** Connections checked out while `fn` runs, and its result. */
async function checkouts<T>(fn: () => Promise<T>): Promise<{ n: number; value: T }> {
  const before = engine.stats().checkouts;
  const value = await fn();
  return { n: engine.stats().checkouts - before, value };
}

async function gqlCheckouts(query: string): Promise<number> {
  const { n, value } = await checkouts(() => gw.gql(query));
  expect(value.errors, query).toBeUndefined();
  return n;
}

describe('one connection per scan', () => {
  it('GraphQL rows: one scan, one checkout; totalCount adds one scan, one checkout', async () => {
    expect(await gqlCheckouts('{ items(first: 3, where: { qty: { gt: 5 } }) { edges { node { id qty } } } }')).toBe(1);
    expect(await gqlCheckouts('{ items(first: 3, where: { qty: { gt: 5 } }) { totalCount edges { node { id } } } }')).toBe(2);
  });

  it('analytics: one checkout per analytics field', async () => {
    expect(await gqlCheckouts('{ analytics(table: "logs") { errors { endpoint errors } } }')).toBe(1);
    expect(await gqlCheckouts('{ analytics(table: "logs") { timeSeries(interval: "1h") { requests } sessions { user } } }')).toBe(2);
  });

  it('records without Redis: every key of a request in one scan, one checkout', async () => {
    const { n, value } = await checkouts(() => gw.gql('{ records(table: "items", keys: ["1", "450", "899", "nope"]) b: record(table: "items", key: "7") }'));
    expect(value.errors).toBeUndefined();
    expect((value.data!.records as ({ id: string } | null)[]).map((r) => r?.id ?? null)).toEqual(['1', '450', '899', null]);
    expect(n).toBe(1);
  });

  it('change feed: a page is one checkout, its totalCount one more', async () => {
    expect(await gqlCheckouts('{ itemsChanges(fromVersion: 0, first: 5) { edges { node { changeType row { id } } } } }')).toBe(1);
    expect(await gqlCheckouts('{ itemsChanges(fromVersion: 1, first: 5) { totalCount edges { node { changeType } } } }')).toBe(2);
  });

  it('since: backfill: the watermark scan and each page take one checkout', async () => {
    const before = engine.stats().checkouts;
    const sub = sseSubscribe<{ timestamp: string }>(cleanups, gw.url, 'subscription($since: DateTime) { logEvents(since: $since) { timestamp } }', {
      since: new Date((logsStart - 3600) * 1000).toISOString(),
    });
    // Rows before the watermark (the newest row's time) come from the table: LOG_ROWS - 1 of them, in two pages.
    await waitFor(() => sub.items.length >= LOG_ROWS - 1, { what: 'the backfill', timeoutMs: 30_000 });
    expect(sub.errors).toEqual([]);
    expect(engine.stats().checkouts - before).toBe(1 + 2);
    sub.stop();
  }, 60_000);

  it('bulk load: the key count and the rows are one scan each, one checkout each', async () => {
    const prefix = `${uniqueName('checkouts')}:`;
    const client = createRedisClient({ url: inject('redisUrl'), commandTimeoutMs: 10_000 });
    cleanups.push(async () => client.disconnect());
    cleanups.push(() => purgeKeys(client, `${prefix}*`));
    await waitUntilReady(client, 5000);
    const storage = createLocalStorage(join(lake, 'items'));
    const { n, value } = await checkouts(() => bulkLoad({ engine, storage, table: 'items', client, keyPrefix: prefix, keyColumn: 'id', version: 1 }));
    expect(value).toMatchObject({ mode: 'full', rows: 600 });
    expect(n).toBe(2);
    // Incremental: the key count, then the files added since version 1 (none removed): one checkout each.
    const incremental = await checkouts(() => bulkLoad({ engine, storage, table: 'items', client, keyPrefix: prefix, keyColumn: 'id', incremental: true }));
    expect(incremental.value).toMatchObject({ mode: 'incremental', rows: 900 });
    expect(incremental.n).toBe(2);
  });

  it('CLI export: one scan, one checkout', async () => {
    const storage = createLocalStorage(join(lake, 'items'));
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader });
    const output = join(lake, 'out.csv');
    const { n, value } = await checkouts(() => exportRows({ engine, storage, snapshot }, { storage, snapshot, columns: ['id'], rawWhere: 'id % 2 = 0' }, { format: 'csv', output }));
    expect(value).toBe(450);
    expect(n).toBe(1);
  });
});

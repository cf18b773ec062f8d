/**
 * The query deadline: with QUERY_TIMEOUT_MS at 1 ms, an analytics query over a 1M-row table (written by our own
 * writer) is interrupted inside DuckDB and answered with QUERY_TIMEOUT; the gateway keeps serving afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTable } from '../../src/delta/writer/index.ts';
import { LOGS_SCHEMA } from '../../src/demo/demo-logs.ts';
import { createDuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';

let lake: string;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-deadline-'));
  const engine = await createDuckDbEngine();
  const ctx = { storage: createLocalStorage(join(lake, 'logs')), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
  await writeTable(ctx, {
    sql: `SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS "timestamp", CASE WHEN i % 97 = 0 THEN 'ERROR' ELSE 'INFO' END AS level,
                 'svc' AS source, '/e' || (i % 50) AS endpoint, 'GET' AS method, CAST(CASE WHEN i % 97 = 0 THEN 500 ELSE 200 END AS INTEGER) AS status,
                 (i % 1000)::DOUBLE AS response_time_ms, 'u' || (i % 5000) AS user_id, 's' || (i % 20000) AS session_id, 'm' AS message,
                 DATE '2024-01-01' AS date
          FROM range(1000000) t(i)`,
  }, { schema: LOGS_SCHEMA });
  await engine.close();
  gw = await startGateway({ LAKE_ROOT: lake, QUERY_TIMEOUT_MS: '1', CACHE_ENABLED: 'false' });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

describe('query deadline', () => {
  it('interrupts DuckDB and answers QUERY_TIMEOUT, then keeps serving', async () => {
    const res = await gw.gql('{ analytics(table: "logs") { sessions(topN: 5) { user requests } } }');
    expect(res.errors![0]!.extensions!.code).toBe('QUERY_TIMEOUT');
    const about = await gw.gql('{ about { name } }');
    expect(about.data!.about.name).toBe('delta-gateway');
    const tables = await gw.gql('{ tables { name rowCount } }');
    expect(tables.data!.tables).toEqual([{ name: 'logs', rowCount: '1000000' }]);
  });
});

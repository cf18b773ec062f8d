import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, QueryTimeoutError, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';

describe('DuckDB engine', () => {
  let engine: DuckDbEngine;
  let dir: string;
  beforeAll(async () => {
    engine = await createDuckDbEngine({ threads: 2, memoryLimit: '512MB', poolSize: 2 });
    dir = await mkdtemp(join(tmpdir(), 'duckdb-engine-'));
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds positional parameters and returns exact BIGINT and DECIMAL values', async () => {
    const rows = await engine.query('SELECT $1::BIGINT + 1 AS big, $2 AS s, 12345678901234567.89::DECIMAL(20,2) AS d', [9007199254740993n, "it's"]);
    expect(rows).toEqual([{ big: 9007199254740994n, s: "it's", d: '12345678901234567.89' }]);
  });

  it('interrupts a query at its deadline with QueryTimeoutError, and the connection stays usable', async () => {
    const started = Date.now();
    await expect(engine.query('SELECT count(*) FROM range(100000000000) a', [], { timeoutMs: 150 })).rejects.toBeInstanceOf(QueryTimeoutError);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (let i = 0; i < 3; i++) expect(await engine.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('queues callers beyond the pool size', async () => {
    let active = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 5 }, () => engine.withConnection(async (c) => {
      peak = Math.max(peak, ++active);
      await c.run('SELECT 1');
      await new Promise((r) => setTimeout(r, 20));
      active--;
    })));
    expect(peak).toBe(2);
  });

  it('reads parquet as JSON-like rows, with absent columns as null', async () => {
    const file = join(dir, 'cp.parquet');
    await engine.query(`COPY (SELECT {'path': 'a b.parquet', 'size': 5000000000::BIGINT, 'partitionValues': MAP {'p': NULL::VARCHAR}} AS add,
      NULL::STRUCT(appId VARCHAR) AS txn) TO '${file}' (FORMAT parquet)`);
    const rows = await engine.parquetReader.readRows([file], ['add', 'txn', 'metaData']);
    expect(rows).toEqual([{ add: { path: 'a b.parquet', size: 5000000000, partitionValues: { p: null } }, txn: null, metaData: null }]);
    await expect(engine.parquetReader.readRows([join(dir, 'missing.parquet')], ['add'])).rejects.toThrow();
  });
});

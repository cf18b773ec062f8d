/**
 * The `items` table of the cache, records and bulk-load tests (and the cache bench), written with the project's
 * Delta writer from SQL generated inside DuckDB: rows (id BIGINT unique, name, price DOUBLE, qty INTEGER,
 * ts TIMESTAMP, day DATE, note) appended in id ranges, so each append is one new commit.
 */
import { join } from 'node:path';
import { writeTable } from '../../src/delta/writer/write/write-table.ts';
import { field, primitive } from '../../src/delta/writer/write/schema-json.ts';
import type { StructType } from '../../src/delta/snapshot/schema-types.ts';
import type { DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';

export const ITEMS_SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    field('id', primitive('long'), false),
    field('name', primitive('string')),
    field('price', primitive('double')),
    field('qty', primitive('integer')),
    field('ts', primitive('timestamp')),
    field('day', primitive('date')),
    field('note', primitive('string')),
  ],
};

/** SQL for items with ids in [from, to). */
export function itemsSql(from: number, to: number): string {
  return `SELECT range AS id, 'item-' || range AS name, round(range * 1.37 % 1000, 2) AS price, CAST(range % 97 AS INTEGER) AS qty,
    TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_seconds(range) AS ts, DATE '2024-05-01' + CAST(range % 30 AS INTEGER) AS day,
    CASE WHEN range % 7 = 0 THEN NULL ELSE 'note "' || (range % 13) || '"' END AS note FROM range(${from}, ${to})`;
}

/** Appends items [from, to) to the table at `dir/name` (creating it); returns the committed version. */
export async function appendItems(engine: DuckDbEngine, dir: string, name: string, from: number, to: number, maxRowsPerFile?: number): Promise<number> {
  const ctx = { storage: createLocalStorage(join(dir, name)), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader };
  const result = await writeTable(ctx, { sql: itemsSql(from, to) }, { schema: ITEMS_SCHEMA, mode: 'append', maxRowsPerFile });
  return result.version;
}

/**
 * Helpers for scan tests: read a Delta table (at a version) through the gateway's reader into JSON-safe rows,
 * read a reference parquet file cast to the same Delta types, and compare row sets order-independently.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { StructField } from '../../src/delta/snapshot/schema-types.ts';
import type { Snapshot } from '../../src/delta/snapshot/snapshot.ts';
import { duckDbType, quoteIdent, quoteString } from '../../src/delta/scan/sql-text.ts';
import type { DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { type JsonValue, toJsonRow } from '../../src/sources/duckdb/duckdb-json.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';

export type Row = Record<string, JsonValue>;

/** Loads `tableDir` at `version` (default latest) and scans all of it. */
export async function readTable(engine: DuckDbEngine, tableDir: string, version?: number): Promise<{ snapshot: Snapshot; rows: Row[] }> {
  const storage = createLocalStorage(tableDir);
  const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader, ...(version === undefined ? {} : { version }) });
  const { rows } = await createScanExecutor({ engine }).rows({ storage, snapshot }, { values: 'json' });
  return { snapshot, rows };
}

/** Reads a parquet file's columns named like `fields`, cast to their Delta types, as JSON-safe rows. */
export async function readParquetAs(engine: DuckDbEngine, file: string, fields: readonly StructField[]): Promise<Row[]> {
  const select = fields.map((f) => `CAST(${quoteIdent(f.name)} AS ${duckDbType(f.type)}) AS ${quoteIdent(f.name)}`);
  return engine.withConnection(async (c) => {
    await c.run(`SET TimeZone = 'UTC'`);
    const reader = await c.runAndReadAll(`SELECT ${select.join(', ')} FROM read_parquet(${quoteString(file)})`);
    return (reader.getRowObjects() as Record<string, DuckDBValue>[]).map(toJsonRow);
  });
}

/** Rows as sorted canonical JSON strings, for order-independent exact comparison. */
export function canonicalRows(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
}

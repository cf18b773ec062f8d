/**
 * The Delta layer's ParquetReader on DuckDB: reads checkpoint and sidecar parquet as JSON-like rows. Each selected
 * column goes through `to_json` so maps become objects and BIGINTs numbers; columns a file lacks (checkpoints often
 * have no `txn` or `domainMetadata`) are found with DESCRIBE and returned as null.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type ParquetReader, quoteIdent, quoteString } from '../../delta/index.ts';

interface ConnectionProvider {
  withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}

/** Creates a ParquetReader running on the given connections. */
export function createDuckDbParquetReader(engine: ConnectionProvider): ParquetReader {
  return {
    async readRows(locations, columns) {
      if (locations.length === 0) return [];
      const source = `read_parquet([${locations.map(quoteString).join(', ')}], union_by_name = true)`;
      return engine.withConnection(async (c) => {
        const described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJson();
        const present = new Set(described.map((r) => String(r.column_name)));
        const wanted = columns ?? [...present];
        const selected = wanted.filter((col) => present.has(col));
        if (selected.length === 0) return [];
        const struct = selected.map((col) => `${quoteString(col)}, ${quoteIdent(col)}`).join(', ');
        const reader = await c.runAndReadAll(`SELECT json_object(${struct})::VARCHAR AS j FROM ${source}`);
        const rows = reader.getRowsJson();
        const out: Record<string, unknown>[] = new Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const row = JSON.parse(rows[i]![0] as string) as Record<string, unknown>;
          for (const col of wanted) if (!(col in row)) row[col] = null;
          out[i] = row;
        }
        return out;
      });
    },
  };
}

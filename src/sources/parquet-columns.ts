/**
 * Which top-level columns each parquet data file holds, read from the footers with DuckDB's parquet_schema and
 * cached per file location (data files are immutable). Scans use it to project columns that no planned file has
 * yet (a column added by schema evolution) as typed NULLs instead of failing to bind.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from '../delta/sql-text.ts';

export interface ParquetColumnCache {
  /** Lower-cased top-level column names present in at least one of `locations`. */
  presentColumns(c: DuckDBConnection, locations: readonly string[]): Promise<Set<string>>;
}

interface SchemaRow {
  file_name: string;
  name: string;
  num_children: bigint | null;
  column_id: bigint;
}

/** Top-level names from one file's flattened schema rows (depth-first, root first), ordered by column_id. */
function topLevelNames(rows: SchemaRow[]): string[] {
  rows.sort((a, b) => Number(a.column_id - b.column_id));
  const names: string[] = [];
  let i = 1;
  const skipSubtree = (): void => {
    const children = Number(rows[i]?.num_children ?? 0);
    i++;
    for (let k = 0; k < children; k++) skipSubtree();
  };
  const rootChildren = Number(rows[0]?.num_children ?? 0);
  for (let k = 0; k < rootChildren && i < rows.length; k++) {
    names.push(rows[i]!.name.toLowerCase());
    skipSubtree();
  }
  return names;
}

/** Creates a cache holding up to `maxFiles` files' column lists (oldest evicted first). */
export function createParquetColumnCache(maxFiles = 100_000): ParquetColumnCache {
  const cache = new Map<string, readonly string[]>();
  return {
    async presentColumns(c, locations) {
      const missing = [...new Set(locations.filter((l) => !cache.has(l)))];
      if (missing.length > 0) {
        const reader = await c.runAndReadAll(
          `SELECT file_name, name, num_children, column_id FROM parquet_schema([${missing.map(quoteString).join(', ')}])`,
        );
        const byFile = new Map<string, SchemaRow[]>();
        for (const row of reader.getRowObjects() as unknown as SchemaRow[]) {
          const list = byFile.get(row.file_name) ?? [];
          list.push(row);
          byFile.set(row.file_name, list);
        }
        for (const [file, rows] of byFile) cache.set(file, topLevelNames(rows));
        for (const file of missing) if (!cache.has(file)) cache.set(file, []);
        while (cache.size > maxFiles) cache.delete(cache.keys().next().value!);
      }
      const present = new Set<string>();
      for (const l of locations) for (const name of cache.get(l) ?? []) present.add(name);
      return present;
    },
  };
}

/**
 * Which top-level columns each parquet data file holds, and with which physical type, read from the footers
 * with DuckDB's parquet_schema and cached per file location (data files are immutable). Scans use it to project
 * columns no planned file has yet (schema evolution) as typed NULLs, and to skip union_by_name (which rereads
 * every footer while binding) when all files agree.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteString } from '../delta/sql-text.ts';

export interface FileColumns {
  /** Lower-cased top-level names present in at least one file. */
  present: Set<string>;
  /** Lower-cased top-level names present in every file with the same physical type. */
  uniform: Set<string>;
}

export interface ParquetColumnCache {
  columnsOf(c: DuckDBConnection, locations: readonly string[]): Promise<FileColumns>;
}

interface SchemaRow {
  file_name: string;
  name: string;
  type: string | null;
  converted_type: string | null;
  logical_type: string | null;
  repetition_type: string | null;
  scale: bigint | null;
  precision: bigint | null;
  num_children: bigint | null;
  column_id: bigint;
}

/** Top-level name → signature of its whole subtree, from one file's flattened schema rows (root first). */
function topLevelColumns(rows: SchemaRow[]): Map<string, string> {
  rows.sort((a, b) => Number(a.column_id - b.column_id));
  const columns = new Map<string, string>();
  let i = 1;
  const subtree = (): string => {
    const r = rows[i++];
    if (!r) return '';
    const parts = [r.name, r.type, r.converted_type, r.logical_type, r.repetition_type, r.scale, r.precision].map(String);
    for (let k = 0; k < Number(r.num_children ?? 0); k++) parts.push(`(${subtree()})`);
    return parts.join('|');
  };
  const rootChildren = Number(rows[0]?.num_children ?? 0);
  for (let k = 0; k < rootChildren && i < rows.length; k++) {
    const name = rows[i]!.name.toLowerCase();
    columns.set(name, subtree());
  }
  return columns;
}

/** Creates a cache holding up to `maxFiles` files' columns (oldest evicted first). */
export function createParquetColumnCache(maxFiles = 100_000): ParquetColumnCache {
  const cache = new Map<string, ReadonlyMap<string, string>>();
  const load = async (c: DuckDBConnection, missing: string[]): Promise<void> => {
    const reader = await c.runAndReadAll(
      `SELECT file_name, name, type, converted_type, logical_type::VARCHAR AS logical_type, repetition_type, scale, precision,
        num_children, column_id FROM parquet_schema([${missing.map(quoteString).join(', ')}])`,
    );
    const byFile = new Map<string, SchemaRow[]>();
    for (const row of reader.getRowObjectsJS() as unknown as SchemaRow[]) {
      const list = byFile.get(row.file_name) ?? [];
      list.push(row);
      byFile.set(row.file_name, list);
    }
    for (const [file, rows] of byFile) cache.set(file, topLevelColumns(rows));
    for (const file of missing) if (!cache.has(file)) cache.set(file, new Map());
    while (cache.size > maxFiles) cache.delete(cache.keys().next().value!);
  };
  return {
    async columnsOf(c, locations) {
      const missing = [...new Set(locations.filter((l) => !cache.has(l)))];
      if (missing.length > 0) await load(c, missing);
      const present = new Set<string>();
      let uniform: Map<string, string> | undefined;
      for (const l of locations) {
        const columns = cache.get(l) ?? new Map<string, string>();
        for (const name of columns.keys()) present.add(name);
        if (!uniform) uniform = new Map(columns);
        else for (const [name, sig] of uniform) if (columns.get(name) !== sig) uniform.delete(name);
      }
      return { present, uniform: new Set(uniform?.keys() ?? []) };
    },
  };
}

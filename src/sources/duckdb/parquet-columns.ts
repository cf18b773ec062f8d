/**
 * Which top-level columns each parquet data file holds, with which physical type, and its parquet field ids,
 * read from the footers with DuckDB's parquet_schema and cached per file location (data files are immutable).
 * Scans use it to project columns no planned file has yet (schema evolution) as typed NULLs, to skip
 * union_by_name (which rereads every footer while binding) when all files agree, and to resolve column mapping
 * mode `id` (field id → the files' column names).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DeltaError, quoteString } from '../../delta/index.ts';

export interface FileColumns {
  /** Lower-cased top-level names present in at least one file. */
  present: Set<string>;
  /** Lower-cased top-level names present in every file with the same physical type. */
  uniform: Set<string>;
  /** Parquet field id → column name, over every file and nesting level (see fieldIdNames for the checks). */
  fieldIds: Map<number, string>;
  /** Files with columns but no field id at all. */
  filesWithoutFieldIds: string[];
  /** Field ids the files name differently, with two of the names. */
  conflictingFieldIds: [number, string, string][];
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
  field_id: bigint | null;
  column_id: bigint;
}

interface FileInfo {
  columns: ReadonlyMap<string, string>;
  fieldIds: ReadonlyMap<number, string>;
}

/** Top-level name → signature of its whole subtree, and field id → name, from one file's schema rows. */
function fileInfo(rows: SchemaRow[]): FileInfo {
  rows.sort((a, b) => Number(a.column_id - b.column_id));
  const columns = new Map<string, string>();
  const fieldIds = new Map<number, string>();
  for (const r of rows.slice(1)) if (r.field_id !== null) fieldIds.set(Number(r.field_id), r.name);
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
  return { columns, fieldIds };
}

/**
 * The field id → name map of column mapping mode `id` over `columns`' files.
 * @throws DeltaError CORRUPT_DATA naming a file without field ids; UNSUPPORTED_FEATURE when files name one
 *   field id differently
 */
export function fieldIdNames(columns: FileColumns): Map<number, string> {
  const bare = columns.filesWithoutFieldIds[0];
  if (bare) throw new DeltaError('CORRUPT_DATA', `data file ${bare} has no parquet field ids, which column mapping mode id needs`);
  const conflict = columns.conflictingFieldIds[0];
  if (conflict) throw new DeltaError('UNSUPPORTED_FEATURE', `field id ${conflict[0]} is named "${conflict[1]}" and "${conflict[2]}" in different data files`);
  return columns.fieldIds;
}

/** Creates a cache holding up to `maxFiles` files' columns (oldest evicted first). */
export function createParquetColumnCache(maxFiles = 100_000): ParquetColumnCache {
  const cache = new Map<string, FileInfo>();
  const load = async (c: DuckDBConnection, missing: string[]): Promise<void> => {
    const reader = await c.runAndReadAll(
      `SELECT file_name, name, type, converted_type, logical_type::VARCHAR AS logical_type, repetition_type, scale, precision,
        num_children, field_id, column_id FROM parquet_schema([${missing.map(quoteString).join(', ')}])`,
    );
    const byFile = new Map<string, SchemaRow[]>();
    for (const row of reader.getRowObjectsJS() as unknown as SchemaRow[]) {
      const list = byFile.get(row.file_name) ?? [];
      list.push(row);
      byFile.set(row.file_name, list);
    }
    for (const [file, rows] of byFile) cache.set(file, fileInfo(rows));
    for (const file of missing) if (!cache.has(file)) cache.set(file, { columns: new Map(), fieldIds: new Map() });
    while (cache.size > maxFiles) cache.delete(cache.keys().next().value!);
  };
  return {
    async columnsOf(c, locations) {
      const missing = [...new Set(locations.filter((l) => !cache.has(l)))];
      if (missing.length > 0) await load(c, missing);
      const present = new Set<string>();
      const fieldIds = new Map<number, string>();
      const filesWithoutFieldIds: string[] = [];
      const conflictingFieldIds: [number, string, string][] = [];
      let uniform: Map<string, string> | undefined;
      for (const l of locations) {
        const info = cache.get(l) ?? { columns: new Map<string, string>(), fieldIds: new Map<number, string>() };
        for (const name of info.columns.keys()) present.add(name);
        if (!uniform) uniform = new Map(info.columns);
        else for (const [name, sig] of uniform) if (info.columns.get(name) !== sig) uniform.delete(name);
        if (info.columns.size > 0 && info.fieldIds.size === 0) filesWithoutFieldIds.push(l);
        for (const [id, name] of info.fieldIds) {
          const known = fieldIds.get(id);
          if (known === undefined) fieldIds.set(id, name);
          else if (known !== name) conflictingFieldIds.push([id, known, name]);
        }
      }
      return { present, uniform: new Set(uniform?.keys() ?? []), fieldIds, filesWithoutFieldIds, conflictingFieldIds };
    },
  };
}

/**
 * Data files (PROTOCOL.md "Data Files", "Add File and Remove File"): a staged batch is written as parquet
 * files, one or more per partition under Hive-style folders, each described by an add action with its
 * partition values, size, modification time and statistics. Files get fresh UUID names and are never
 * overwritten; until a commit names them they are invisible to readers (and vacuum removes them later).
 */
import { randomUUID } from 'node:crypto';
import type { Add } from '../actions.ts';
import { DeltaError } from '../errors.ts';
import type { StructType } from '../schema-types.ts';
import type { DeltaStorage } from '../storage.ts';
import { buildStatsQuery } from './file-stats.ts';
import { encodeAddPath, partitionFolder } from './partition-values.ts';
import { quoteIdent, quoteLiteral } from './schema-json.ts';
import type { SqlSession } from './sql-engine.ts';
import type { StagedBatch } from './stage-batch.ts';

/** Options of writeDataFiles. */
export interface DataFileOptions {
  /** Rows per file at most; a larger partition is split evenly. Default 1,000,000. */
  maxRowsPerFile?: number;
  /** Leaf columns with statistics (`delta.dataSkippingNumIndexedCols`); default 32. */
  statsColumns?: number;
  /** `add.dataChange`; false for files that only rearrange existing rows (OPTIMIZE). Default true. */
  dataChange?: boolean;
}

/** A new file name: `part-<n>-<uuid>-c000.zstd.parquet`. */
export function newDataFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}-${randomUUID()}-c000.zstd.parquet`;
}

function eqSql(column: string, value: string | null): string {
  return value === null ? `${column} IS NULL` : `${column} = ${quoteLiteral(value)}`;
}

/**
 * Writes the staged rows as parquet data files and returns their add actions (no rows, no files).
 * @throws DeltaError IO_ERROR when a written file cannot be found afterwards
 */
export async function writeDataFiles(
  session: SqlSession,
  storage: DeltaStorage,
  staged: StagedBatch,
  schema: StructType,
  partitionColumns: readonly string[],
  opts: DataFileOptions = {},
): Promise<Add[]> {
  if (staged.numRows === 0) return [];
  const maxRows = opts.maxRowsPerFile ?? 1_000_000;
  const dataSchema: StructType = { kind: 'struct', fields: schema.fields.filter((f) => !partitionColumns.includes(f.name)) };
  const dataCols = dataSchema.fields.map((f) => quoteIdent(f.name)).join(', ');
  const pvCols = staged.partitionValueColumns;
  const groups = await session.all(
    `SELECT ${[...pvCols, 'count(*)::VARCHAR AS __n'].join(', ')} FROM ${staged.table}${pvCols.length ? ` GROUP BY ALL ORDER BY ALL` : ''}`,
  );
  const adds: Add[] = [];
  for (const group of groups) {
    const values: Record<string, string | null> = {};
    partitionColumns.forEach((c, i) => (values[c] = (group[pvCols[i]!] as string | null) ?? null));
    const filters = pvCols.map((pc, i) => eqSql(pc, values[partitionColumns[i]!]!));
    const parts = Math.max(1, Math.ceil(Number(group.__n) / maxRows));
    for (let part = 0; part < parts; part++) {
      const where = [...filters, ...(parts > 1 ? [`${staged.rowColumn} % ${parts} = ${part}`] : [])].join(' AND ') || 'true';
      const relPath = `${partitionFolder(partitionColumns, values)}${newDataFileName(adds.length)}`;
      await session.copyToParquet(`SELECT ${dataCols} FROM ${staged.table} WHERE ${where}`, storage.resolve(encodeAddPath(relPath)));
      const stats = buildStatsQuery(dataSchema, staged.table, where, opts.statsColumns);
      const [row] = await session.all(stats.sql);
      const meta = await storage.stat(relPath);
      if (!meta) throw new DeltaError('IO_ERROR', `data file ${relPath} was not found after writing it`);
      adds.push({
        path: encodeAddPath(relPath),
        partitionValues: values,
        size: meta.size,
        modificationTime: meta.modificationTime,
        dataChange: opts.dataChange ?? true,
        stats: JSON.stringify(stats.toStats(row ?? {})),
      });
    }
  }
  return adds;
}

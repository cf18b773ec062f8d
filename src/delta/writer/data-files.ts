/**
 * Data files (PROTOCOL.md "Data Files", "Add File and Remove File"): a staged batch is written as parquet
 * files, one or more per partition under Hive-style folders, each described by an add action with its
 * partition values, size, modification time and statistics. One COPY writes every partition into scratch space
 * and reports each file's footer statistics; each file is then stored under a fresh UUID name in its folder
 * (escaped as the protocol's reference implementation does, which DuckDB's own partition folders are not).
 * Until a commit names them the files are invisible to readers (and vacuum removes them later).
 */
import { randomUUID } from 'node:crypto';
import type { Add, FileStats } from '../actions.ts';
import type { StructType } from '../schema-types.ts';
import type { DeltaStorage } from '../storage.ts';
import { buildStatsQuery } from './file-stats.ts';
import { statsFromParquet } from './parquet-stats.ts';
import { encodeAddPath, partitionFolder } from './partition-values.ts';
import { quoteLiteral } from './schema-json.ts';
import type { SqlSession, WrittenParquet } from './sql-engine.ts';
import type { StagedBatch } from './stage-batch.ts';

/** Options of storeDataFiles. */
export interface DataFileOptions {
  /** Leaf columns with statistics (`delta.dataSkippingNumIndexedCols`); default 32. */
  statsColumns?: number;
  /** `add.dataChange`; false for files that only rearrange existing rows (OPTIMIZE). Default true. */
  dataChange?: boolean;
  /** Clock for `add.modificationTime`; default Date.now. */
  now?: () => number;
}

/** A new file name: `part-<n>-<uuid>-c000.zstd.parquet`. */
export function newDataFileName(index: number): string {
  return `part-${String(index).padStart(5, '0')}-${randomUUID()}-c000.zstd.parquet`;
}

let outCounter = 0;

/** The written files, their rows read back from scratch (hive_partitioning off: the folders are DuckDB's). */
const readBack = (location: string, extra = '') => `read_parquet(${quoteLiteral(location)}, hive_partitioning = false${extra})`;

/** A file over `maxRows` rows becomes `ceil(n / maxRows)` files taking every k-th row. */
async function splitOversized(session: SqlSession, file: WrittenParquet, maxRows: number): Promise<WrittenParquet[]> {
  if (file.numRecords <= maxRows) return [file];
  const parts = Math.ceil(file.numRecords / maxRows);
  const out: WrittenParquet[] = [];
  for (let part = 0; part < parts; part++) {
    const select = `SELECT * EXCLUDE (file_row_number) FROM ${readBack(file.location, ', file_row_number = true')} WHERE file_row_number % ${parts} = ${part}`;
    const [written] = await session.writeParquet(select, session.scratch.location(`split-${++outCounter}.parquet`));
    out.push({ ...written!, partitionValues: file.partitionValues });
  }
  return out;
}

async function statsOf(session: SqlSession, dataSchema: StructType, file: WrittenParquet, statsColumns?: number): Promise<FileStats> {
  const fromFooter = statsFromParquet(dataSchema, file, statsColumns);
  if (fromFooter) return fromFooter;
  // Arrays and maps: their null counts per row are not in the footer, so aggregate the file once.
  const query = buildStatsQuery(dataSchema, readBack(file.location), 'true', statsColumns);
  const [row] = await session.all(query.sql);
  return query.toStats(row ?? {});
}

/**
 * Writes the staged rows as parquet files in scratch space (one COPY; partitions over `maxRowsPerFile` rows
 * split evenly) and returns them with their footer statistics and partition values. Empty files are left out.
 */
export async function writeScratchFiles(session: SqlSession, staged: StagedBatch, partitionColumns: readonly string[], maxRowsPerFile = 1_000_000): Promise<WrittenParquet[]> {
  if (staged.numRows === 0) return [];
  const target = session.scratch.location(`out-${++outCounter}${partitionColumns.length ? '' : '.parquet'}`);
  const written = await session.writeParquet(staged.select, target, partitionColumns.length ? { partitionBy: partitionColumns, fileNamePattern: 'part-{uuid}' } : {});
  const files: WrittenParquet[] = [];
  for (const f of written) if (f.numRecords > 0) files.push(...(await splitOversized(session, f, maxRowsPerFile)));
  return files;
}

/** Stores scratch files in the table under fresh names in their partition folders and returns their add actions. */
export async function storeDataFiles(
  session: SqlSession,
  storage: DeltaStorage,
  files: readonly WrittenParquet[],
  schema: StructType,
  partitionColumns: readonly string[],
  opts: DataFileOptions = {},
): Promise<Add[]> {
  const dataSchema: StructType = { kind: 'struct', fields: schema.fields.filter((f) => !partitionColumns.includes(f.name)) };
  const adds: Add[] = [];
  for (const file of files) {
    const stats = await statsOf(session, dataSchema, file, opts.statsColumns);
    const values: Record<string, string | null> = {};
    for (const c of partitionColumns) values[c] = file.partitionValues[c] ?? null;
    const relPath = `${partitionFolder(partitionColumns, values)}${newDataFileName(adds.length)}`;
    await storage.write(relPath, await session.scratch.read(scratchName(session, file.location)));
    adds.push({
      path: encodeAddPath(relPath),
      partitionValues: values,
      size: file.sizeBytes,
      modificationTime: (opts.now ?? Date.now)(),
      dataChange: opts.dataChange ?? true,
      stats: JSON.stringify(stats),
    });
  }
  return adds;
}

/** The scratch-relative name of a file the engine wrote under the session's scratch space. */
function scratchName(session: SqlSession, location: string): string {
  const root = session.scratch.location('');
  return location.startsWith(root) ? location.slice(root.length).replace(/^[\\/]+/, '') : location;
}

/**
 * OPTIMIZE, bin-packing compaction (the reference implementation's OPTIMIZE; PROTOCOL.md "Add File and Remove
 * File" with dataChange=false): per partition, files smaller than the target size are grouped into bins of up
 * to the target size and each bin of two or more files is rewritten as one file. Old files are removed and new
 * ones added with dataChange=false, so streaming readers skip the commit and concurrent appends never conflict.
 */
import type { Action, Add } from '../../log/actions.ts';
import type { StructType } from '../../snapshot/schema-types.ts';
import { maybeCheckpoint } from '../checkpoint.ts';
import { commitWithRetry } from '../commit.ts';
import { ensureWritable } from '../ensure-writable.ts';
import { buildStatsQuery } from '../write/file-stats.ts';
import { encodeAddPath, partitionFolder } from '../write/partition-values.ts';
import { matchesPartitionFilter, parsePartitionFilter } from './partition-filter.ts';
import { newDataFileName } from '../write/data-files.ts';
import { removeOf } from '../remove-action.ts';
import { toDuckDbType } from '../write/schema-json.ts';
import { quoteIdent, quoteString } from '../../scan/sql-text.ts';
import { statsColumnCount } from '../table-properties.ts';
import { ENGINE_INFO, loadLatest, nowOf, type WriterContext } from '../writer-context.ts';
import type { SqlSession } from '../sql-engine.ts';
import { DeltaError } from '../../errors.ts';

/** Options of optimizeTable. */
export interface OptimizeOptions {
  /** Target file size in bytes; default 128 MiB. */
  targetSizeBytes?: number;
  /** Partition filter such as `date='2024-01-01'` (partition columns only). */
  where?: string;
}

/** What OPTIMIZE did; `version` is undefined when there was nothing to compact. */
export interface OptimizeResult {
  version?: number;
  numRemovedFiles: number;
  numAddedFiles: number;
  numRemovedBytes: number;
  numAddedBytes: number;
}

/** Groups small files of one partition into bins of at most `target` bytes; only bins of 2+ files are kept. */
export function binPack(files: readonly Add[], target: number): Add[][] {
  const small = files.filter((f) => f.size < target && !f.deletionVector).sort((a, b) => a.size - b.size || (a.path < b.path ? -1 : 1));
  const bins: Add[][] = [];
  let bin: Add[] = [];
  let size = 0;
  for (const f of small) {
    if (bin.length > 0 && size + f.size > target) {
      bins.push(bin);
      bin = [];
      size = 0;
    }
    bin.push(f);
    size += f.size;
  }
  if (bin.length > 0) bins.push(bin);
  return bins.filter((b) => b.length > 1);
}

async function rewriteBin(ctx: WriterContext, session: SqlSession, bin: Add[], dataSchema: StructType, partitionColumns: readonly string[], statsColumns: number, index: number): Promise<Add> {
  const list = `[${bin.map((f) => quoteString(ctx.storage.resolve(f.path))).join(', ')}]`;
  const source = `read_parquet(${list}, union_by_name = true)`;
  const present = new Set((await session.all(`DESCRIBE SELECT * FROM ${source}`)).map((r) => String(r.column_name)));
  const cols = dataSchema.fields.map((f) => `CAST(${present.has(f.name) ? quoteIdent(f.name) : 'NULL'} AS ${toDuckDbType(f.type)}) AS ${quoteIdent(f.name)}`);
  const partitionValues = bin[0]!.partitionValues;
  const relPath = `${partitionFolder(partitionColumns, partitionValues)}${newDataFileName(index)}`;
  const location = ctx.storage.resolve(encodeAddPath(relPath));
  await session.copyToParquet(`SELECT ${cols.join(', ')} FROM ${source}`, location);
  const stats = buildStatsQuery(dataSchema, `read_parquet(${quoteString(location)})`, 'true', statsColumns);
  const [row] = await session.all(stats.sql);
  const meta = await ctx.storage.stat(relPath);
  if (!meta) throw new DeltaError('IO_ERROR', `compacted file ${relPath} was not found after writing it`);
  return {
    path: encodeAddPath(relPath),
    partitionValues,
    size: meta.size,
    modificationTime: meta.modificationTime,
    dataChange: false,
    stats: JSON.stringify(stats.toStats(row ?? {})),
  };
}

/**
 * Compacts small files. Commits nothing when no partition has two files to merge.
 * @throws DeltaError INVALID_ARGUMENT for a bad `where`; CONCURRENT_MODIFICATION when a concurrent commit
 * removed one of the files being compacted
 */
export async function optimizeTable(ctx: WriterContext, opts: OptimizeOptions = {}): Promise<OptimizeResult> {
  const snapshot = await loadLatest(ctx);
  ensureWritable(snapshot, false);
  const target = opts.targetSizeBytes ?? 128 * 1024 * 1024;
  const filter = opts.where ? parsePartitionFilter(opts.where, snapshot.partitionColumns) : undefined;
  const byPartition = new Map<string, Add[]>();
  for (const f of snapshot.files) {
    if (filter && !matchesPartitionFilter(f, filter)) continue;
    const key = JSON.stringify(snapshot.partitionColumns.map((c) => f.partitionValues[c] ?? null));
    byPartition.set(key, [...(byPartition.get(key) ?? []), f]);
  }
  const bins = [...byPartition.values()].flatMap((files) => binPack(files, target));
  const empty: OptimizeResult = { numRemovedFiles: 0, numAddedFiles: 0, numRemovedBytes: 0, numAddedBytes: 0 };
  if (bins.length === 0) return empty;
  const dataSchema: StructType = { kind: 'struct', fields: snapshot.schema.fields.filter((f) => !snapshot.partitionColumns.includes(f.name)) };
  const statsColumns = statsColumnCount(snapshot.metadata);
  const adds = await ctx.sql.withSession(async (session) => {
    const out: Add[] = [];
    for (const bin of bins) out.push(await rewriteBin(ctx, session, bin, dataSchema, snapshot.partitionColumns, statsColumns, out.length));
    return out;
  });
  const now = nowOf(ctx);
  const removed = bins.flat();
  const actions: Action[] = [
    ...removed.map((f): Action => ({ remove: removeOf(f, now, false) })),
    ...adds.map((add): Action => ({ add })),
  ];
  const result: OptimizeResult = {
    numRemovedFiles: removed.length,
    numAddedFiles: adds.length,
    numRemovedBytes: removed.reduce((n, f) => n + f.size, 0),
    numAddedBytes: adds.reduce((n, f) => n + f.size, 0),
  };
  const commit = await commitWithRetry(
    ctx.storage,
    {
      readVersion: snapshot.version,
      actions,
      readsWholeTable: false,
      commitInfo: {
        operation: 'OPTIMIZE',
        operationParameters: { predicate: JSON.stringify(opts.where ? [opts.where] : []), targetSize: String(target) },
        operationMetrics: { ...result },
        engineInfo: ENGINE_INFO,
        isBlindAppend: false,
      },
    },
    { now: ctx.now },
  );
  if (commit.status !== 'committed') return empty;
  await maybeCheckpoint(ctx, commit.version, snapshot.metadata);
  return { ...result, version: commit.version };
}

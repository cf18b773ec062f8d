/**
 * The public surface of the Delta writer: append/overwrite with schema enforcement and txn actions, atomic
 * commits with conflict checks, checkpoints, and the maintenance operations OPTIMIZE, VACUUM and RESTORE.
 */
export { writeTable, appendRows, type WriteOptions, type WriteResult } from './write-table.ts';
export type { WriteSource } from './stage-batch.ts';
export type { Row } from './row-validation.ts';
export { validateRows } from './row-validation.ts';
export { commitWithRetry, type CommitRequest, type CommitResult, type CommitOptions } from './commit.ts';
export { checkWinningCommit, type PendingCommit, type ConflictVerdict } from './conflicts.ts';
export { writeCheckpoint, maybeCheckpoint } from './checkpoint.ts';
export { optimizeTable, type OptimizeOptions, type OptimizeResult } from './optimize.ts';
export { vacuumTable, type VacuumOptions, type VacuumResult } from './vacuum.ts';
export { restoreTable, type RestoreResult } from './restore.ts';
export { serializeSchema, toDuckDbType, field, primitive } from './schema-json.ts';
export { reconcileSchema } from './schema-evolution.ts';
export { escapePartitionValue, partitionFolder, encodeAddPath } from './partition-values.ts';
export { parseDuration } from './table-properties.ts';
export type { SqlEngine, SqlSession, ScratchSpace, AppendColumn, AppendType, WrittenParquet, ParquetLeafStats, WriteParquetOptions } from './sql-engine.ts';
export { ENGINE_INFO, type WriterContext, type SnapshotCache } from './writer-context.ts';

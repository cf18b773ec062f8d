/**
 * The public surface of the Delta writer: append/overwrite with schema enforcement and txn actions, atomic
 * commits with conflict checks, checkpoints, and the maintenance operations OPTIMIZE, VACUUM and RESTORE.
 */
export { writeTable, appendRows, type WriteOptions, type WriteResult } from './write/write-table.ts';
export type { WriteSource } from './write/stage-batch.ts';
export type { Row } from './write/row-validation.ts';
export { validateRows } from './write/row-validation.ts';
export { commitWithRetry, type CommitRequest, type CommitResult, type CommitOptions } from './commit.ts';
export { checkWinningCommit, type PendingCommit, type ConflictVerdict } from './conflicts.ts';
export { writeCheckpoint, maybeCheckpoint } from './checkpoint.ts';
export { optimizeTable, type OptimizeOptions, type OptimizeResult } from './maintenance/optimize.ts';
export { vacuumTable, type VacuumOptions, type VacuumResult } from './maintenance/vacuum.ts';
export { restoreTable, type RestoreResult } from './maintenance/restore.ts';
export { serializeSchema, toDuckDbType, field, primitive } from './write/schema-json.ts';
export { reconcileSchema } from './write/schema-evolution.ts';
export { escapePartitionValue, partitionFolder, encodeAddPath } from './write/partition-values.ts';
export { parseDuration } from './table-properties.ts';
export type { SqlEngine, SqlSession, ScratchSpace, AppendColumn, AppendType, WrittenParquet, ParquetLeafStats, WriteParquetOptions } from './sql-engine.ts';
export { ENGINE_INFO, loadSnapshotIfExists, type WriterContext, type SnapshotCache } from './writer-context.ts';

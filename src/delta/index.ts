/**
 * The public surface of the Delta reader: storage and parquet seams, snapshot loading and refresh, time travel,
 * history, log paths, schema parsing, file statistics, scan SQL (deletion vectors, column mapping), the change
 * data feed plan and the error type.
 */
export * from './actions.ts';
export { DeltaError, isDeltaError, DELTA_ERROR_CODES, type DeltaErrorCode } from './errors.ts';
export type * from './schema-types.ts';
export type { DeltaStorage, FileMeta } from './storage.ts';
export type { ParquetReader } from './parquet-reader.ts';
export type { Snapshot } from './snapshot.ts';
export { loadSnapshot, refreshSnapshot, type LoadSnapshotOptions } from './load-snapshot.ts';
export { versionAtTimestamp } from './time-travel.ts';
export { loadHistory, type HistoryEntry, type LoadHistoryOptions } from './history.ts';
export { fileStats } from './file-stats.ts';
export { parseSchema } from './schema.ts';
export { deletionVectorUniqueId, fileKey } from './replay.ts';
export {
  READER_FEATURES,
  ensureProtocolSupported,
  ensureFilesSupported,
  columnMappingMode,
  type KnownReaderFeature,
  type ReadSupport,
} from './table-features.ts';
export { listLogFiles } from './log-listing.ts';
export { buildLogSegment, type LogSegment, type CheckpointFiles } from './log-segment.ts';
export { loadLastCheckpoint, type LastCheckpointHint } from './last-checkpoint.ts';
export { commitTimestamp, inCommitTimestampsEnabled } from './commit-timestamp.ts';
export {
  LOG_DIR,
  LAST_CHECKPOINT_PATH,
  parseLogFileName,
  padVersion,
  commitPath,
  checkpointPath,
  multipartCheckpointPath,
  v2CheckpointPath,
  crcPath,
  type LogFile,
  type LogFileName,
  type LogFileKind,
} from './log-path.ts';
export { parsePartitionValue, parsePartitionValues, physicalName } from './partition-values.ts';
export { bindPredicate, type Predicate, type BoundPredicate, type ComparisonOp, type MatchOp, type ColumnRef } from './predicate.ts';
export { planScan, type ScanPlan, type PlannedFile, type ScanStats, type PlanScanOptions } from './scan-planner.ts';
export { buildScanSql, ensureScannable, type ScanSqlOptions, type ScanSql, type ScanColumn, type OrderBy } from './scan-sql.ts';
export { duckDbType, quoteIdent, quoteString } from './sql-text.ts';
export type { DeletedRowsRef, SourceFile, SourceOptions } from './scan-source-sql.ts';
export { columnMappingModeOf, physicalNaming, logicalExpr, type ColumnMappingMode, type PhysicalNaming } from './column-projection.ts';
export {
  loadDeletionVector,
  deletionVectorLocation,
  storageFileReader,
  type DeletionVectorFileReader,
  type DeletionVectorLocation,
} from './deletion-vector.ts';
export { encodeDeletionVectorFile, inlineDeletionVector } from './deletion-vector-encoder.ts';
export { planChanges, type ChangePlan, type ChangeFile, type ChangeType, type RowSelection, type PlanChangesOptions } from './change-data-feed.ts';
export type { ScalarValue, DecimalValue } from './scalar-values.ts';

/**
 * The entry point of the Delta layer, in read-path order: the storage and parquet seams, log files (paths,
 * listing, segments, commits, checkpoints, history), snapshots (replay, time travel, features, schema), values,
 * scan planning and SQL (pruning, deletion vectors, column mapping), the change data feed plan and the error
 * type. Every other part of the gateway imports the reader from here and the writer from writer/index.ts;
 * only tests reach past them.
 */
export * from './log/actions.ts';
export { DeltaError, isDeltaError, DELTA_ERROR_CODES, type DeltaErrorCode } from './errors.ts';
export type * from './snapshot/schema-types.ts';
export type { DeltaStorage, FileMeta } from './storage.ts';
export type { ParquetReader } from './parquet-reader.ts';
export type { Snapshot } from './snapshot/snapshot.ts';
export { loadSnapshot, refreshSnapshot, type LoadSnapshotOptions } from './snapshot/load-snapshot.ts';
export { versionAtTimestamp } from './snapshot/time-travel.ts';
export { loadHistory, type HistoryEntry, type LoadHistoryOptions } from './log/history.ts';
export { fileStats } from './values/file-stats.ts';
export { parseSchema } from './snapshot/schema.ts';
export { deletionVectorUniqueId, fileKey } from './snapshot/replay.ts';
export {
  READER_FEATURES,
  ensureProtocolSupported,
  ensureFilesSupported,
  columnMappingMode,
  type KnownReaderFeature,
  type ReadSupport,
} from './snapshot/table-features.ts';
export { listLogFiles } from './log/log-listing.ts';
export { buildLogSegment, type LogSegment, type CheckpointFiles } from './log/log-segment.ts';
export { loadLastCheckpoint, type LastCheckpointHint } from './log/last-checkpoint.ts';
export { commitTimestamp, inCommitTimestampsEnabled } from './log/commit-timestamp.ts';
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
} from './log/log-path.ts';
export { parsePartitionValue, parsePartitionValues, physicalName, partitionFieldsOf } from './values/partition-values.ts';
export { coerceScalar } from './values/predicate-values.ts';
export { bindPredicate, type Predicate, type BoundPredicate, type ComparisonOp, type MatchOp, type ColumnRef } from './scan/predicate.ts';
export type { ScanSpec } from './scan/scan-spec.ts';
export { planScan, withColumns, type ScanPlan, type PlannedFile, type ScanStats, type PlanScanOptions } from './scan/scan-planner.ts';
export { buildScanSql, ensureScannable, type ScanSqlOptions, type ScanSql, type ScanColumn, type OrderBy } from './scan/scan-sql.ts';
export { duckDbType, quoteIdent, quoteString } from './scan/sql-text.ts';
export { sourceSql, type DeletedRowsRef, type SourceFile, type SourceOptions } from './scan/scan-source-sql.ts';
export { predicateSql } from './scan/predicate-sql.ts';
export { columnMappingModeOf, physicalNaming, logicalExpr, hasVariant, type ColumnMappingMode, type PhysicalNaming } from './scan/column-projection.ts';
export {
  loadDeletionVector,
  deletionVectorLocation,
  storageFileReader,
  type DeletionVectorFileReader,
  type DeletionVectorLocation,
} from './deletion-vectors/deletion-vector.ts';
export { encodeDeletionVectorFile, inlineDeletionVector } from './deletion-vectors/deletion-vector-encoder.ts';
export { planChanges, type ChangePlan, type ChangeFile, type ChangeType, type RowSelection, type PlanChangesOptions } from './scan/change-data-feed.ts';
export { formatDate, formatTimestampMicros, type ScalarValue, type DecimalValue } from './values/scalar-values.ts';

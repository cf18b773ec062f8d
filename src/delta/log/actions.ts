/**
 * Delta log actions (PROTOCOL.md "Actions"): the typed shapes of add, remove, metaData, protocol, commitInfo,
 * txn, cdc, domainMetadata, checkpointMetadata and sidecar as they appear in commits and checkpoints.
 * Field names follow the protocol exactly; optional fields are optional here too.
 */

/** Deletion vector descriptor: storageType u (relative uuid file), i (inline), p (absolute path). */
export interface DeletionVectorDescriptor {
  storageType: 'u' | 'i' | 'p';
  pathOrInlineDv: string;
  offset?: number;
  sizeInBytes: number;
  cardinality: number;
  maxRowIndex?: number;
}

/** Per-file statistics (the `stats` JSON string, or `stats_parsed` in checkpoints), keyed by physical column. */
export interface FileStats {
  numRecords?: number;
  minValues?: Record<string, unknown>;
  maxValues?: Record<string, unknown>;
  nullCount?: Record<string, unknown>;
  tightBounds?: boolean;
}

export interface Add {
  /** URL-encoded path relative to the table root, or an absolute URI. */
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  modificationTime: number;
  dataChange: boolean;
  stats?: string;
  /** Parsed stats, from `stats` or from a checkpoint's `stats_parsed`. */
  statsParsed?: FileStats;
  tags?: Record<string, string | null>;
  deletionVector?: DeletionVectorDescriptor;
  baseRowId?: number;
  defaultRowCommitVersion?: number;
  clusteringProvider?: string;
}

export interface Remove {
  path: string;
  deletionTimestamp?: number;
  dataChange: boolean;
  extendedFileMetadata?: boolean;
  partitionValues?: Record<string, string | null>;
  size?: number;
  stats?: string;
  tags?: Record<string, string | null>;
  deletionVector?: DeletionVectorDescriptor;
  baseRowId?: number;
  defaultRowCommitVersion?: number;
}

export interface Metadata {
  id: string;
  name?: string | null;
  description?: string | null;
  format: { provider: string; options?: Record<string, string> };
  schemaString: string;
  partitionColumns: string[];
  createdTime?: number | null;
  configuration: Record<string, string>;
}

export interface Protocol {
  minReaderVersion: number;
  minWriterVersion: number;
  readerFeatures?: string[];
  writerFeatures?: string[];
}

export interface CommitInfo {
  timestamp?: number;
  inCommitTimestamp?: number;
  operation?: string;
  operationParameters?: Record<string, unknown>;
  operationMetrics?: Record<string, unknown>;
  engineInfo?: string;
  isBlindAppend?: boolean;
  readVersion?: number;
  [key: string]: unknown;
}

export interface Txn {
  appId: string;
  version: number;
  lastUpdated?: number;
}

export interface Cdc {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  dataChange: boolean;
  tags?: Record<string, string | null>;
}

export interface DomainMetadata {
  domain: string;
  configuration: string;
  removed: boolean;
}

export interface CheckpointMetadata {
  version: number;
  tags?: Record<string, string>;
}

export interface Sidecar {
  path: string;
  sizeInBytes: number;
  modificationTime: number;
  tags?: Record<string, string>;
}

/** One line (or JSON value) of a commit file; exactly one key is set. Unknown action kinds are ignored. */
export type Action =
  | { add: Add }
  | { remove: Remove }
  | { metaData: Metadata }
  | { protocol: Protocol }
  | { commitInfo: CommitInfo }
  | { txn: Txn }
  | { cdc: Cdc }
  | { domainMetadata: DomainMetadata }
  | { checkpointMetadata: CheckpointMetadata }
  | { sidecar: Sidecar };

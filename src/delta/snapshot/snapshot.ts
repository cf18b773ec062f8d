/**
 * A Snapshot is the state of a table at one version (PROTOCOL.md "Action Reconciliation"): protocol, metadata
 * and schema, the live files, application transaction versions and domain metadata, plus the commit time.
 * Built by log replay (load-snapshot.ts); consumed by scan planning and every reader above src/delta.
 */
import type { Add, DomainMetadata, Metadata, Protocol, Txn } from '../log/actions.ts';
import type { StructType } from './schema-types.ts';

export interface Snapshot {
  /** Where the table lives (DeltaStorage.root). */
  readonly tableRoot: string;
  readonly version: number;
  readonly protocol: Protocol;
  readonly metadata: Metadata;
  /** Logical schema parsed from metadata.schemaString. */
  readonly schema: StructType;
  readonly partitionColumns: readonly string[];
  /** Live files after reconciliation; identity is (path, deletion vector id). */
  readonly files: readonly Add[];
  /** Latest txn version per appId. */
  readonly appTransactions: ReadonlyMap<string, Txn>;
  /** Live (not removed) domain metadata by domain name. */
  readonly domainMetadata: ReadonlyMap<string, DomainMetadata>;
  /** Commit timestamp of `version` in ms: the in-commit timestamp when enabled, else commitInfo.timestamp, else the file's mtime. */
  readonly timestamp: number;
}

/**
 * What a scan of one snapshot asks for (PROTOCOL.md leaves reading to the engine; this is our read request):
 * the snapshot, a predicate for pruning and filtering, the columns, order and window. The GraphQL resolvers and
 * the CLI's scans both extend it with what they run it on.
 */
import type { Predicate } from './predicate.ts';
import type { OrderBy } from './scan-sql.ts';
import type { Snapshot } from '../snapshot/snapshot.ts';
import type { DeltaStorage } from '../storage.ts';

export interface ScanSpec {
  storage: DeltaStorage;
  snapshot: Snapshot;
  predicate?: Predicate;
  /** Top-level column names; default all, in schema order. */
  columns?: readonly string[];
  orderBy?: readonly OrderBy[];
  limit?: number;
  offset?: number;
  /** Break ties by file and row position so offset pages are stable (costs a sort; row pages only). */
  stableOrder?: boolean;
}

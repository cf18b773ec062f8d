/**
 * What a reader asks the scan executor for, and what every answer reports back. A request is a table scan (one
 * snapshot's rows) or a change scan (the change data feed of a version range); both carry the predicate and the
 * window, so the policy of the next issue can add its row filter and column masks to either in one place.
 */
import type { ChangePlan, DataType, DeltaStorage, PlannedFile, Predicate, ScanPlan, ScanSpec, Snapshot } from '../../delta/index.ts';

/**
 * The rows of one snapshot (ScanSpec: storage, snapshot, predicate, columns, orderBy, limit, offset,
 * stableOrder). The predicate prunes files by partition values and stats and filters rows with bound parameters;
 * `columns` is the projection. Policy seam: the security issue merges the principal's row filter into
 * `predicate` (AND) and applies column masks to the projection here, before the executor plans, so every
 * reader gets them.
 */
export interface TableScanRequest extends ScanSpec {
  changes?: undefined;
  /** Raw DuckDB filter over logical column names: trusted callers only (the CLI user on their own machine). */
  rawWhere?: string;
  /** Reads only the planned files this keeps: trusted callers only (an incremental bulk load's added files). */
  files?: (file: PlannedFile) => boolean;
}

/**
 * The row changes of versions `from`..`to` (as delta-rs `load_cdf`): the data columns of the ending version's
 * schema plus `_change_type`, `_commit_version` and `_commit_timestamp`. With `limit` or `offset`, rows come in
 * a stable order (commit version, change type, then the scalar data columns); without, in no particular order.
 */
export interface ChangeScanRequest {
  storage: DeltaStorage;
  changes: {
    /** First version (inclusive). */
    from: number;
    /** Last version (inclusive); default the latest. */
    to?: number;
    /** The table at `to` when the caller holds it (saves loading it again). */
    snapshot?: Snapshot;
    /** Only changes of these `_change_type` values (bound as parameters); all when absent. */
    changeTypes?: readonly string[];
  };
  /** Only changes whose row matches (columns of the ending version's schema; values bound as parameters). */
  predicate?: Predicate;
  limit?: number;
  offset?: number;
}

export type ScanRequest = TableScanRequest | ChangeScanRequest;

/** What a scan read: files of the version, files read and skipped by pruning, their bytes and rows (from stats). */
export interface ScanFigures {
  readonly filesTotal: number;
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly bytesScanned: number;
  /** Rows in the files read, from their stats (0 where stats lack numRecords, and for change scans). */
  readonly rowsScanned: number;
}

/** Where a scan's time went: planning (pruning, footers, deletion vectors, SQL) and running its SQL in DuckDB. */
export interface ScanTimings {
  readonly planningMs: number;
  readonly duckdbMs: number;
}

/** A column of a scan's result: its name, and its Delta type for data columns (none for the change columns). */
export interface ResultColumn {
  readonly name: string;
  readonly type?: DataType;
}

/** A scan ready to run: its SQL, the bound parameters ($1..$n) and the columns it returns. */
export interface PreparedScan {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly columns: readonly ResultColumn[];
  readonly figures: ScanFigures;
}

export function isChangeScan(request: ScanRequest): request is ChangeScanRequest {
  return request.changes !== undefined;
}

/**
 * Plans kept for one request (created with the request's loaders): a row page and its totalCount, or the pages
 * of a backfill, prune the files once; a change feed page and its count read the log once.
 */
export interface ScanPlanCache {
  readonly tables: Map<string, { snapshot: Snapshot; plan: ScanPlan }>;
  readonly changes: Map<string, Promise<ChangePlan>>;
}

export function createScanPlanCache(): ScanPlanCache {
  return { tables: new Map(), changes: new Map() };
}

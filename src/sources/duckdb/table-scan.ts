/**
 * A table scan's two steps for the executor: plan (partition and stats pruning, once per request and predicate
 * when the request keeps a plan cache) and prepare on the held connection (the scan context: footers, deletion
 * vectors, variants; then the SQL with bound parameters).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildScanSql, planScan, withColumns, type ScanPlan } from '../../delta/index.ts';
import { toTaggedJson } from '../cache/cache-codec.ts';
import type { DuckDbEngine } from './duckdb-engine.ts';
import { loadScanContext } from './scan-context.ts';
import type { PreparedScan, ScanFigures, ScanPlanCache, TableScanRequest } from './scan-request.ts';

/**
 * The request's plan: files pruned by its predicate (reused from `cache` for the same table, version and
 * predicate), projected to its columns, restricted to its `files` selection. `onPlan` runs when pruning ran.
 * @throws DeltaError INVALID_ARGUMENT (columns, predicate), CORRUPT_LOG (partition values), as planScan
 */
export function planTableScan(request: TableScanRequest, cache: ScanPlanCache | undefined, onPlan: () => void): ScanPlan {
  const key = toTaggedJson([request.storage.root, request.snapshot.version, request.predicate ?? null]); // bigints too
  let pruned = cache?.tables.get(key);
  if (!pruned || pruned.snapshot !== request.snapshot) {
    onPlan();
    pruned = { snapshot: request.snapshot, plan: planScan(request.snapshot, { predicate: request.predicate }) };
    cache?.tables.set(key, pruned);
  }
  const plan = withColumns(pruned.plan, request.columns);
  return request.files ? { ...plan, files: plan.files.filter(request.files) } : plan;
}

/** What a plan reads: files kept and skipped, their bytes and rows (from stats). */
export function figuresOf(plan: ScanPlan): ScanFigures {
  let bytesScanned = 0;
  let rowsScanned = 0;
  for (const f of plan.files) {
    bytesScanned += f.add.size ?? 0;
    rowsScanned += f.numRecords ?? 0;
  }
  const { filesTotal } = plan.stats;
  return { filesTotal, filesScanned: plan.files.length, filesSkipped: filesTotal - plan.files.length, bytesScanned, rowsScanned };
}

/**
 * The plan's SQL, built on `c` (footers read and deletion vectors registered there the first time they are met),
 * so the SQL then runs on the same connection.
 * @throws DeltaError UNSUPPORTED_FEATURE (column mapping mode, variants), CORRUPT_DATA / CORRUPT_LOG (deletion
 *   vectors, field ids), INVALID_ARGUMENT (order columns, limit, offset)
 */
export async function prepareTableScan(engine: DuckDbEngine, c: DuckDBConnection, request: TableScanRequest, plan: ScanPlan): Promise<PreparedScan> {
  const context = await loadScanContext(engine, c, request.storage, plan);
  const sql = buildScanSql(plan, {
    ...context,
    orderBy: request.orderBy,
    limit: request.limit,
    offset: request.offset,
    rawWhere: request.rawWhere,
    stableOrder: request.stableOrder === true,
  });
  return { ...sql, figures: figuresOf(plan) };
}

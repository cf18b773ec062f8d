/**
 * Runs one Delta scan for a resolver: plan (partition and stats pruning), build the DuckDB query, execute it
 * under the request deadline, and record timings and file figures in the request trace.
 */
import type { Snapshot } from '../delta/snapshot.ts';
import type { DeltaStorage } from '../delta/storage.ts';
import type { Predicate } from '../delta/predicate.ts';
import { planScan, type ScanPlan } from '../delta/scan-planner.ts';
import { buildScanSql, type OrderBy } from '../delta/scan-sql.ts';
import type { GatewayContext } from './context.ts';

export interface ScanRequest {
  storage: DeltaStorage;
  snapshot: Snapshot;
  predicate?: Predicate;
  columns?: readonly string[];
  orderBy?: readonly OrderBy[];
  limit?: number;
  offset?: number;
}

/** Plans the scan and builds its SQL; the SQL's params are bound parameters for DuckDB. */
export async function prepareScan(ctx: GatewayContext, request: ScanRequest) {
  return ctx.trace.time('planning', () => {
    const plan = planScan(request.snapshot, { predicate: request.predicate, columns: request.columns });
    const scan = buildScanSql(plan, {
      locate: (add) => request.storage.resolve(add.path),
      orderBy: request.orderBy,
      limit: request.limit,
      offset: request.offset,
      stableOrder: true,
    });
    return { plan, scan };
  });
}

/** Records what a plan read: files scanned and skipped, rows in the scanned files (from stats). */
export function recordPlan(ctx: GatewayContext, plan: ScanPlan): void {
  const rows = plan.files.reduce((sum, f) => sum + (f.numRecords ?? 0), 0);
  ctx.trace.recordScan({ filesTotal: plan.stats.filesTotal, filesScanned: plan.stats.filesScanned, filesSkipped: plan.stats.filesSkipped, rowsScanned: rows });
}

/** Runs SQL through DuckDB under the request deadline, timed as DuckDB time. */
export function runQuery(ctx: GatewayContext, sql: string, params: unknown[]) {
  return ctx.trace.time('duckdb', () => ctx.engine.query(sql, params, { timeoutMs: ctx.limits.queryTimeoutMs }));
}

/** Scan rows for a request. */
export async function scanRows(ctx: GatewayContext, request: ScanRequest): Promise<Record<string, unknown>[]> {
  const { plan, scan } = await prepareScan(ctx, request);
  recordPlan(ctx, plan);
  return runQuery(ctx, scan.sql, scan.params);
}

/** COUNT(*) of the rows a request matches (limit and offset ignored). */
export async function countRows(ctx: GatewayContext, request: ScanRequest): Promise<number> {
  const { scan } = await prepareScan(ctx, { ...request, orderBy: undefined, limit: undefined, offset: undefined, columns: request.columns?.slice(0, 1) });
  const rows = await runQuery(ctx, `SELECT count(*) AS n FROM (${scan.sql}) AS counted`, scan.params);
  return Number(rows[0]?.n ?? 0);
}

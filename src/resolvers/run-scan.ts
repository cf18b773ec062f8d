/**
 * Runs one Delta scan for a resolver: plan (partition and stats pruning), build the DuckDB query, execute it
 * under the request deadline, and record timings and file figures in the request trace. Row scans of a catalog
 * table are keyed in the query cache by their normalised request, so a hit neither plans nor builds SQL.
 */
import { type ScanSpec, planScan, withColumns, type ScanPlan, buildScanSql } from '../delta/index.ts';
import { loadScanContext } from '../sources/duckdb/delta-scan.ts';
import type { CacheKind } from '../sources/cache/query-cache.ts';
import { toTaggedJson } from '../sources/cache/cache-codec.ts';
import type { GatewayContext } from './context.ts';
import type { ScanFigures } from './request-trace.ts';

export interface ScanRequest extends ScanSpec {
  /** Catalog name of the table; with it, results go through the query cache (keyed by it and the version). */
  table?: string;
}

/**
 * Plans the scan and builds its SQL; the SQL's params are bound parameters for DuckDB. The data files' columns
 * (footers read once per file, then cached) let columns added by schema evolution read as NULL and keep
 * union_by_name off when the files agree.
 */
export async function prepareScan(ctx: GatewayContext, request: ScanRequest) {
  return ctx.trace.time('planning', async () => {
    const plan = planScan(request.snapshot, { predicate: request.predicate, columns: request.columns });
    return { plan, scan: await buildScan(ctx, request, plan) };
  });
}

/**
 * The DuckDB query of a planned scan (reads the data files' footers, and registers their deletion vectors in
 * DuckDB, the first time it meets them).
 */
async function buildScan(ctx: GatewayContext, request: ScanRequest, plan: ScanPlan) {
  return buildScanSql(plan, {
    ...(await loadScanContext(ctx.engine, request.storage, plan)),
    orderBy: request.orderBy,
    limit: request.limit,
    offset: request.offset,
    stableOrder: request.stableOrder === true,
  });
}

/** What a plan reads: files scanned and skipped, rows in the scanned files (from stats). */
function figuresOf(plan: ScanPlan): ScanFigures {
  const rows = plan.files.reduce((sum, f) => sum + (f.numRecords ?? 0), 0);
  return { filesTotal: plan.stats.filesTotal, filesScanned: plan.stats.filesScanned, filesSkipped: plan.stats.filesSkipped, rowsScanned: rows };
}

/** Records what a plan read in the request trace. */
export function recordPlan(ctx: GatewayContext, plan: ScanPlan): void {
  ctx.trace.recordScan(figuresOf(plan));
}

/** What a query reads, for the cache key: the table and its snapshot version (the SQL names its files). */
export interface CacheScope {
  table: string;
  version: number;
  /** Picks the TTL (row pages vs analytics). */
  kind: CacheKind;
}

/**
 * Runs SQL through DuckDB under the request deadline, timed as DuckDB time. With a scope, the result is read
 * through the query cache (the request's `x-cache: bypass` skips it) and the outcome lands in the trace.
 */
export async function runQuery(ctx: GatewayContext, sql: string, params: unknown[], scope?: CacheScope): Promise<Record<string, unknown>[]> {
  const run = () => timedQuery(ctx, sql, params);
  if (!scope || !ctx.cache) return run();
  return throughCache(ctx, ctx.cache.keyFor(scope.table, scope.version, sql, params), scope.kind, run);
}

/** One DuckDB query under the request deadline, counted as DuckDB time. */
function timedQuery(ctx: GatewayContext, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return ctx.trace.time('duckdb', () => ctx.engine.query(sql, params, { timeoutMs: ctx.limits.queryTimeoutMs }));
}

/** Reads `key` through the query cache (honouring `x-cache: bypass`) and records the outcome in the trace. */
async function throughCache<T>(ctx: GatewayContext, key: string, kind: CacheKind, compute: () => Promise<T>): Promise<T> {
  const cache = ctx.cache!;
  const { value, status } = await cache.getOrCompute(key, compute, { ttlMs: cache.ttlFor(kind), noCache: ctx.cacheBypass });
  ctx.trace.recordCache(status);
  return value;
}

/**
 * Everything a scan's answer depends on besides the data of the table version: the table's identity (location and
 * the Delta table id, so a table recreated in place gets new keys) and the normalised request. The SQL built from
 * it is a pure function of these and the version's (immutable) files, so equal identities mean equal answers.
 */
function scanIdentity(request: ScanRequest, mode: 'rows' | 'count') {
  return {
    mode,
    root: request.storage.root,
    tableId: request.snapshot.metadata.id,
    predicate: request.predicate ?? null,
    columns: request.columns ?? null,
    orderBy: request.orderBy?.map((o) => [o.column, o.direction]) ?? null,
    limit: request.limit ?? null,
    offset: request.offset ?? null,
    stableOrder: request.stableOrder === true,
    answer: 'rows+figures', // the shape of the cached value (ScanAnswer)
  };
}

/** File pruning per request, snapshot and predicate: a row page and its totalCount prune the files once. */
const prunedByRequest = new WeakMap<object, Map<string, ScanPlan>>();

function planFor(ctx: GatewayContext, request: ScanRequest): ScanPlan {
  let plans = prunedByRequest.get(ctx.trace);
  if (!plans) prunedByRequest.set(ctx.trace, (plans = new Map()));
  const key = toTaggedJson([request.storage.root, request.snapshot.version, request.predicate ?? null]); // bigints too
  let pruned = plans.get(key);
  if (!pruned || pruned.snapshot !== request.snapshot) plans.set(key, (pruned = planScan(request.snapshot, { predicate: request.predicate })));
  return withColumns(pruned, request.columns);
}

/**
 * Runs `toSql(scan)` through the query cache when the request names a catalog table: the key comes from the
 * request (scanIdentity), and the scan is planned and its SQL built only on a miss.
 */
async function runScan(ctx: GatewayContext, request: ScanRequest, mode: 'rows' | 'count', toSql: (scan: { sql: string; params: unknown[] }) => string) {
  // Planning is part of the miss: a hit answers with the rows and the scan figures stored beside them, so its
  // cost does not grow with the table's file count.
  const compute = async (): Promise<ScanAnswer> => {
    const plan = await ctx.trace.time('planning', () => planFor(ctx, request));
    const scan = await ctx.trace.time('planning', () => buildScan(ctx, request, plan));
    return { rows: await timedQuery(ctx, toSql(scan), scan.params), figures: figuresOf(plan) };
  };
  const answer = request.table === undefined
    ? await compute()
    : await cachedByRequest(ctx, { table: request.table, version: request.snapshot.version, kind: 'rows' }, scanIdentity(request, mode), compute);
  if (mode === 'rows') ctx.trace.recordScan(answer.figures);
  return answer.rows;
}

/** A scan's result as cached: the rows and what the scan read to produce them. */
interface ScanAnswer {
  rows: Record<string, unknown>[];
  figures: ScanFigures;
}

/**
 * Reads a result through the query cache under a key made from `identity`, a normalised request that, with the
 * table version, determines the answer; computes it directly when there is no cache.
 */
export async function cachedByRequest<T>(ctx: GatewayContext, scope: CacheScope, identity: unknown, compute: () => Promise<T>): Promise<T> {
  if (!ctx.cache) return compute();
  return throughCache(ctx, ctx.cache.requestKeyFor(scope.table, scope.version, identity), scope.kind, compute);
}

/** Scan rows for a request. */
export async function scanRows(ctx: GatewayContext, request: ScanRequest): Promise<Record<string, unknown>[]> {
  return runScan(ctx, request, 'rows', (scan) => scan.sql);
}

/** COUNT(*) of the rows a request matches (limit and offset ignored). */
export async function countRows(ctx: GatewayContext, request: ScanRequest): Promise<number> {
  const counted = { ...request, orderBy: undefined, limit: undefined, offset: undefined, columns: request.columns?.slice(0, 1) };
  const rows = await runScan(ctx, counted, 'count', (scan) => `SELECT count(*) AS n FROM (${scan.sql}) AS counted`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * How resolvers read through the scan executor: they keep only the cache key (the normalised request), the
 * request's limits (deadline, plan cache) and the trace (timings and scan figures). Row scans of a catalog
 * table are read through the query cache under their request, so a hit neither plans nor builds SQL.
 */
import type { CacheKind } from '../sources/cache/query-cache.ts';
import type { ScanOptions, ScanOutcome } from '../sources/duckdb/scan-executor.ts';
import type { ScanFigures, TableScanRequest } from '../sources/duckdb/scan-request.ts';
import type { RowValues } from '../sources/duckdb/result-rows.ts';
import type { GatewayContext } from './context.ts';

export interface ScanRequest extends TableScanRequest {
  /** Catalog name of the table; with it, results go through the query cache (keyed by it and the version). */
  table?: string;
}

/** What a query reads, for the cache key: the table and its snapshot version. */
export interface CacheScope {
  table: string;
  version: number;
  /** Picks the TTL (row pages vs analytics). */
  kind: CacheKind;
}

/** A scan's result as cached: the rows and what the scan read to produce them. */
export interface ScanAnswer {
  rows: Record<string, unknown>[];
  figures: ScanFigures;
}

/** The executor options of this request: its deadline, its plan cache, and the row shape asked for. */
export function scanOptions(ctx: GatewayContext, values?: RowValues): ScanOptions {
  return { timeoutMs: ctx.limits.queryTimeoutMs, plans: ctx.loaders.scanPlans, ...(values ? { values } : {}) };
}

/** Records an executor answer's timings in the trace; returns the rows and figures to cache. */
export function answerOf(ctx: GatewayContext, result: ScanOutcome & { rows: Record<string, unknown>[] }): ScanAnswer {
  ctx.trace.recordTimings(result.timings);
  return { rows: result.rows, figures: result.figures };
}

/** Reads `key` through the query cache (honouring `x-cache: bypass`) and records the outcome in the trace. */
async function throughCache<T>(ctx: GatewayContext, key: string, kind: CacheKind, compute: () => Promise<T>): Promise<T> {
  const cache = ctx.cache!;
  const { value, status } = await cache.getOrCompute(key, compute, { ttlMs: cache.ttlFor(kind), noCache: ctx.cacheBypass });
  ctx.trace.recordCache(status);
  return value;
}

/**
 * Reads a result through the query cache under a key made from `identity`, a normalised request that, with the
 * table version, determines the answer; computes it directly when there is no cache.
 */
export async function cachedByRequest<T>(ctx: GatewayContext, scope: CacheScope, identity: unknown, compute: () => Promise<T>): Promise<T> {
  if (!ctx.cache) return compute();
  return throughCache(ctx, ctx.cache.requestKeyFor(scope.table, scope.version, identity), scope.kind, compute);
}

/**
 * Everything a scan's answer depends on besides the data of the table version: the table's identity (location and
 * the Delta table id, so a table recreated in place gets new keys) and the normalised request. A count depends on
 * the predicate alone.
 */
function scanIdentity(request: ScanRequest, mode: 'rows' | 'count') {
  const table = { root: request.storage.root, tableId: request.snapshot.metadata.id, predicate: request.predicate ?? null };
  if (mode === 'count') return { mode, ...table, answer: 'rows+figures' };
  return {
    mode,
    ...table,
    columns: request.columns ?? null,
    orderBy: request.orderBy?.map((o) => [o.column, o.direction]) ?? null,
    limit: request.limit ?? null,
    offset: request.offset ?? null,
    stableOrder: request.stableOrder === true,
    answer: 'rows+figures', // the shape of the cached value (ScanAnswer)
  };
}

/** Answers through the cache when the request names a catalog table; planning is part of the miss. */
function answer(ctx: GatewayContext, request: ScanRequest, mode: 'rows' | 'count', compute: () => Promise<ScanAnswer>): Promise<ScanAnswer> {
  if (request.table === undefined) return compute();
  return cachedByRequest(ctx, { table: request.table, version: request.snapshot.version, kind: 'rows' }, scanIdentity(request, mode), compute);
}

/** Scan rows for a request (native values); a hit reports the figures of the scan its answer came from. */
export async function scanRows(ctx: GatewayContext, request: ScanRequest): Promise<Record<string, unknown>[]> {
  const { rows, figures } = await answer(ctx, request, 'rows', async () => answerOf(ctx, await ctx.scans.rows(request, scanOptions(ctx))));
  ctx.trace.recordScan(figures);
  return rows;
}

/** COUNT(*) of the rows a request matches (limit, offset and order ignored). */
export async function countRows(ctx: GatewayContext, request: ScanRequest): Promise<number> {
  const { rows } = await answer(ctx, request, 'count', async () => {
    const counted = await ctx.scans.count(request, scanOptions(ctx));
    return answerOf(ctx, { ...counted, rows: [{ n: counted.count }] });
  });
  return Number(rows[0]?.n ?? 0);
}

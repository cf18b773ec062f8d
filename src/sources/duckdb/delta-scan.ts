/**
 * Scans and exports of Delta tables through the process's DuckDB (DESIGN.md decision 2): plan the scan on the
 * snapshot (pruning), build its SQL, run it on a pooled connection with bound parameters and a deadline, and
 * hand back JSON-safe rows, or COPY the result to a parquet, CSV or JSON-lines file.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { DeltaError, type ScanStats, planScan, type ScanColumn, type ScanSql, buildScanSql, type ScanSpec, quoteString } from '../../delta/index.ts';
import { type DuckDbEngine, withDeadline } from './duckdb-engine.ts';
import { type JsonValue, toJsonRow } from './duckdb-json.ts';
import { scanContextOn } from './scan-context.ts';

export { deletedRowsRegistry, fileColumnsOn, loadScanContext, type ScanContext } from './scan-context.ts';

export interface ScanTableOptions extends ScanSpec {
  engine: DuckDbEngine;
  /** Interrupts the query after this many ms (QueryTimeoutError). */
  timeoutMs?: number;
  /** Raw DuckDB filter over logical column names, for trusted callers only (the CLI). */
  rawWhere?: string;
}

export interface ScanResult {
  rows: Record<string, JsonValue>[];
  columns: readonly ScanColumn[];
  stats: ScanStats;
}

export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

export interface ExportOptions {
  format: ExportFormat;
  /** File to write (replaced). */
  output: string;
}

export const COPY_FORMATS: Record<ExportFormat, string> = {
  parquet: 'FORMAT parquet',
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
};

/** Plans the scan and builds its SQL on `c` (reading footers and DVs only for files not seen before). */
async function prepareScan(c: DuckDBConnection, opts: ScanTableOptions): Promise<{ sql: ScanSql; stats: ScanStats }> {
  const plan = planScan(opts.snapshot, { predicate: opts.predicate, columns: opts.columns });
  const context = await scanContextOn(opts.engine, c, opts.storage, plan);
  const sql = buildScanSql(plan, {
    ...context,
    orderBy: opts.orderBy,
    limit: opts.limit,
    offset: opts.offset,
    rawWhere: opts.rawWhere,
    stableOrder: opts.stableOrder,
  });
  return { sql, stats: plan.stats };
}

/** Runs `fn` on a pooled connection (the engine sets them to UTC) under the query deadline (withDeadline). */
export async function withScanConnection<T>(engine: DuckDbEngine, timeoutMs: number | undefined, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  return engine.withConnection((c) => withDeadline(c, timeoutMs, () => fn(c)));
}

/** Runs one prepared statement with bound parameters and reads all of its rows. */
export async function runPrepared(c: DuckDBConnection, sql: string, params: unknown[]) {
  const stmt = await c.prepare(sql);
  try {
    if (params.length > 0) stmt.bind(params as DuckDBValue[]);
    return await stmt.runAndReadAll();
  } finally {
    stmt.destroySync();
  }
}

/**
 * Reads rows of a snapshot: pruned by partition values and stats, filtered by `predicate`, projected, ordered,
 * limited. Values are JSON-safe (see duckdb-json.ts).
 * @throws DeltaError INVALID_ARGUMENT (columns, predicate, order, limit), UNSUPPORTED_FEATURE (column mapping
 *   mode), CORRUPT_LOG (partition values, DV descriptors), IO_ERROR / CORRUPT_DATA (data and DV files);
 *   QueryTimeoutError past `timeoutMs`
 */
export async function scanTable(opts: ScanTableOptions): Promise<ScanResult> {
  return withScanConnection(opts.engine, opts.timeoutMs, async (c) => {
    const { sql, stats } = await prepareScan(c, opts);
    const reader = await runPrepared(c, sql.sql, sql.params);
    const rows = (reader.getRowObjects() as Record<string, DuckDBValue>[]).map(toJsonRow);
    return { rows, columns: sql.columns, stats };
  });
}

/**
 * Runs SQL composed over a scan (aggregates, joins): `wrap` receives the scan query as a subquery text and
 * returns the full statement; the scan's bound parameters come first, `extraParams` follow them (`$n+1`…).
 * Same planning, pruning, errors and deadline as scanTable; rows are JSON-safe.
 */
export async function queryOverScan(
  opts: ScanTableOptions,
  wrap: (scanSql: string, nextParam: number) => string,
  extraParams: unknown[] = [],
): Promise<{ rows: Record<string, JsonValue>[]; stats: ScanStats }> {
  return withScanConnection(opts.engine, opts.timeoutMs, async (c) => {
    const { sql, stats } = await prepareScan(c, opts);
    const reader = await runPrepared(c, wrap(`(${sql.sql})`, sql.params.length + 1), [...sql.params, ...extraParams]);
    return { rows: (reader.getRowObjects() as Record<string, DuckDBValue>[]).map(toJsonRow), stats };
  });
}

/**
 * Writes a scan's result with DuckDB `COPY (query) TO output` in parquet, CSV (with header) or JSON lines.
 * Same planning, parameters and errors as scanTable. Returns the rows written.
 */
export async function exportTable(opts: ScanTableOptions & ExportOptions): Promise<{ rowsWritten: number; columns: readonly ScanColumn[]; stats: ScanStats }> {
  const format = COPY_FORMATS[opts.format];
  if (!format) throw new DeltaError('INVALID_ARGUMENT', `unknown export format "${String(opts.format)}"`);
  return withScanConnection(opts.engine, opts.timeoutMs, async (c) => {
    const { sql, stats } = await prepareScan(c, opts);
    const reader = await runPrepared(c, `COPY (${sql.sql}) TO ${quoteString(opts.output)} (${format})`, sql.params);
    const count = reader.getRows()[0]?.[0];
    return { rowsWritten: Number(count ?? 0), columns: sql.columns, stats };
  });
}

/**
 * The one place a Delta scan runs, our version of delta-kernel-rs `Scan::execute` (DESIGN.md decision 2): plan
 * (partition and stats pruning, or the change feed's commit range), load the scan context (footers, deletion
 * vectors, variants) and build the SQL on ONE pooled DuckDB connection, then run it there, all under one deadline
 * and one error mapping (withDeadline). Every reader goes through it: GraphQL rows and counts, analytics,
 * records, the change feed, the `since:` backfill, bulk loads and the CLI exports.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { type DuckDbEngine, runStatement, withDeadline } from './duckdb-engine.ts';
import { planChangeScan, prepareChangeScan } from './change-feed.ts';
import type { JsonValue } from './duckdb-json.ts';
import { readRows, type RowValues } from './result-rows.ts';
import { copyStatement, type ExportTarget } from './scan-export.ts';
import { isChangeScan, type PreparedScan, type ResultColumn, type ScanFigures, type ScanPlanCache, type ScanRequest, type ScanTimings } from './scan-request.ts';
import { planTableScan, prepareTableScan } from './table-scan.ts';

export interface ScanOptions {
  /** Interrupts the scan (planning on the connection included) after this many ms: QueryTimeoutError. None by default. */
  timeoutMs?: number;
  /** The request's plan cache (its loaders' scanPlans); without it every call plans afresh. */
  plans?: ScanPlanCache;
  /** The shape of returned rows (see result-rows.ts); default `native`. */
  values?: RowValues;
}

/** A planned scan on its held connection, handed to `session`'s callback. */
export interface ScanSession {
  /** The connection the scan context was loaded on; only valid until the callback settles. */
  readonly connection: DuckDBConnection;
  /** The scan's SQL, bound parameters and columns: compose over `scan.sql` as a subquery, `scan.params` first. */
  readonly scan: PreparedScan;
  /** Runs one statement on the held connection with bound parameters; rows in the session's `values` shape. */
  query(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

/** What every answer reports: what the scan read and where its time went. */
export interface ScanOutcome {
  readonly figures: ScanFigures;
  readonly timings: ScanTimings;
}

/** Rows of a scan; with `values: 'json'` their values are JsonValues. */
export interface RowsResult<V = unknown> extends ScanOutcome {
  readonly rows: Record<string, V>[];
  readonly columns: readonly ResultColumn[];
}

/** SQL over a scan (analytics builders, aggregates): a statement and its parameters, the scan's first. */
export type ComposeOverScan = (scan: PreparedScan) => { sql: string; params: readonly unknown[] };

export interface ScanExecutor {
  /** The request's rows (window and order included). */
  rows(request: ScanRequest, opts: ScanOptions & { values: 'json' }): Promise<RowsResult<JsonValue>>;
  rows(request: ScanRequest, opts?: ScanOptions): Promise<RowsResult>;
  /** The number of rows the request matches; its limit, offset and order are ignored. */
  count(request: ScanRequest, opts?: ScanOptions): Promise<ScanOutcome & { count: number }>;
  /** Runs `compose(scan)` (the scan as a relation, its parameters first) and returns that statement's rows. */
  aggregate(request: ScanRequest, compose: ComposeOverScan, opts?: ScanOptions): Promise<ScanOutcome & { rows: Record<string, unknown>[] }>;
  /** Writes the request's rows to a file with DuckDB COPY; returns the rows written. */
  export(request: ScanRequest, target: ExportTarget, opts?: ScanOptions): Promise<ScanOutcome & { rowsWritten: number; columns: readonly ResultColumn[] }>;
  /**
   * The lower level the others use: plans the scan, holds one connection, loads the scan context and builds the
   * SQL on it, then runs `use` there under the same deadline, for multi-statement work (bulk loads, streamed
   * exports) on that single connection.
   */
  session<T>(request: ScanRequest, use: (session: ScanSession) => Promise<T>, opts?: ScanOptions): Promise<ScanOutcome & { value: T }>;
  /** Plans made (file pruning or change-feed log reads; cache hits of a ScanPlanCache excluded) and scans run. */
  stats(): { plans: number; scans: number };
}

export interface ScanExecutorDeps {
  engine: DuckDbEngine;
}

/**
 * Creates the executor over the process's engine (cheap: it holds only counters; footers and deletion vectors
 * are cached per engine).
 *
 * Every method takes a ScanRequest: the request is the seam where the policy (next issue) adds the principal's
 * row filter (ANDed into `predicate`) and column masks (the projection in `columns`), so no reader can skip them.
 * @throws DeltaError INVALID_ARGUMENT (columns, predicate, order, limit, offset, export format) before any
 *   connection is taken for table scans; UNSUPPORTED_FEATURE, CORRUPT_LOG, CORRUPT_DATA, IO_ERROR,
 *   VERSION_NOT_FOUND (change ranges) as the Delta layer and DuckDB report them; QueryTimeoutError past
 *   `timeoutMs`
 */
export function createScanExecutor({ engine }: ScanExecutorDeps): ScanExecutor {
  const counters = { plans: 0, scans: 0 };
  const planned = () => void counters.plans++;

  async function session<T>(request: ScanRequest, use: (s: ScanSession) => Promise<T>, opts: ScanOptions = {}) {
    const started = performance.now();
    // A table scan plans before taking a connection: pruning needs none, and bad input is refused at once.
    const tablePlan = isChangeScan(request) ? undefined : planTableScan(request, opts.plans, planned);
    const plannedAt = performance.now();
    counters.scans++;
    return engine.withConnection((connection) => withDeadline(connection, opts.timeoutMs, async () => {
      const acquired = performance.now();
      const scan = isChangeScan(request)
        ? await prepareChangeScan(engine, connection, request, await planChangeScan(connection, request, opts.plans, planned))
        : await prepareTableScan(engine, connection, request, tablePlan!);
      const prepared = performance.now();
      const values = opts.values ?? 'native';
      const value = await use({ connection, scan, query: async (sql, params) => readRows(await runStatement(connection, sql, params), values) });
      // Waiting for a pooled connection counts as DuckDB time, like the statement it waits to run.
      const planningMs = plannedAt - started + (prepared - acquired);
      return { value, figures: scan.figures, timings: { planningMs, duckdbMs: performance.now() - started - planningMs } };
    }));
  }

  return {
    async rows(request: ScanRequest, opts?: ScanOptions) {
      const { value, ...outcome } = await session(request, async (s) => ({ rows: await s.query(s.scan.sql, s.scan.params), columns: s.scan.columns }), opts);
      return { ...value, ...outcome } as RowsResult<never>;
    },
    async count(request, opts) {
      const { value, ...outcome } = await session(unwindowed(request), async (s) => s.query(`SELECT count(*) AS n FROM (${s.scan.sql}) AS counted`, s.scan.params), opts);
      return { count: Number(value[0]?.n ?? 0), ...outcome };
    },
    async aggregate(request, compose, opts) {
      const { value, ...outcome } = await session(request, (s) => {
        const statement = compose(s.scan);
        return s.query(statement.sql, statement.params);
      }, opts);
      return { rows: value, ...outcome };
    },
    async export(request, target, opts) {
      const copy = copyStatement(target);
      const { value, ...outcome } = await session(request, async (s) => {
        const reader = await runStatement(s.connection, copy(s.scan.sql), s.scan.params);
        return { rowsWritten: Number(reader.getRows()[0]?.[0] ?? 0), columns: s.scan.columns };
      }, opts);
      return { ...value, ...outcome };
    },
    session,
    stats: () => ({ ...counters }),
  };
}

/** The request without its window and order (what a count reads); a table scan reads one column for it. */
function unwindowed(request: ScanRequest): ScanRequest {
  if (isChangeScan(request)) return { ...request, limit: undefined, offset: undefined };
  const first = request.columns?.[0] ?? request.snapshot.schema.fields[0]?.name;
  return { ...request, orderBy: undefined, limit: undefined, offset: undefined, stableOrder: false, columns: first === undefined ? undefined : [first] };
}

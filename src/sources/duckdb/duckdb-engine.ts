/**
 * The process's one DuckDB: an in-memory instance with a small pool of connections. Queries are prepared
 * statements with positional parameters ($1, $2, ...), interrupted at their deadline. Also provides the Delta
 * layer's ParquetReader (checkpoints and sidecars) on the same pool.
 */
import { DuckDBConnection, DuckDBInstance, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';
import { DeltaError, isDeltaError, type ParquetReader } from '../../delta/index.ts';
import { createDuckDbParquetReader } from './duckdb-parquet-reader.ts';
import { readRows } from './result-rows.ts';

export interface DuckDbEngineOptions {
  /** DuckDB worker threads; default DuckDB's own (the core count). */
  threads?: number;
  /** DuckDB memory limit such as '2GB'; default DuckDB's own (80% of RAM). */
  memoryLimit?: string;
  /** Connections in the pool; default 2. Callers beyond it wait for a free connection. */
  poolSize?: number;
}

export interface QueryOptions {
  /** Interrupt the query after this many ms and reject with QueryTimeoutError. */
  timeoutMs?: number;
}

export interface DuckDbEngine {
  /** Runs `fn` with a pooled connection held exclusively until it settles (one checkout). */
  withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
  /**
   * Runs one statement with bound positional parameters and returns its rows: BIGINT as bigint, DECIMAL as its
   * exact decimal string, other values as @duckdb/node-api's JS values. For SQL that is not a Delta scan (the
   * writer, the demo lake, tests); scans run through the scan executor.
   * @throws QueryTimeoutError past `opts.timeoutMs`.
   */
  query(sql: string, params?: unknown[], opts?: QueryOptions): Promise<Record<string, unknown>[]>;
  parquetReader: ParquetReader;
  /** Connections checked out of the pool since creation (withConnection and query calls), for tests and metrics. */
  stats(): { checkouts: number };
  /** Closes every connection and the instance; later calls reject. */
  close(): Promise<void>;
}

/** A query ran past its deadline and was interrupted. */
export class QueryTimeoutError extends Error {
  readonly code = 'QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`query interrupted after ${timeoutMs} ms`);
    this.name = 'QueryTimeoutError';
  }
}

/** Creates the engine. Call once per process and close() it at shutdown. */
export async function createDuckDbEngine(opts: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
  const config: Record<string, string> = {};
  if (opts.threads !== undefined) config.threads = String(opts.threads);
  if (opts.memoryLimit !== undefined) config.memory_limit = opts.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  const poolSize = Math.max(1, opts.poolSize ?? 2);
  const idle: DuckDBConnection[] = [];
  const all: DuckDBConnection[] = [];
  let opened = 0; // connections created or being created; counted before the await so racing callers queue
  const waiters: ((c: DuckDBConnection) => void)[] = [];
  let closed = false;
  let checkouts = 0;

  const acquire = async (): Promise<DuckDBConnection> => {
    if (closed) throw new Error('DuckDB engine is closed');
    const free = idle.pop();
    if (free) return free;
    if (opened < poolSize) {
      opened++;
      try {
        const c = await instance.connect();
        await c.run(`SET TimeZone = 'UTC'`); // Delta timestamps are UTC instants; never depend on the host's zone
        all.push(c);
        return c;
      } catch (e) {
        opened--;
        throw e;
      }
    }
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (c: DuckDBConnection) => {
    const waiter = waiters.shift();
    if (waiter) waiter(c);
    else idle.push(c);
  };

  const engine: DuckDbEngine = {
    async withConnection(fn) {
      const c = await acquire();
      checkouts++;
      try {
        return await fn(c);
      } finally {
        release(c);
      }
    },
    query(sql, params = [], queryOpts = {}) {
      return engine.withConnection((c) => withDeadline(c, queryOpts.timeoutMs, async () => readRows(await runStatement(c, sql, params), 'native')));
    },
    parquetReader: undefined as unknown as ParquetReader,
    stats: () => ({ checkouts }),
    async close() {
      if (closed) return;
      closed = true;
      for (const c of all) c.closeSync();
      instance.closeSync();
    },
  };
  engine.parquetReader = createDuckDbParquetReader(engine);
  return engine;
}

/** Runs one prepared statement on `c` with bound positional parameters and reads all of its rows. */
export async function runStatement(c: DuckDBConnection, sql: string, params: readonly unknown[]): Promise<DuckDBResultReader> {
  const stmt = await c.prepare(sql);
  try {
    if (params.length > 0) stmt.bind(params as DuckDBValue[]);
    return await stmt.runAndReadAll();
  } finally {
    stmt.destroySync();
  }
}

/**
 * Runs `fn` on connection `c`, interrupting it after `timeoutMs` (QueryTimeoutError), and maps DuckDB's failures
 * on data files to DeltaError codes (mapEngineError). The one deadline of every query, GraphQL and CLI alike.
 */
export async function withDeadline<T>(c: DuckDBConnection, timeoutMs: number | undefined, fn: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), c.interrupt()), timeoutMs);
  try {
    const result = await fn();
    // An interrupt that lands before execution starts is a no-op, so a query can finish after its deadline:
    // the deadline still holds.
    if (timedOut) throw new QueryTimeoutError(timeoutMs!);
    return result;
  } catch (e) {
    throw timedOut ? new QueryTimeoutError(timeoutMs!) : mapEngineError(e);
  } finally {
    clearTimeout(timer);
  }
}

/** Maps DuckDB's failures on data files to DeltaError codes; anything else is rethrown unchanged. */
function mapEngineError(e: unknown): unknown {
  if (isDeltaError(e) || e instanceof QueryTimeoutError || !(e instanceof Error)) return e;
  const message = e.message.split('\n')[0] ?? e.message;
  if (/^IO Error|No files found|No such file/i.test(message)) return new DeltaError('IO_ERROR', message, { cause: e });
  if (/^Invalid Input Error: .*parquet|Invalid Error: .*parquet|corrupt/i.test(message)) {
    return new DeltaError('CORRUPT_DATA', message, { cause: e });
  }
  return e;
}

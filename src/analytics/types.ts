/**
 * Shared shapes of the canned analytics. Builders return SQL text plus positional parameters; result row types
 * describe the values as DuckDB node-api's `getRowObjectsJS()` yields them: counts are BIGINT (`bigint`, exact),
 * rates and latencies DOUBLE (`number`), times TIMESTAMP in UTC (`Date`), dimensions VARCHAR (`string`).
 */

/** Which column of the table plays which role. Only `timestamp` is mandatory; each builder says what it needs. */
export interface ColumnRoles {
  timestamp: string;
  level?: string;
  status?: string;
  endpoint?: string;
  source?: string;
  responseTime?: string;
  user?: string;
  session?: string;
}

export interface AnalyticsSource {
  /**
   * A SQL relation usable after `FROM`, built by the caller: a (quoted) view or table name, a parenthesised
   * subquery, or a table function call such as `read_parquet([...])`. Builders read it as `SELECT * FROM relation`.
   */
  relation: string;
  roles: ColumnRoles;
  /** Parameters the relation itself binds as `$1..$k`; builders number their own from `$k+1` and prepend these. */
  params?: readonly unknown[];
}

/** SQL text with positional `$1..$n` placeholders and their values (numbers and strings only, JSON-safe). */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** A half-open time range `[from, to)`. A string without a zone designator is read as UTC. */
export interface TimeRange {
  from?: Date | string;
  to?: Date | string;
}

/** The grouping dimension of performance and anomaly analytics. */
export type Dimension = 'endpoint' | 'source';

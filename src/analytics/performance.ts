import { baseCtes } from './base-relation.ts';
import { errorPredicateSql, type ErrorRule } from './error-rule.ts';
import { ensureRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange } from './time-range.ts';
import type { AnalyticsSource, Dimension, SqlQuery, TimeRange } from './types.ts';
import { ensureChoice, ensureTopN } from './validate.ts';

export interface PerformanceParams extends TimeRange, ErrorRule {
  /** Group by the endpoint or the source column. Default 'endpoint'. */
  groupBy?: Dimension;
  /** How many groups to return. Default 10, between 1 and MAX_TOP_N. */
  topN?: number;
}

export interface PerformanceRow {
  /** The endpoint or source value of the group. */
  dimension: string | null;
  requests: bigint;
  avgResponseTime: number | null;
  p50ResponseTime: number | null;
  p95ResponseTime: number | null;
  p99ResponseTime: number | null;
  /** Share of error rows (see ErrorRule); null when the table maps neither status nor level. */
  errorRate: number | null;
}

/**
 * Latency by endpoint or source: requests, average and p50/p95/p99 response time (quantile_cont, NULL response
 * times ignored) and error rate per group, ordered by requests desc then dimension (NULL last), first `topN`
 * (default 10). Needs roles timestamp, responseTime and the `groupBy` column; status/level are optional.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or missing roles.
 */
export function buildPerformanceQuery(source: AnalyticsSource, input: PerformanceParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const groupBy = ensureChoice<Dimension>('groupBy', input.groupBy, 'endpoint', ['endpoint', 'source']);
  const dimension = ensureRole(source, groupBy, `performance by ${groupBy}`);
  const responseTime = ensureRole(source, 'responseTime', 'performance');
  const isError = errorPredicateSql(source, input, params);
  const range = resolveTimeRange(input);
  const topN = ensureTopN(input.topN);
  const head = baseCtes(source, range, {
    dim: `CAST(${dimension} AS VARCHAR)`,
    is_error: isError ?? 'NULL::BOOLEAN',
    rt: `TRY_CAST(${responseTime} AS DOUBLE)`,
  }, params);
  const errorRate = isError === undefined
    ? 'NULL::DOUBLE'
    : '(count(*) FILTER (WHERE is_error))::DOUBLE / count(*)';
  const sql = `${head}
SELECT dim AS "dimension",
       count(*) AS "requests",
       avg(rt) AS "avgResponseTime",
       quantile_cont(rt, 0.5) AS "p50ResponseTime",
       quantile_cont(rt, 0.95) AS "p95ResponseTime",
       quantile_cont(rt, 0.99) AS "p99ResponseTime",
       ${errorRate} AS "errorRate"
FROM base
GROUP BY dim
ORDER BY "requests" DESC, "dimension" ASC NULLS LAST
LIMIT ${params.add(topN, 'BIGINT')}`;
  return { sql, params: params.list() };
}

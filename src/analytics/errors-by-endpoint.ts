import { baseCtes } from './base-relation.ts';
import { errorPredicateSql, type ErrorRule } from './error-rule.ts';
import { AnalyticsInputError } from './errors.ts';
import { ensureRole, optionalRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange } from './time-range.ts';
import type { AnalyticsSource, SqlQuery, TimeRange } from './types.ts';
import { ensureTopN } from './validate.ts';

export interface ErrorsByEndpointParams extends TimeRange, ErrorRule {
  /** How many endpoints to return. Default 10, between 1 and MAX_TOP_N. */
  topN?: number;
}

export interface ErrorsByEndpointRow {
  endpoint: string | null;
  /** Error rows of this endpoint in the range. */
  errors: bigint;
  /** All rows of this endpoint in the range. */
  requests: bigint;
  /** errors / requests. */
  errorRate: number;
  /** Average response time of the error rows; null when responseTime is unmapped or all NULL. */
  avgResponseTime: number | null;
  /** 95th percentile (quantile_cont) response time of the error rows; null as above. */
  p95ResponseTime: number | null;
}

/**
 * Errors by endpoint: per endpoint the error count, request count, error rate and the average and p95 response
 * time of the errors, for endpoints with at least one error, ordered by errors desc then endpoint (NULL last),
 * first `topN` (default 10). An error is status >= statusMin (default 500, up to statusMax when given) OR level in
 * `levels` (default ['ERROR']), using whichever of status and level the table maps.
 * Needs roles timestamp, endpoint and status or level; responseTime is optional.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or missing roles.
 */
export function buildErrorsByEndpointQuery(source: AnalyticsSource, input: ErrorsByEndpointParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const endpoint = ensureRole(source, 'endpoint', 'errors by endpoint');
  const responseTime = optionalRole(source, 'responseTime');
  const isError = errorPredicateSql(source, input, params);
  if (isError === undefined) {
    throw new AnalyticsInputError('errors by endpoint needs a status or level column (and a non-empty levels list when only level is mapped)', 'status');
  }
  const range = resolveTimeRange(input);
  const topN = ensureTopN(input.topN);
  const head = baseCtes(source, range, {
    endpoint: `CAST(${endpoint} AS VARCHAR)`,
    is_error: isError,
    rt: responseTime === undefined ? 'NULL::DOUBLE' : `TRY_CAST(${responseTime} AS DOUBLE)`,
  }, params);
  const sql = `${head}
SELECT endpoint AS "endpoint",
       count(*) FILTER (WHERE is_error) AS "errors",
       count(*) AS "requests",
       (count(*) FILTER (WHERE is_error))::DOUBLE / count(*) AS "errorRate",
       avg(rt) FILTER (WHERE is_error) AS "avgResponseTime",
       quantile_cont(rt, 0.95) FILTER (WHERE is_error) AS "p95ResponseTime"
FROM base
GROUP BY endpoint
HAVING count(*) FILTER (WHERE is_error) > 0
ORDER BY "errors" DESC, "endpoint" ASC NULLS LAST
LIMIT ${params.add(topN, 'BIGINT')}`;
  return { sql, params: params.list() };
}

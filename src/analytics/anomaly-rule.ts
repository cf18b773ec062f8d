import { baseCtes } from './base-relation.ts';
import { errorPredicateSql, type ErrorRule } from './error-rule.ts';
import { AnalyticsInputError } from './errors.ts';
import { bucketStartSql, parseInterval } from './interval.ts';
import { ensureRole, optionalRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange } from './time-range.ts';
import type { AnalyticsSource, Dimension, SqlQuery, TimeRange } from './types.ts';
import { ensureChoice, ensureNumber, ensureTopN } from './validate.ts';

export interface AnomalyRuleParams extends TimeRange, ErrorRule {
  /** Bucket width, see parseInterval. Default '5m'. */
  interval?: string;
  /** Group by endpoint or source. Default 'endpoint'. */
  dimension?: Dimension;
  /** A row is slow when its response time is strictly above this. Default 1000, 0..1e12. */
  responseTimeThreshold?: number;
  /** How many (bucket, dimension) rows to return. Default 100, between 1 and MAX_TOP_N. */
  topN?: number;
}

export interface AnomalyRuleRow {
  /** Bucket start, UTC. */
  bucket: Date;
  dimension: string | null;
  /** Rows that are errors or slow (each row counted once). */
  anomalies: bigint;
  /** Error rows; null when the table maps neither status nor level. */
  errors: bigint | null;
  /** Slow rows; null when responseTime is unmapped. */
  slow: bigint | null;
  /** All rows of the bucket and dimension. */
  requests: bigint;
  maxResponseTime: number | null;
}

/**
 * The simple anomaly rule: rows that are errors (see ErrorRule: level in `levels`, default ['ERROR'], or status
 * >= statusMin, default 500) or slower than `responseTimeThreshold` (default 1000), counted per UTC bucket of
 * `interval` (default '5m') and dimension (default endpoint). Only buckets with at least one such row, ordered by
 * anomalies desc, then bucket, then dimension; first `topN` (default 100).
 * Needs roles timestamp, the dimension, and at least one of status, level, responseTime.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or missing roles.
 */
export function buildAnomalyRuleQuery(source: AnalyticsSource, input: AnomalyRuleParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const dimension = ensureChoice<Dimension>('dimension', input.dimension, 'endpoint', ['endpoint', 'source']);
  const dimCol = ensureRole(source, dimension, `anomalies by ${dimension}`);
  const stepUs = parseInterval(input.interval ?? '5m') * 1_000_000;
  const threshold = ensureNumber('responseTimeThreshold', input.responseTimeThreshold, 1000, 0, 1e12);
  const responseTime = optionalRole(source, 'responseTime');
  const isError = errorPredicateSql(source, input, params);
  if (isError === undefined && responseTime === undefined) {
    throw new AnalyticsInputError('the anomaly rule needs a status, level or responseTime column', 'responseTime');
  }
  const range = resolveTimeRange(input);
  const topN = ensureTopN(input.topN, 100);
  const rt = responseTime === undefined ? 'NULL::DOUBLE' : `TRY_CAST(${responseTime} AS DOUBLE)`;
  const head = baseCtes(source, range, {
    dim: `CAST(${dimCol} AS VARCHAR)`,
    is_error: isError ?? 'false',
    is_slow: responseTime === undefined ? 'false' : `coalesce(${rt} > ${params.add(threshold, 'DOUBLE')}, false)`,
    rt,
  }, params);
  const step = params.add(stepUs, 'BIGINT');
  const sql = `${head}
SELECT make_timestamp(${bucketStartSql('ts_us', step)}) AS "bucket",
       dim AS "dimension",
       count(*) FILTER (WHERE is_error OR is_slow) AS "anomalies",
       ${isError === undefined ? 'NULL::BIGINT' : 'count(*) FILTER (WHERE is_error)'} AS "errors",
       ${responseTime === undefined ? 'NULL::BIGINT' : 'count(*) FILTER (WHERE is_slow)'} AS "slow",
       count(*) AS "requests",
       max(rt) AS "maxResponseTime"
FROM base
GROUP BY 1, 2
HAVING count(*) FILTER (WHERE is_error OR is_slow) > 0
ORDER BY "anomalies" DESC, "bucket" ASC, "dimension" ASC NULLS LAST
LIMIT ${params.add(topN, 'BIGINT')}`;
  return { sql, params: params.list() };
}

import { baseCtes } from './base-relation.ts';
import { errorPredicateSql, type ErrorRule } from './error-rule.ts';
import { AnalyticsInputError } from './errors.ts';
import { bucketStartSql, parseInterval } from './interval.ts';
import { ensureRole, optionalRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange } from './time-range.ts';
import type { AnalyticsSource, Dimension, SqlQuery, TimeRange } from './types.ts';
import { ensureChoice, ensureInt, ensureNumber, ensureTopN } from './validate.ts';

export interface AnomalyScoreParams extends TimeRange, ErrorRule {
  /** Bucket width, see parseInterval. Default '5m'. */
  interval?: string;
  /** Score each endpoint's or each source's buckets. Default 'endpoint'. */
  dimension?: Dimension;
  /** Report buckets scoring at least this. Default 3.5, 0..1e9. */
  minScore?: number;
  /** Buckets with fewer rows are neither scored nor part of a baseline. Default 10, 1..1e9. */
  minRequests?: number;
  /**
   * Baseline = the dimension's buckets among the previous `baselineBuckets` intervals (rolling, current bucket
   * excluded). Default: every bucket of the dimension in the range (current one included). 1..10000.
   */
  baselineBuckets?: number;
  /** A bucket is scored only when its baseline holds at least this many buckets. Default 3, 1..10000. */
  minBaselineBuckets?: number;
  /** How many rows to return. Default 100, between 1 and MAX_TOP_N. */
  topN?: number;
}

export type AnomalyMetric = 'error_rate' | 'latency_p95';

export interface AnomalyScoreRow {
  /** Bucket start, UTC. */
  bucket: Date;
  dimension: string | null;
  metric: AnomalyMetric;
  observed: number;
  /** Baseline median. */
  expected: number;
  /** Robust z-score, see buildAnomalyScoresQuery. */
  score: number;
  /** Rows in the bucket. */
  requests: bigint;
}

/** The scoring part after the base CTEs; placeholders are already bound by the caller. */
interface ScoringSql {
  step: string;
  minRequests: string;
  metrics: string[];
  frame: string;
  minBaseline: string;
  minScore: string;
  topN: string;
}

function scoringSql(p: ScoringSql): string {
  return `buckets AS (
  SELECT ${bucketStartSql('ts_us', p.step)} AS bucket_us, dim, count(*) AS requests,
         (count(*) FILTER (WHERE is_error))::DOUBLE / count(*) AS error_rate,
         quantile_cont(rt, 0.95) AS latency_p95
  FROM base
  GROUP BY 1, 2
  HAVING count(*) >= ${p.minRequests}
),
metrics AS (
  ${p.metrics.join('\n  UNION ALL\n  ')}
),
baseline AS (
  SELECT *, median(observed) OVER w AS expected, mad(observed) OVER w AS mad,
         stddev_pop(observed) OVER w AS sd, count(observed) OVER w AS n
  FROM metrics
  WINDOW w AS (${p.frame})
),
scored AS (
  SELECT *, abs(observed - expected) / greatest(
           CASE WHEN mad > 0 THEN 1.4826 * mad ELSE coalesce(sd, 0) END,
           CASE metric WHEN 'error_rate' THEN 0.01 ELSE greatest(1.0, 0.05 * abs(expected)) END) AS score
  FROM baseline
  WHERE n >= ${p.minBaseline}
)
SELECT make_timestamp(bucket_us) AS "bucket", dim AS "dimension", metric AS "metric",
       observed::DOUBLE AS "observed", expected::DOUBLE AS "expected", score::DOUBLE AS "score", requests AS "requests"
FROM scored
WHERE score >= ${p.minScore}
ORDER BY "score" DESC, bucket_us ASC, "dimension" ASC NULLS LAST, "metric" ASC
LIMIT ${p.topN}`;
}

/**
 * Robust anomaly detector, one SQL statement with window functions. Per UTC bucket of `interval` (default '5m')
 * and dimension (default endpoint) with >= minRequests rows (default 10) it computes the error rate (when status
 * or level is mapped) and the p95 response time (when responseTime is mapped), and scores each value against its
 * baseline (see baselineBuckets): score = |observed - median| / scale, scale = 1.4826 * MAD, or the population
 * standard deviation when MAD is 0, but never below a floor (0.01 for error_rate; max(1, 5% of the median) for
 * latency_p95) so a flat baseline neither divides by zero nor flags noise. Returns rows with score >= minScore
 * (default 3.5) and a baseline of >= minBaselineBuckets buckets (default 3), ordered by score desc, first `topN`.
 * Needs roles timestamp, the dimension, and at least one of status, level, responseTime.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or missing roles.
 */
export function buildAnomalyScoresQuery(source: AnalyticsSource, input: AnomalyScoreParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const dimension = ensureChoice<Dimension>('dimension', input.dimension, 'endpoint', ['endpoint', 'source']);
  const dimCol = ensureRole(source, dimension, `anomaly scores by ${dimension}`);
  const stepUs = parseInterval(input.interval ?? '5m') * 1_000_000;
  const minScore = ensureNumber('minScore', input.minScore, 3.5, 0, 1e9);
  const minRequests = ensureInt('minRequests', input.minRequests, 10, 1, 1e9);
  const window = input.baselineBuckets == null ? undefined : ensureInt('baselineBuckets', input.baselineBuckets, 0, 1, 10_000);
  const minBaseline = ensureInt('minBaselineBuckets', input.minBaselineBuckets, 3, 1, 10_000);
  const responseTime = optionalRole(source, 'responseTime');
  const isError = errorPredicateSql(source, input, params);
  if (isError === undefined && responseTime === undefined) {
    throw new AnalyticsInputError('anomaly scores need a status, level or responseTime column', 'responseTime');
  }
  const range = resolveTimeRange(input);
  const topN = ensureTopN(input.topN, 100);
  const head = baseCtes(source, range, {
    dim: `CAST(${dimCol} AS VARCHAR)`,
    is_error: isError ?? 'false',
    rt: responseTime === undefined ? 'NULL::DOUBLE' : `TRY_CAST(${responseTime} AS DOUBLE)`,
  }, params);
  const step = params.add(stepUs, 'BIGINT');
  const metrics = [
    isError === undefined ? undefined : `SELECT bucket_us, dim, requests, 'error_rate' AS metric, error_rate AS observed FROM buckets`,
    responseTime === undefined ? undefined : `SELECT bucket_us, dim, requests, 'latency_p95' AS metric, latency_p95 AS observed FROM buckets WHERE latency_p95 IS NOT NULL`,
  ].filter((m) => m !== undefined);
  const frame = window === undefined
    ? 'PARTITION BY dim, metric'
    : `PARTITION BY dim, metric ORDER BY bucket_us RANGE BETWEEN ${params.add(window * stepUs, 'BIGINT')} PRECEDING AND ${step} PRECEDING`;
  const minRequestsP = params.add(minRequests, 'BIGINT');
  const minBaselineP = params.add(minBaseline, 'BIGINT');
  const minScoreP = params.add(minScore, 'DOUBLE');
  const topNP = params.add(topN, 'BIGINT');
  const sql = `${head},\n${scoringSql({
    step, minRequests: minRequestsP, metrics, frame, minBaseline: minBaselineP, minScore: minScoreP, topN: topNP,
  })}`;
  return { sql, params: params.list() };
}

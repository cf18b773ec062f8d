import { baseCtes } from './base-relation.ts';
import { errorPredicateSql, type ErrorRule } from './error-rule.ts';
import { AnalyticsInputError, TOO_MANY_BUCKETS_MARKER } from './errors.ts';
import { bucketStartSql, MAX_BUCKETS, parseInterval } from './interval.ts';
import { optionalRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange, type ResolvedTimeRange } from './time-range.ts';
import type { AnalyticsSource, SqlQuery, TimeRange } from './types.ts';

export interface TimeSeriesParams extends TimeRange, ErrorRule {
  /** Bucket width, see parseInterval. Default '1h'. Buckets are aligned to the UTC epoch. */
  interval?: string;
}

export interface TimeSeriesRow {
  /** Bucket start, UTC. */
  bucket: Date;
  /** Rows in the bucket; 0 for an empty bucket. */
  requests: bigint;
  /** Error rows (see ErrorRule); 0 for an empty bucket; null when the table maps neither status nor level. */
  errors: bigint | null;
  /** Null for an empty bucket or when responseTime is unmapped. */
  avgResponseTime: number | null;
  p95ResponseTime: number | null;
}

function ensureBucketCount(range: ResolvedTimeRange, stepUs: number): void {
  if (range.fromUs === undefined || range.toUs === undefined) return;
  const alignedFrom = range.fromUs - (((range.fromUs % stepUs) + stepUs) % stepUs);
  const buckets = Math.ceil((range.toUs - alignedFrom) / stepUs);
  if (buckets > MAX_BUCKETS) {
    throw new AnalyticsInputError(`the time range holds ${buckets} buckets of this interval, more than ${MAX_BUCKETS}; widen the interval or narrow the range`, 'interval');
  }
}

/**
 * Time series: one row per UTC-aligned bucket of `interval` (default '1h') from the bucket holding `from` up to
 * `to` (exclusive), gaps filled with zero counts, ordered by bucket. Without `from`/`to` the data's first and
 * last timestamps bound the series (no rows when the data is empty and a bound is missing).
 * Needs role timestamp; status/level (errors) and responseTime (latency) are optional.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or more than MAX_BUCKETS buckets when both
 * bounds are given; with a bound taken from the data the same limit fails at run time with a DuckDB error whose
 * message contains TOO_MANY_BUCKETS_MARKER.
 */
export function buildTimeSeriesQuery(source: AnalyticsSource, input: TimeSeriesParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const stepUs = parseInterval(input.interval ?? '1h') * 1_000_000;
  const range = resolveTimeRange(input);
  ensureBucketCount(range, stepUs);
  const responseTime = optionalRole(source, 'responseTime');
  const isError = errorPredicateSql(source, input, params);
  const head = baseCtes(source, range, {
    is_error: isError ?? 'NULL::BOOLEAN',
    rt: responseTime === undefined ? 'NULL::DOUBLE' : `TRY_CAST(${responseTime} AS DOUBLE)`,
  }, params);
  const step = params.add(stepUs, 'BIGINT');
  const lo = range.fromUs === undefined ? 'min(ts_us)' : params.add(range.fromUs, 'BIGINT');
  const hi = range.toUs === undefined ? 'max(ts_us) + 1' : params.add(range.toUs, 'BIGINT');
  // With both bounds given the grid must not depend on (possibly empty) data; otherwise aggregate over base.
  const fromBase = range.fromUs !== undefined && range.toUs !== undefined ? '' : ' FROM base';
  const maxSpan = params.add(MAX_BUCKETS * stepUs, 'BIGINT');
  const errors = isError === undefined ? 'NULL::BIGINT' : 'coalesce(a.errors, 0)';
  const sql = `${head},
bounds AS (
  SELECT ${bucketStartSql('lo', step)} AS lo, hi
  FROM (SELECT ${lo} AS lo, ${hi} AS hi${fromBase})
),
grid AS (
  SELECT unnest(range(lo, CASE WHEN hi - lo > ${maxSpan}
                               THEN error('${TOO_MANY_BUCKETS_MARKER}: the data spans more than ${MAX_BUCKETS} buckets of this interval')
                               ELSE hi END, ${step})) AS bucket_us
  FROM bounds
),
agg AS (
  SELECT ${bucketStartSql('ts_us', step)} AS bucket_us,
         count(*) AS requests,
         count(*) FILTER (WHERE is_error) AS errors,
         avg(rt) AS avg_rt,
         quantile_cont(rt, 0.95) AS p95_rt
  FROM base
  GROUP BY 1
)
SELECT make_timestamp(g.bucket_us) AS "bucket",
       coalesce(a.requests, 0) AS "requests",
       ${errors} AS "errors",
       a.avg_rt AS "avgResponseTime",
       a.p95_rt AS "p95ResponseTime"
FROM grid AS g
LEFT JOIN agg AS a ON a.bucket_us = g.bucket_us
ORDER BY g.bucket_us`;
  return { sql, params: params.list() };
}

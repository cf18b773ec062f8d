/** Canned analytics: pure builders from typed parameters to DuckDB SQL plus positional parameters. No I/O. */
export type { AnalyticsSource, ColumnRoles, Dimension, SqlQuery, TimeRange } from './types.ts';
export { AnalyticsInputError, isAnalyticsInputError, TOO_MANY_BUCKETS_MARKER, type AnalyticsErrorCode } from './errors.ts';
export type { ErrorRule } from './error-rule.ts';
export { MAX_BUCKETS, MAX_INTERVAL_SECONDS, parseInterval } from './interval.ts';
export { quoteIdent } from './sql-ident.ts';
export { MAX_TOP_N } from './validate.ts';
export { buildErrorsByEndpointQuery, type ErrorsByEndpointParams, type ErrorsByEndpointRow } from './errors-by-endpoint.ts';
export { buildPerformanceQuery, type PerformanceParams, type PerformanceRow } from './performance.ts';
export { buildSessionsQuery, type SessionsParams, type SessionsRow } from './sessions.ts';
export { buildTimeSeriesQuery, type TimeSeriesParams, type TimeSeriesRow } from './time-series.ts';
export { buildAnomalyRuleQuery, type AnomalyRuleParams, type AnomalyRuleRow } from './anomaly-rule.ts';
export {
  buildAnomalyScoresQuery,
  type AnomalyMetric,
  type AnomalyScoreParams,
  type AnomalyScoreRow,
} from './anomalies.ts';

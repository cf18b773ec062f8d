/** The one error type of src/analytics: a caller-supplied parameter or role mapping is unusable. */
export type AnalyticsErrorCode = 'BAD_USER_INPUT';

/**
 * Thrown by every builder for invalid parameters (out-of-range numbers, bad intervals, bad time ranges) and for a
 * role the builder needs that the table does not map. `code` is always `BAD_USER_INPUT`, so the edge mapper can
 * turn it into a `GraphQLError` with `extensions.code = 'BAD_USER_INPUT'`; `field` names the offending parameter.
 */
export class AnalyticsInputError extends Error {
  readonly code: AnalyticsErrorCode = 'BAD_USER_INPUT';
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'AnalyticsInputError';
    this.field = field;
  }
}

/** True for errors thrown by the analytics builders. */
export function isAnalyticsInputError(error: unknown): error is AnalyticsInputError {
  return error instanceof AnalyticsInputError;
}

/**
 * Prefix of the runtime error DuckDB raises (through SQL `error()`) when a time series whose range comes from the
 * data would exceed the bucket limit. The bound cannot be checked before the query runs, so the edge mapper should
 * map a DuckDB error containing this marker to `BAD_USER_INPUT` as well.
 */
export const TOO_MANY_BUCKETS_MARKER = 'analytics: too many buckets';

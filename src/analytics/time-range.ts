import { AnalyticsInputError } from './errors.ts';
import type { TimeRange } from './types.ts';

/** A validated time range as epoch microseconds (UTC), half-open `[fromUs, toUs)`. */
export interface ResolvedTimeRange {
  fromUs?: number;
  toUs?: number;
}

/** An ISO-like string with no zone designator, e.g. `2024-05-01T10:00:00`: JS would read it as local time. */
const NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function toEpochMs(field: string, value: Date | string): number {
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'string') {
    const text = value.trim();
    ms = Date.parse(NO_ZONE.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  } else {
    ms = Number.NaN;
  }
  if (!Number.isFinite(ms)) {
    throw new AnalyticsInputError(`${field} must be a Date or an ISO-8601 timestamp, got ${String(value)}`, field);
  }
  return ms;
}

/**
 * Validates `from`/`to` (Date or ISO-8601 string; a string without zone is UTC) into epoch microseconds.
 * Both are optional. Throws AnalyticsInputError (BAD_USER_INPUT) for an unparsable value or `from >= to`.
 */
export function resolveTimeRange(range: TimeRange | undefined): ResolvedTimeRange {
  const out: ResolvedTimeRange = {};
  if (range?.from != null) out.fromUs = toEpochMs('from', range.from) * 1000;
  if (range?.to != null) out.toUs = toEpochMs('to', range.to) * 1000;
  if (out.fromUs !== undefined && out.toUs !== undefined && out.fromUs >= out.toUs) {
    throw new AnalyticsInputError('from must be earlier than to', 'from');
  }
  return out;
}

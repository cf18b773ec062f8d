import { AnalyticsInputError } from './errors.ts';

/** Longest accepted bucket interval: 366 days. Months and years are refused, their length varies. */
export const MAX_INTERVAL_SECONDS = 366 * 86_400;
/** Most buckets a zero-filled time series may have. */
export const MAX_BUCKETS = 10_000;

const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, second: 1,
  m: 60, min: 60, minute: 60,
  h: 3600, hr: 3600, hour: 3600,
  d: 86_400, day: 86_400,
  w: 604_800, week: 604_800,
};

const SHORT_OR_WORDS = /^(\d+)\s*([a-z]+)$/;
const ISO_DURATION = /^p(?:(\d+)w)?(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$/;

function isoSeconds(text: string): number | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'p' || text.endsWith('t')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((g) => (g === undefined ? 0 : Number(g)));
  return (w ?? 0) * 604_800 + (d ?? 0) * 86_400 + (h ?? 0) * 3600 + (min ?? 0) * 60 + (s ?? 0);
}

/**
 * Parses a bucket interval into whole seconds. Accepts `30s`, `1m`, `5m`, `1h`, `1d`, `2w`; `N unit` with
 * units second/minute/hour/day/week (singular, plural, or sec/min/hr); and ISO-8601 durations without years or
 * months (`PT5M`, `PT1H30M`, `P1D`, `P1W`). Case-insensitive. The result is between 1 and MAX_INTERVAL_SECONDS.
 * Throws AnalyticsInputError (BAD_USER_INPUT, field `interval`) otherwise.
 */
export function parseInterval(interval: string): number {
  const text = typeof interval === 'string' ? interval.trim().toLowerCase() : '';
  let seconds: number | undefined;
  const words = SHORT_OR_WORDS.exec(text);
  if (words) {
    const name = words[2] ?? '';
    // Plurals ('hours', 'hrs') only for names of two letters or more once singular, so 'ms' is not 'm'.
    const singular = name.length > 2 && name.endsWith('s') ? name.slice(0, -1) : undefined;
    const unit = UNIT_SECONDS[name] ?? (singular === undefined ? undefined : UNIT_SECONDS[singular]);
    if (unit !== undefined) seconds = Number(words[1]) * unit;
  } else if (text.startsWith('p')) {
    seconds = isoSeconds(text);
  }
  if (seconds === undefined || !Number.isSafeInteger(seconds)) {
    throw new AnalyticsInputError(
      `interval must look like 5m, 1h, '15 minutes' or PT15M (no months or years), got ${JSON.stringify(interval)}`,
      'interval',
    );
  }
  if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
    throw new AnalyticsInputError(`interval must be between 1 second and 366 days, got ${JSON.stringify(interval)}`, 'interval');
  }
  return seconds;
}

/**
 * SQL for the start (epoch microseconds) of the UTC-aligned bucket holding `tsUs`: a floor modulo that stays
 * exact in BIGINT arithmetic and is correct before 1970 too. `stepUs` is a placeholder or expression.
 */
export function bucketStartSql(tsUs: string, stepUs: string): string {
  return `(${tsUs} - (((${tsUs}) % ${stepUs}) + ${stepUs}) % ${stepUs})`;
}

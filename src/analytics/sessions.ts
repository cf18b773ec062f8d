import { baseCtes } from './base-relation.ts';
import { ensureRole } from './sql-ident.ts';
import { SqlParams } from './sql-params.ts';
import { resolveTimeRange } from './time-range.ts';
import type { AnalyticsSource, SqlQuery, TimeRange } from './types.ts';
import { ensureInt, ensureTopN } from './validate.ts';

export interface SessionsParams extends TimeRange {
  /** Keep users with at least this many distinct sessions. Default 1, 0..1e9. */
  minSessions?: number;
  /** Keep users with at least this many requests. Default 1, 0..1e12. */
  minRequests?: number;
  /** How many users to return. Default 10, between 1 and MAX_TOP_N. */
  topN?: number;
}

export interface SessionsRow {
  user: string;
  /** Distinct non-NULL session ids of the user. */
  sessions: bigint;
  /** All rows of the user, with or without a session id. */
  requests: bigint;
  firstSeen: Date;
  lastSeen: Date;
  /** Mean over the user's sessions of (last - first timestamp) in seconds; null when no row has a session id. */
  avgSessionSeconds: number | null;
}

/**
 * Sessions per user: distinct sessions, requests, first and last seen (UTC) and average session length in seconds
 * (per session max - min timestamp, averaged over the user's sessions). Rows with a NULL user are left out.
 * Keeps users with sessions >= minSessions and requests >= minRequests (defaults 1 and 1), ordered by requests
 * desc then user, first `topN` (default 10). Needs roles timestamp, user and session.
 * Throws AnalyticsInputError (BAD_USER_INPUT) for invalid parameters or missing roles.
 */
export function buildSessionsQuery(source: AnalyticsSource, input: SessionsParams = {}): SqlQuery {
  const params = new SqlParams(source.params);
  const user = ensureRole(source, 'user', 'sessions');
  const session = ensureRole(source, 'session', 'sessions');
  const minSessions = ensureInt('minSessions', input.minSessions, 1, 0, 1e9);
  const minRequests = ensureInt('minRequests', input.minRequests, 1, 0, 1e12);
  const range = resolveTimeRange(input);
  const topN = ensureTopN(input.topN);
  const head = baseCtes(source, range, {
    usr: `CAST(${user} AS VARCHAR)`,
    sess: `CAST(${session} AS VARCHAR)`,
  }, params);
  const sql = `${head},
per_session AS (
  SELECT usr, sess, count(*) AS n, min(ts_us) AS lo, max(ts_us) AS hi
  FROM base
  WHERE usr IS NOT NULL
  GROUP BY usr, sess
),
per_user AS (
  SELECT usr,
         count(sess) AS sessions,
         CAST(sum(n) AS BIGINT) AS requests,
         min(lo) AS first_us,
         max(hi) AS last_us,
         avg((hi - lo) / 1e6) FILTER (WHERE sess IS NOT NULL) AS avg_seconds
  FROM per_session
  GROUP BY usr
)
SELECT usr AS "user",
       sessions AS "sessions",
       requests AS "requests",
       make_timestamp(first_us) AS "firstSeen",
       make_timestamp(last_us) AS "lastSeen",
       avg_seconds::DOUBLE AS "avgSessionSeconds"
FROM per_user
WHERE sessions >= ${params.add(minSessions, 'BIGINT')} AND requests >= ${params.add(minRequests, 'BIGINT')}
ORDER BY "requests" DESC, "user" ASC
LIMIT ${params.add(topN, 'BIGINT')}`;
  return { sql, params: params.list() };
}

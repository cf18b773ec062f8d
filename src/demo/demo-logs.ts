/**
 * The demo `logs` table: API request logs of a small e-commerce backend, generated inside DuckDB one day at a
 * time. Sessions start with a diurnal rhythm (peak 15:00 UTC) and issue several requests each; endpoints have
 * their own mix, latency distribution (log-normal) and error rates; the anomalies of demo-anomalies.ts are
 * injected at their windows. Everything derives from hashes of (day, session, request): re-running gives the
 * same rows.
 */
import type { StructType } from '../delta/index.ts';
import { field, primitive } from '../delta/writer/index.ts';
import type { DemoAnomaly } from './demo-anomalies.ts';

/** Schema of the demo `logs` table (partitioned by `date`). */
export const LOGS_SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    field('timestamp', primitive('timestamp'), false),
    field('level', primitive('string'), false),
    field('source', primitive('string'), false),
    field('endpoint', primitive('string'), false),
    field('method', primitive('string'), false),
    field('status', primitive('integer'), false),
    field('response_time_ms', primitive('double'), false),
    field('user_id', primitive('string')),
    field('session_id', primitive('string'), false),
    field('message', primitive('string')),
    field('date', primitive('date'), false),
  ],
};

/** Endpoints with their share of traffic, method, owning service and latency (median ms, log-normal sigma). */
export const DEMO_ENDPOINTS = [
  ['/api/products', 'GET', 'catalog-service', 0.26, 35, 0.5],
  ['/api/products/{id}', 'GET', 'catalog-service', 0.2, 28, 0.45],
  ['/api/search', 'GET', 'search-service', 0.12, 80, 0.6],
  ['/api/cart', 'POST', 'cart-service', 0.08, 45, 0.5],
  ['/api/checkout', 'POST', 'payments-service', 0.04, 220, 0.5],
  ['/api/login', 'POST', 'auth-service', 0.06, 60, 0.4],
  ['/api/logout', 'POST', 'auth-service', 0.02, 15, 0.3],
  ['/api/users/me', 'GET', 'user-service', 0.09, 25, 0.4],
  ['/api/orders', 'GET', 'order-service', 0.08, 55, 0.5],
  ['/api/recommendations', 'GET', 'recommendation-service', 0.05, 120, 0.7],
] as const;

/** Parameters of one day of logs. */
export interface DemoDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  rows: number;
  users: number;
  /** The anomalies whose window falls on this day. */
  anomalies: readonly DemoAnomaly[];
}

function endpointsSql(): string {
  let lo = 0;
  const rows = DEMO_ENDPOINTS.map(([endpoint, method, source, share, median, sigma], i) => {
    const hi = i === DEMO_ENDPOINTS.length - 1 ? 1.0001 : lo + share;
    const row = `('${endpoint}', '${method}', '${source}', ${lo.toFixed(4)}, ${hi.toFixed(4)}, ${median}, ${sigma})`;
    lo = hi;
    return row;
  });
  return `endpoints(endpoint, method, source, lo, hi, median_ms, sigma) AS (VALUES ${rows.join(', ')})`;
}

function windowSql(anomalies: readonly DemoAnomaly[], kind: DemoAnomaly['kind'], anySource = false): string {
  const hits = anomalies.filter((a) => a.kind === kind);
  if (hits.length === 0) return 'false';
  const sourceSql = (a: DemoAnomaly) => (anySource ? '' : ` AND source = '${a.source}'`);
  return hits.map((a) => `(ts >= TIMESTAMPTZ '${a.start}' AND ts < TIMESTAMPTZ '${a.end}'${sourceSql(a)})`).join(' OR ');
}

/** SQL producing one day of log rows in LOGS_SCHEMA column order. */
export function demoLogsDaySql(day: DemoDay): string {
  const seed = `'logs-${day.date}'`;
  const u = (...parts: string[]) => `(hash(${seed}, ${parts.join(', ')}) % 1000000007)::DOUBLE / 1000000007.0`;
  const sessions = Math.ceil((day.rows / 6.5) * 1.3);
  const candidates = Math.ceil(sessions / 0.48);
  return `
    WITH ${endpointsSql()},
    sessions AS (
      SELECT s,
             CAST(${u(`'t'`, 's')} * 86400000000 AS BIGINT) AS start_us,
             ${u(`'a'`, 's')} AS accept,
             1 + CAST(hash(${seed}, 'k', s) % 12 AS INTEGER) AS k,
             CASE WHEN ${u(`'anon'`, 's')} < 0.1 THEN NULL
                  ELSE 'u' || lpad(CAST(CAST(floor(${day.users} * pow(${u(`'user'`, 's')}, 2)) AS BIGINT) + 1 AS VARCHAR), 6, '0') END AS user_id,
             'sess-' || substr(md5(${seed} || CAST(s AS VARCHAR)), 1, 16) AS session_id
      FROM range(${candidates}) r(s)
    ),
    kept AS (
      SELECT * FROM sessions WHERE accept < 0.55 + 0.45 * cos(2 * pi() * (start_us / 3.6e9 - 15) / 24) LIMIT ${sessions}
    ),
    requests AS (
      SELECT kept.*, j,
             LEAST(start_us + j * (5000000 + CAST(hash(${seed}, 'gap', s, j) % 120000000 AS BIGINT)), 86399999999) AS t_us,
             ${u(`'ep'`, 's', 'j')} AS u_ep, ${u(`'st'`, 's', 'j')} AS u_st,
             ${u(`'z1'`, 's', 'j')} AS u1, ${u(`'z2'`, 's', 'j')} AS u2, ${u(`'lv'`, 's', 'j')} AS u_lv
      FROM kept, range(kept.k) r(j)
      LIMIT ${day.rows}
    ),
    shaped AS (
      SELECT r.*, e.endpoint, e.method, e.source, e.median_ms, e.sigma,
             TIMESTAMPTZ '${day.date} 00:00:00+00' + to_microseconds(t_us) AS ts
      FROM requests r JOIN endpoints e ON r.u_ep >= e.lo AND r.u_ep < e.hi
    ),
    -- Credential stuffing is a flood of login attempts: in its window 40% of all requests become logins.
    flooded AS (
      SELECT * REPLACE (
               CASE WHEN in_flood THEN '/api/login' ELSE endpoint END AS endpoint,
               CASE WHEN in_flood THEN 'POST' ELSE method END AS method,
               CASE WHEN in_flood THEN 'auth-service' ELSE source END AS source)
      FROM (SELECT *, (${windowSql(day.anomalies, 'auth_failures', true)}) AND u_lv >= 0.6 AS in_flood FROM shaped)
    ),
    flagged AS (
      SELECT *, (${windowSql(day.anomalies, 'error_burst')}) AS in_burst,
                (${windowSql(day.anomalies, 'latency_spike')}) AS in_spike,
                (${windowSql(day.anomalies, 'auth_failures')}) AS in_auth
      FROM flooded
    ),
    statused AS (
      SELECT *,
        CASE
          WHEN in_burst AND u_st < 0.7 THEN (CASE WHEN u_st < 0.4 THEN 500 WHEN u_st < 0.6 THEN 503 ELSE 504 END)
          WHEN in_auth AND endpoint = '/api/login' AND u_st < 0.8 THEN 401
          WHEN u_st < 0.003 THEN 500
          WHEN u_st < 0.005 THEN 502
          WHEN endpoint = '/api/products/{id}' AND u_st < 0.025 THEN 404
          WHEN endpoint = '/api/login' AND u_st < 0.04 THEN 401
          WHEN u_st < 0.012 THEN 400
          WHEN endpoint = '/api/cart' THEN 201
          ELSE 200 END AS status,
        median_ms * exp(sigma * sqrt(-2 * ln(u1 + 1e-12)) * cos(2 * pi() * u2)) * (CASE WHEN in_spike THEN 10 ELSE 1 END) AS rt_raw
      FROM flagged
    ),
    timed AS (
      SELECT *, round(CASE WHEN status = 504 THEN 30000 + rt_raw ELSE rt_raw END, 1) AS rt FROM statused
    )
    SELECT ts AS "timestamp",
           CASE WHEN status >= 500 THEN 'ERROR' WHEN status >= 400 OR rt > 2000 THEN 'WARN' WHEN u_lv < 0.05 THEN 'DEBUG' ELSE 'INFO' END AS level,
           source, endpoint, method, status, rt AS response_time_ms, user_id, session_id,
           CASE
             WHEN status = 500 THEN ['unhandled exception in request handler', 'database connection reset by peer', 'NullPointerException in ' || source][1 + CAST(hash(${seed}, 'msg', s, j) % 3 AS INTEGER)]
             WHEN status = 502 THEN 'bad gateway: upstream ' || source || ' closed the connection'
             WHEN status = 503 THEN 'service unavailable: ' || source || ' circuit breaker open'
             WHEN status = 504 THEN 'gateway timeout after 30000 ms waiting for ' || source
             WHEN status = 401 THEN 'authentication failed: invalid credentials'
             WHEN status = 404 THEN 'resource not found'
             WHEN status = 400 THEN 'bad request: validation failed'
             WHEN rt > 2000 THEN 'slow request: ' || method || ' ' || endpoint || ' took ' || CAST(rt AS VARCHAR) || ' ms'
             ELSE method || ' ' || endpoint || ' ' || CAST(status AS VARCHAR) || ' in ' || CAST(rt AS VARCHAR) || ' ms'
           END AS message,
           DATE '${day.date}' AS date
    FROM timed
    ORDER BY ts`;
}

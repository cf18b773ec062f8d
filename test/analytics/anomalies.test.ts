import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAnomalyRuleQuery,
  buildAnomalyScoresQuery,
  type AnomalyRuleRow,
  type AnomalyScoreRow,
} from '../../src/analytics/index.ts';
import { at, LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

let duck: TestDuck;

/**
 * Six 5-minute buckets from 00:00 UTC, ten rows each, for two endpoints (TIMESTAMPTZ, read in a New York session):
 *   /x errors per bucket 0 1 0 1 0 6 (latency flat 100): the last bucket's error rate is planted.
 *   /y no errors, latency per bucket 100 110 90 100 105 1000: the last bucket's p95 is planted.
 */
const PLANTED_SQL = `
CREATE TABLE planted AS
SELECT TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_minutes(b * 5) + to_seconds(i * 10) AS ts,
       ep AS endpoint,
       CASE WHEN ep = '/x' AND i < [0, 1, 0, 1, 0, 6][b + 1] THEN 500 ELSE 200 END AS status,
       CASE WHEN ep = '/x' THEN 100.0 ELSE [100, 110, 90, 100, 105, 1000][b + 1] END AS rt
FROM range(6) AS bs(b), range(10) AS rs(i), (VALUES ('/x'), ('/y')) AS es(ep)`;
const planted = { relation: 'planted', roles: { timestamp: 'ts', endpoint: 'endpoint', status: 'status', responseTime: 'rt' } };

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(`SET TimeZone = 'America/New_York'`);
  await duck.exec(LOGS_SQL);
  await duck.exec(PLANTED_SQL);
});
afterAll(() => duck.close());

describe('buildAnomalyScoresQuery', () => {
  it('whole-range median/MAD: only the two planted buckets, highest first', async () => {
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery(planted));
    expect(rows).toHaveLength(2);
    // /y p95: median of 90 100 100 105 110 1000 = 102.5; deviations 2.5 2.5 2.5 7.5 12.5 897.5 -> MAD 5
    expect(rows[0]).toMatchObject({ bucket: at('00:25'), dimension: '/y', metric: 'latency_p95', observed: 1000, expected: 102.5, requests: 10n });
    expect(rows[0]!.score).toBeCloseTo(897.5 / (1.4826 * 5), 9);
    // /x error rate: median of 0 0 0 .1 .1 .6 = .05, MAD = .05, score = .55 / (1.4826 * .05)
    expect(rows[1]).toMatchObject({ bucket: at('00:25'), dimension: '/x', metric: 'error_rate', observed: 0.6, requests: 10n });
    expect(rows[1]!.expected).toBeCloseTo(0.05, 12);
    expect(rows[1]!.score).toBeCloseTo(0.55 / (1.4826 * 0.05), 9);
  });

  it('normal buckets score below the threshold', async () => {
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery(planted, { minScore: 0, topN: 1000 }));
    expect(rows).toHaveLength(24); // 6 buckets x 2 endpoints x 2 metrics
    const normal = rows.filter((r) => r.bucket.getTime() !== at('00:25').getTime());
    expect(Math.max(...normal.map((r) => r.score))).toBeCloseTo(12.5 / (1.4826 * 5), 9); // /y 90 ms bucket
  });

  it('rolling baseline over the previous 3 buckets', async () => {
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery(planted, { baselineBuckets: 3 }));
    expect(rows.map((r) => [r.dimension, r.metric, r.bucket.toISOString()])).toEqual([
      ['/y', 'latency_p95', at('00:25').toISOString()],
      ['/x', 'error_rate', at('00:25').toISOString()],
    ]);
    // /y baseline 90 100 105: median 100, MAD 5 -> 900 / 7.413
    expect(rows[0]!.expected).toBe(100);
    expect(rows[0]!.score).toBeCloseTo(900 / (1.4826 * 5), 9);
    // /x baseline 0 .1 0: median 0, MAD 0 -> population sd sqrt(.02/9)
    expect(rows[1]!.expected).toBe(0);
    expect(rows[1]!.score).toBeCloseTo(0.6 / Math.sqrt(0.02 / 9), 9);
  });

  it('minRequests drops thin buckets; error-rate only without responseTime', async () => {
    expect(await duck.run(buildAnomalyScoresQuery(planted, { minRequests: 11 }))).toEqual([]);
    const { responseTime: _rt, ...roles } = planted.roles;
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery({ relation: 'planted', roles }));
    expect(rows.map((r) => [r.dimension, r.metric])).toEqual([['/x', 'error_rate']]);
  });
});

describe('buildAnomalyRuleQuery', () => {
  it('errors or slow rows per 15 minute bucket and endpoint', async () => {
    const q = buildAnomalyRuleQuery({ relation: 'logs', roles: LOGS_ROLES }, { interval: '15m', responseTimeThreshold: 400 });
    const rows = await duck.run<AnomalyRuleRow>(q);
    expect(rows).toEqual([
      { bucket: at('10:00'), dimension: '/a', anomalies: 2n, errors: 2n, slow: 1n, requests: 5n, maxResponseTime: 500 },
      { bucket: at('10:00'), dimension: '/b', anomalies: 1n, errors: 1n, slow: 1n, requests: 3n, maxResponseTime: 700 },
      { bucket: at('10:15'), dimension: '/a', anomalies: 1n, errors: 1n, slow: 0n, requests: 2n, maxResponseTime: 200 },
      { bucket: at('11:30'), dimension: '/c', anomalies: 1n, errors: 1n, slow: 0n, requests: 2n, maxResponseTime: 60 },
    ]);
  });

  it('slow-only rule by source', async () => {
    const roles = { timestamp: 'ts', source: 'source', responseTime: 'resp "ms"' };
    const rows = await duck.run<AnomalyRuleRow>(
      buildAnomalyRuleQuery({ relation: 'logs', roles }, { interval: '1h', dimension: 'source', responseTimeThreshold: 250 }),
    );
    expect(rows).toEqual([
      { bucket: at('10:00'), dimension: 'web', anomalies: 3n, errors: null, slow: 3n, requests: 8n, maxResponseTime: 700 },
    ]);
  });
});

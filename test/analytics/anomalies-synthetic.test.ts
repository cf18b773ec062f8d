import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnomalyScoresQuery, buildTimeSeriesQuery, type AnomalyScoreRow, type TimeSeriesRow } from '../../src/analytics/index.ts';
import { openTestDuck, type TestDuck } from './duckdb.ts';

/**
 * 100,000 rows over one UTC day (one every 0.864 s), four endpoints round-robin, latency 50..149 ms and ~1% 500s
 * from a deterministic hash. Planted: in 12:30-12:35 UTC, 60% of /c's rows are 500s.
 */
const SYNTHETIC_SQL = `
CREATE TABLE traffic AS
SELECT ts, endpoint,
       CASE WHEN endpoint = '/c' AND ts >= TIMESTAMP '2024-06-01 12:30:00' AND ts < TIMESTAMP '2024-06-01 12:35:00'
                 AND hash(i, 'burst') % 10 < 6 THEN 503
            WHEN hash(i, 'err') % 100 = 0 THEN 500
            ELSE 200 END AS status,
       50 + hash(i, 'rt') % 100 AS latency_ms
FROM (
  SELECT i, TIMESTAMP '2024-06-01 00:00:00' + to_microseconds(i * 864000) AS ts,
         ['/a', '/b', '/c', '/d'][i % 4 + 1] AS endpoint
  FROM range(100000) AS r(i)
)`;

const source = { relation: 'traffic', roles: { timestamp: 'ts', endpoint: 'endpoint', status: 'status', responseTime: 'latency_ms' } };
let duck: TestDuck;

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(SYNTHETIC_SQL);
});
afterAll(() => duck.close());

describe('anomaly detector on 100k synthetic rows', () => {
  it('finds exactly the planted window and endpoint', async () => {
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery(source, { interval: '5m' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ bucket: new Date('2024-06-01T12:30:00Z'), dimension: '/c', metric: 'error_rate' });
    expect(rows[0]!.observed).toBeGreaterThan(0.5);
    expect(rows[0]!.score).toBeGreaterThan(20);
    // nothing else crosses the default threshold: ~1% background errors and uniform latency are noise
    expect(rows).toHaveLength(1);
  });

  it('the rolling baseline ranks it first by far', async () => {
    // An hour of previous buckets is often all zeros (MAD 0), so the 0.01 error-rate floor sets the scale and a
    // 5-in-87 bucket elsewhere scores ~5.7: flagged, but an order of magnitude below the burst.
    const rows = await duck.run<AnomalyScoreRow>(buildAnomalyScoresQuery(source, { interval: '5m', baselineBuckets: 12 }));
    expect(rows[0]).toMatchObject({ bucket: new Date('2024-06-01T12:30:00Z'), dimension: '/c', metric: 'error_rate' });
    expect(rows[0]!.score).toBeGreaterThan(5 * rows[1]!.score);
  });

  it('the time series shows the burst and a full day of 5 minute buckets', async () => {
    const rows = await duck.run<TimeSeriesRow>(buildTimeSeriesQuery(source, { interval: '5m', from: '2024-06-01', to: '2024-06-02' }));
    expect(rows).toHaveLength(288);
    expect(rows.reduce((n, r) => n + r.requests, 0n)).toBe(100_000n);
    const worst = rows.reduce((a, b) => (b.errors! > a.errors! ? b : a));
    expect(worst.bucket).toEqual(new Date('2024-06-01T12:30:00Z'));
  });
});

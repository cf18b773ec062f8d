import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerformanceQuery, type PerformanceRow } from '../../src/analytics/index.ts';
import { LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

const source = { relation: 'logs', roles: LOGS_ROLES };
let duck: TestDuck;

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(LOGS_SQL);
});
afterAll(() => duck.close());

describe('buildPerformanceQuery', () => {
  it('by endpoint: requests desc, quantile_cont latencies, error rate', async () => {
    const rows = await duck.run<PerformanceRow>(buildPerformanceQuery(source));
    expect(rows.map((r) => [r.dimension, r.requests])).toEqual([['/a', 8n], ['/b', 6n], ['/c', 6n], ['/d', 1n]]);
    const [a, b, c, d] = rows;
    // /a sorted: 90 100 110 120 130 200 300 500
    expect(a!.avgResponseTime).toBeCloseTo(193.75, 9);
    expect(a!.p50ResponseTime).toBeCloseTo(125, 9);
    expect(a!.p95ResponseTime).toBeCloseTo(430, 9); // pos 6.65: 300 + 0.65 * 200
    expect(a!.p99ResponseTime).toBeCloseTo(486, 9); // pos 6.93
    expect(a!.errorRate).toBe(0.375);
    // /b sorted: 40 50 60 70 80 700
    expect(b!.avgResponseTime).toBeCloseTo(1000 / 6, 9);
    expect(b!.p50ResponseTime).toBeCloseTo(65, 9);
    expect(b!.p95ResponseTime).toBeCloseTo(545, 9); // pos 4.75: 80 + 0.75 * 620
    expect(b!.p99ResponseTime).toBeCloseTo(669, 9);
    // /c: 10 20 30 40 60 and one NULL time (still a request)
    expect(c).toMatchObject({ avgResponseTime: 32, p50ResponseTime: 30 });
    expect(c!.p95ResponseTime).toBeCloseTo(56, 9);
    expect(c!.errorRate).toBeCloseTo(1 / 6, 12);
    expect(d).toMatchObject({ requests: 1n, avgResponseTime: 5, p99ResponseTime: 5, errorRate: 0 });
  });

  it('by source with topN', async () => {
    const rows = await duck.run<PerformanceRow>(buildPerformanceQuery(source, { groupBy: 'source', topN: 1 }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ dimension: 'api', requests: 12n });
    expect(rows[0]!.errorRate).toBeCloseTo(2 / 12, 12);
    const both = await duck.run<PerformanceRow>(buildPerformanceQuery(source, { groupBy: 'source' }));
    expect(both[1]).toMatchObject({ dimension: 'web', requests: 9n, p50ResponseTime: 110 });
    expect(both[1]!.avgResponseTime).toBeCloseTo(1945 / 9, 9);
    expect(both[1]!.errorRate).toBeCloseTo(3 / 9, 12);
  });

  it('error rate is null without status and level', async () => {
    const { status: _s, level: _l, ...roles } = LOGS_ROLES;
    const rows = await duck.run<PerformanceRow>(buildPerformanceQuery({ relation: 'logs', roles }, { topN: 1 }));
    expect(rows[0]).toMatchObject({ dimension: '/a', requests: 8n, errorRate: null });
  });
});

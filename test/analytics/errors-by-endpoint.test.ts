import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildErrorsByEndpointQuery, type ErrorsByEndpointRow } from '../../src/analytics/index.ts';
import { at, LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

const source = { relation: 'logs', roles: LOGS_ROLES };
let duck: TestDuck;

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(`SET TimeZone = 'Asia/Kolkata'`); // a non-UTC session must not shift anything
  await duck.exec(LOGS_SQL);
});
afterAll(() => duck.close());

describe('buildErrorsByEndpointQuery', () => {
  it('counts status >= 500 or level ERROR (any case) per endpoint, errors desc then endpoint', async () => {
    const rows = await duck.run<ErrorsByEndpointRow>(buildErrorsByEndpointQuery(source));
    expect(rows.map((r) => r.endpoint)).toEqual(['/a', '/b', '/c']); // /d has no error; /b and /c tie at 1
    const [a, b, c] = rows;
    expect(a).toMatchObject({ errors: 3n, requests: 8n, errorRate: 0.375 });
    expect(a!.avgResponseTime).toBeCloseTo(1000 / 3, 9); // 300, 500, 200
    expect(a!.p95ResponseTime).toBeCloseTo(480, 9); // 300 + 0.9 * (500 - 300)
    expect(b).toMatchObject({ errors: 1n, requests: 6n, avgResponseTime: 700, p95ResponseTime: 700 });
    expect(b!.errorRate).toBeCloseTo(1 / 6, 12);
    expect(c).toMatchObject({ errors: 1n, requests: 6n, avgResponseTime: null, p95ResponseTime: null }); // level 'error', NULL time
  });

  it('honours topN', async () => {
    const rows = await duck.run<ErrorsByEndpointRow>(buildErrorsByEndpointQuery(source, { topN: 2 }));
    expect(rows.map((r) => r.endpoint)).toEqual(['/a', '/b']);
  });

  it('status range and an empty levels list', async () => {
    const rows = await duck.run<ErrorsByEndpointRow>(
      buildErrorsByEndpointQuery(source, { statusMin: 400, statusMax: 599, levels: [] }),
    );
    expect(rows.map((r) => [r.endpoint, r.errors, r.requests])).toEqual([['/a', 3n, 8n], ['/b', 1n, 6n]]);
    expect(rows[0]!.avgResponseTime).toBeCloseTo(890 / 3, 9); // 503:500, 404:90, 500:300
    const only404 = await duck.run<ErrorsByEndpointRow>(buildErrorsByEndpointQuery(source, { statusMin: 400, statusMax: 499, levels: [] }));
    expect(only404.map((r) => [r.endpoint, r.errors])).toEqual([['/a', 1n]]);
  });

  it('filters the half-open time range [from, to)', async () => {
    const rows = await duck.run<ErrorsByEndpointRow>(
      buildErrorsByEndpointQuery(source, { from: '2024-05-01T10:05:00', to: at('10:31') }),
    );
    expect(rows.map((r) => [r.endpoint, r.errors, r.requests, r.errorRate])).toEqual([
      ['/a', 1n, 2n, 0.5],
      ['/b', 1n, 4n, 0.25],
    ]);
  });

  it('works with only a level column', async () => {
    const { status: _status, ...roles } = LOGS_ROLES;
    const rows = await duck.run<ErrorsByEndpointRow>(buildErrorsByEndpointQuery({ relation: 'logs', roles }));
    expect(rows.map((r) => [r.endpoint, r.errors])).toEqual([['/a', 2n], ['/c', 1n]]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsInputError, buildTimeSeriesQuery, TOO_MANY_BUCKETS_MARKER, type TimeSeriesRow } from '../../src/analytics/index.ts';
import { at, LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

const source = { relation: 'logs', roles: LOGS_ROLES };
const tzSource = { relation: 'logs_tz', roles: LOGS_ROLES };
let duck: TestDuck;

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(`SET TimeZone = 'Asia/Kolkata'`); // +05:30: a session zone must not move buckets
  await duck.exec(LOGS_SQL);
  // The same instants as TIMESTAMPTZ: the builders must give identical answers for either column type.
  await duck.exec(`CREATE TABLE logs_tz AS SELECT * REPLACE (timezone('UTC', ts) AS ts) FROM logs`);
});
afterAll(() => duck.close());

type Compact = [string, bigint, bigint | null, number | null];
const compact = (rows: TimeSeriesRow[]): Compact[] =>
  rows.map((r) => [r.bucket.toISOString().slice(11, 16), r.requests, r.errors, r.avgResponseTime]);

describe('buildTimeSeriesQuery', () => {
  it('15 minute buckets from..to with gaps filled by zeros', async () => {
    const q = buildTimeSeriesQuery(source, { interval: '15m', from: at('10:00'), to: at('12:00') });
    const rows = await duck.run<TimeSeriesRow>(q);
    expect(compact(rows)).toEqual([
      ['10:00', 12n, 3n, 170],
      ['10:15', 2n, 1n, 165],
      ['10:30', 3n, 0n, 200 / 3],
      ['10:45', 1n, 0n, 80],
      ['11:00', 0n, 0n, null],
      ['11:15', 0n, 0n, null],
      ['11:30', 2n, 1n, 60],
      ['11:45', 0n, 0n, null],
    ]);
    const p95 = [590, 196.5, 88, 80, null, null, 60, null]; // 10:00: 500 + 0.45 * 200; 10:15: 130 + 0.95 * 70
    rows.forEach((r, i) => (p95[i] === null ? expect(r.p95ResponseTime).toBeNull() : expect(r.p95ResponseTime).toBeCloseTo(p95[i]!, 9)));
    expect(await duck.run<TimeSeriesRow>(buildTimeSeriesQuery(tzSource, { interval: '15m', from: at('10:00'), to: at('12:00') })))
      .toEqual(rows);
  });

  it('without from/to the data bounds the series', async () => {
    const rows = await duck.run<TimeSeriesRow>(buildTimeSeriesQuery(source, { interval: 'PT15M' }));
    expect(rows.map((r) => r.bucket.toISOString())).toEqual(
      ['09:45', '10:00', '10:15', '10:30', '10:45', '11:00', '11:15', '11:30'].map((t) => at(t).toISOString()),
    );
    expect(rows.map((r) => r.requests)).toEqual([1n, 12n, 2n, 3n, 1n, 0n, 0n, 2n]);
  });

  it('aligns buckets to UTC interval boundaries and filters the range', async () => {
    const rows = await duck.run<TimeSeriesRow>(
      buildTimeSeriesQuery(tzSource, { interval: '1 hour', from: '2024-05-01T10:20:00Z', to: '2024-05-01T11:40:00Z' }),
    );
    expect(compact(rows)).toEqual([['10:00', 6n, 1n, 610 / 6], ['11:00', 2n, 1n, 60]]);
  });

  it('empty data with both bounds still yields zero buckets; without bounds yields none', async () => {
    await duck.exec(`CREATE TABLE empty_logs AS SELECT * FROM logs WHERE false`);
    const empty = { relation: 'empty_logs', roles: LOGS_ROLES };
    const rows = await duck.run<TimeSeriesRow>(buildTimeSeriesQuery(empty, { interval: '1h', from: at('10:00'), to: at('12:00') }));
    expect(compact(rows)).toEqual([['10:00', 0n, 0n, null], ['11:00', 0n, 0n, null]]);
    expect(await duck.run<TimeSeriesRow>(buildTimeSeriesQuery(empty, { interval: '1h' }))).toEqual([]);
  });

  it('errors are null without status and level', async () => {
    const { status: _s, level: _l, ...roles } = LOGS_ROLES;
    const rows = await duck.run<TimeSeriesRow>(buildTimeSeriesQuery({ relation: 'logs', roles }, { interval: '1d' }));
    expect(compact(rows)).toEqual([['00:00', 21n, null, expect.closeTo(2715 / 20, 9) as unknown as number]]);
  });

  it('bounds the number of buckets', async () => {
    expect(() => buildTimeSeriesQuery(source, { interval: '1s', from: at('00:00'), to: at('23:00') }))
      .toThrow(AnalyticsInputError);
    // exactly 10,000 one-second buckets is allowed
    expect(() => buildTimeSeriesQuery(source, { interval: '1s', from: new Date(0), to: new Date(10_000_000) })).not.toThrow();
    expect(() => buildTimeSeriesQuery(source, { interval: '1s', from: new Date(0), to: new Date(10_000_001) })).toThrow(/10001 buckets/);
    // a bound taken from the data is checked when the query runs
    const q = buildTimeSeriesQuery(source, { interval: '1s', to: '2024-05-02T00:00:00Z' });
    await expect(duck.run(q)).rejects.toThrow(TOO_MANY_BUCKETS_MARKER);
  });
});

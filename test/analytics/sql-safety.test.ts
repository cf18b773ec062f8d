import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnalyticsInputError,
  buildAnomalyRuleQuery,
  buildAnomalyScoresQuery,
  buildErrorsByEndpointQuery,
  buildPerformanceQuery,
  buildSessionsQuery,
  buildTimeSeriesQuery,
  type AnalyticsSource,
  type PerformanceRow,
  type SqlQuery,
} from '../../src/analytics/index.ts';
import { LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

const source: AnalyticsSource = { relation: 'logs', roles: LOGS_ROLES };
const MARKER = "MARKER_7f3a'; DROP TABLE logs; --";
const FROM = '2024-05-01T10:00:00.123Z';

/** Every builder with parameters that carry recognisable values. */
const builders: Record<string, () => SqlQuery> = {
  errors: () => buildErrorsByEndpointQuery(source, { levels: [MARKER], statusMin: 421, topN: 77, from: FROM }),
  performance: () => buildPerformanceQuery(source, { levels: [MARKER], topN: 77, from: FROM }),
  sessions: () => buildSessionsQuery(source, { minSessions: 421, minRequests: 77, from: FROM }),
  timeSeries: () => buildTimeSeriesQuery(source, { levels: [MARKER], interval: '7m', from: FROM, to: '2024-05-01T11:00:00Z' }),
  anomalyRule: () => buildAnomalyRuleQuery(source, { levels: [MARKER], responseTimeThreshold: 4321.5, from: FROM }),
  anomalyScores: () => buildAnomalyScoresQuery(source, { levels: [MARKER], minScore: 4.25, minRequests: 421, baselineBuckets: 77 }),
};

function expectBadInput(build: () => unknown, field?: string): void {
  let thrown: unknown;
  try {
    build();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AnalyticsInputError);
  expect((thrown as AnalyticsInputError).code).toBe('BAD_USER_INPUT');
  if (field !== undefined) expect((thrown as AnalyticsInputError).field).toBe(field);
}

let duck: TestDuck;
beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(LOGS_SQL);
});
afterAll(() => duck.close());

describe('parameters are bound, never spliced', () => {
  it.each(Object.keys(builders))('%s keeps values out of the SQL text and runs', async (name) => {
    const q = builders[name]!();
    for (const value of [MARKER, MARKER.toUpperCase(), 'MARKER_7f3a', '421', '4321.5', '4.25', '1714557600123']) {
      expect(q.sql).not.toContain(value);
    }
    expect(q.params.some((p) => p === MARKER.toUpperCase() || p === 421 || p === 4321.5 || p === 4.25)).toBe(true);
    expect(Math.max(...[...q.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))).toBe(q.params.length);
    await expect(duck.run(q)).resolves.toBeInstanceOf(Array);
  });

  it('quotes role identifiers, even hostile ones', async () => {
    await duck.exec(`CREATE TABLE odd AS SELECT ts AS "t""s; --", endpoint AS "select", "resp ""ms""" AS "x y" FROM logs`);
    const roles = { timestamp: 't"s; --', endpoint: 'select', responseTime: 'x y' };
    const rows = await duck.run<PerformanceRow>(buildPerformanceQuery({ relation: 'odd', roles }, { topN: 1 }));
    expect(rows[0]).toMatchObject({ dimension: '/a', requests: 8n, avgResponseTime: 193.75 });
  });

  it('numbers its placeholders after the relation parameters', async () => {
    const scoped: AnalyticsSource = { relation: '(SELECT * FROM logs WHERE source = $1::VARCHAR)', roles: LOGS_ROLES, params: ['web'] };
    const q = buildPerformanceQuery(scoped, { groupBy: 'source' });
    expect(q.params[0]).toBe('web');
    const rows = await duck.run<PerformanceRow>(q);
    expect(rows.map((r) => [r.dimension, r.requests])).toEqual([['web', 9n]]);
  });
});

describe('bad input is BAD_USER_INPUT', () => {
  it('numbers out of range', () => {
    expectBadInput(() => buildErrorsByEndpointQuery(source, { topN: 0 }), 'topN');
    expectBadInput(() => buildErrorsByEndpointQuery(source, { topN: 2.5 }), 'topN');
    expectBadInput(() => buildPerformanceQuery(source, { topN: 1e9 }), 'topN');
    expectBadInput(() => buildErrorsByEndpointQuery(source, { statusMin: 600, statusMax: 500 }), 'statusMax');
    expectBadInput(() => buildErrorsByEndpointQuery(source, { statusMin: 42 }), 'statusMin');
    expectBadInput(() => buildSessionsQuery(source, { minSessions: -1 }), 'minSessions');
    expectBadInput(() => buildAnomalyScoresQuery(source, { minScore: Number.NaN }), 'minScore');
    expectBadInput(() => buildAnomalyScoresQuery(source, { minRequests: 0 }), 'minRequests');
    expectBadInput(() => buildAnomalyScoresQuery(source, { baselineBuckets: 0 }), 'baselineBuckets');
    expectBadInput(() => buildAnomalyRuleQuery(source, { responseTimeThreshold: -1 }), 'responseTimeThreshold');
  });

  it('enums, levels, intervals and time ranges', () => {
    expectBadInput(() => buildPerformanceQuery(source, { groupBy: 'user' as never }), 'groupBy');
    expectBadInput(() => buildAnomalyScoresQuery(source, { dimension: 'status' as never }), 'dimension');
    expectBadInput(() => buildErrorsByEndpointQuery(source, { levels: [''] }), 'levels');
    expectBadInput(() => buildErrorsByEndpointQuery(source, { levels: 'ERROR' as never }), 'levels');
    expectBadInput(() => buildTimeSeriesQuery(source, { interval: '1 month' }), 'interval');
    expectBadInput(() => buildAnomalyRuleQuery(source, { interval: 'P1M' }), 'interval');
    expectBadInput(() => buildTimeSeriesQuery(source, { from: '2024-05-02', to: '2024-05-01' }), 'from');
    expectBadInput(() => buildSessionsQuery(source, { from: 'last tuesday' }), 'from');
    expectBadInput(() => buildTimeSeriesQuery(source, { interval: '1s', from: '2024-01-01', to: '2024-02-01' }), 'interval');
  });

  it('roles a builder needs but the table does not map', () => {
    const bare = (keep: (keyof typeof LOGS_ROLES)[]): AnalyticsSource => ({
      relation: 'logs',
      roles: { timestamp: 'ts', ...Object.fromEntries(keep.map((k) => [k, LOGS_ROLES[k]])) },
    });
    expectBadInput(() => buildSessionsQuery(bare(['session'])), 'user');
    expectBadInput(() => buildSessionsQuery(bare(['user'])), 'session');
    expectBadInput(() => buildErrorsByEndpointQuery(bare(['status', 'level'])), 'endpoint');
    expectBadInput(() => buildErrorsByEndpointQuery(bare(['endpoint'])), 'status');
    expectBadInput(() => buildErrorsByEndpointQuery(bare(['endpoint', 'level']), { levels: [] }), 'status');
    expectBadInput(() => buildPerformanceQuery(bare(['endpoint'])), 'responseTime');
    expectBadInput(() => buildPerformanceQuery(bare(['endpoint', 'responseTime']), { groupBy: 'source' }), 'source');
    expectBadInput(() => buildAnomalyScoresQuery(bare(['endpoint'])), 'responseTime');
    expectBadInput(() => buildAnomalyRuleQuery(bare(['source', 'level'])), 'endpoint');
    expectBadInput(() => buildTimeSeriesQuery({ relation: 'logs', roles: { timestamp: '' } }), 'timestamp');
    expectBadInput(() => buildTimeSeriesQuery({ relation: ' ', roles: { timestamp: 'ts' } }), 'relation');
  });
});

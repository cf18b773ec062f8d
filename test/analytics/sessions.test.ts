import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSessionsQuery, type SessionsRow } from '../../src/analytics/index.ts';
import { at, LOGS_ROLES, LOGS_SQL, openTestDuck, type TestDuck } from './duckdb.ts';

const source = { relation: 'logs', roles: LOGS_ROLES };
let duck: TestDuck;

beforeAll(async () => {
  duck = await openTestDuck();
  await duck.exec(`SET TimeZone = 'America/New_York'`);
  await duck.exec(LOGS_SQL);
});
afterAll(() => duck.close());

describe('buildSessionsQuery', () => {
  it('sessions, requests, first/last seen and mean session length per user', async () => {
    const rows = await duck.run<SessionsRow>(buildSessionsQuery(source));
    expect(rows).toEqual([
      // s1: 10:00 .. 10:07 = 420 s
      { user: 'u1', sessions: 1n, requests: 6n, firstSeen: at('10:00'), lastSeen: at('10:07'), avgSessionSeconds: 420 },
      // s5: 10:10 .. 10:13 = 180 s, s6: 11:30 .. 11:35 = 300 s
      { user: 'u4', sessions: 2n, requests: 6n, firstSeen: at('10:10'), lastSeen: at('11:35'), avgSessionSeconds: 240 },
      // s2: 60 s, s3: 60 s
      { user: 'u2', sessions: 2n, requests: 4n, firstSeen: at('10:03'), lastSeen: at('10:21'), avgSessionSeconds: 60 },
      // s4: 10:30 .. 10:40 = 600 s
      { user: 'u3', sessions: 1n, requests: 3n, firstSeen: at('10:30'), lastSeen: at('10:40'), avgSessionSeconds: 600 },
    ]); // u5 has no session id, so fails minSessions = 1; the NULL user is left out
  });

  it('thresholds and topN', async () => {
    const twoSessions = await duck.run<SessionsRow>(buildSessionsQuery(source, { minSessions: 2 }));
    expect(twoSessions.map((r) => r.user)).toEqual(['u4', 'u2']);
    const busy = await duck.run<SessionsRow>(buildSessionsQuery(source, { minSessions: 0, minRequests: 4, topN: 2 }));
    expect(busy.map((r) => r.user)).toEqual(['u1', 'u4']);
    const all = await duck.run<SessionsRow>(buildSessionsQuery(source, { minSessions: 0 }));
    expect(all.at(-1)).toEqual({
      user: 'u5', sessions: 0n, requests: 1n, firstSeen: at('09:59'), lastSeen: at('09:59'), avgSessionSeconds: null,
    });
  });

  it('time range cuts sessions', async () => {
    const rows = await duck.run<SessionsRow>(buildSessionsQuery(source, { from: at('10:05'), to: at('11:00') }));
    expect(rows.map((r) => [r.user, r.requests, r.avgSessionSeconds])).toEqual([
      ['u4', 4n, 180],
      ['u1', 3n, 120],
      ['u3', 3n, 600],
      ['u2', 2n, 60],
    ]);
  });
});

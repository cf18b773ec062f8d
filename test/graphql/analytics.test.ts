/**
 * Canned analytics through GraphQL on the delta-rs-written web-log fixture, with roles declared in a tables file.
 * Expected figures are computed by hand from WEBLOGS_V0/V1 (an error = status >= 500 or level ERROR).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-analytics-'));
  await writeWeblogs(join(lake, 'weblogs'));
  const tablesFile = join(lake, 'tables.json');
  const roles = { timestamp: 'ts', level: 'level', status: 'status', endpoint: 'endpoint', responseTime: 'response_time_ms', user: 'user_id', session: 'session_id' };
  await writeFile(tablesFile, JSON.stringify({ tables: [{ name: 'weblogs', location: join(lake, 'weblogs'), roles }] }));
  gw = await startGateway({ LAKE_ROOT: lake, TABLES_FILE: tablesFile });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

describe('analytics', () => {
  it('errors by endpoint', async () => {
    const res = await gw.gql('{ analytics(table: "weblogs") { errors { endpoint errors requests errorRate avgResponseTime } } }');
    expect(res.errors).toBeUndefined();
    const rows = res.data!.analytics.errors;
    expect(rows[0]).toEqual({ endpoint: '/api/users', errors: '2', requests: '5', errorRate: 0.4, avgResponseTime: 350 });
    expect(rows[1]).toEqual({ endpoint: '/api/orders', errors: '1', requests: '4', errorRate: 0.25, avgResponseTime: 900 });
  });

  it('time series with gaps filled with zeros, limited to [from, to)', async () => {
    const res = await gw.gql('{ analytics(table: "weblogs", from: "2024-05-01T00:00:00Z", to: "2024-05-04T00:00:00Z") { timeSeries(interval: "1d") { bucket requests errors } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.analytics.timeSeries).toEqual([
      { bucket: '2024-05-01T00:00:00.000Z', requests: '6', errors: '2' },
      { bucket: '2024-05-02T00:00:00.000Z', requests: '4', errors: '1' },
      { bucket: '2024-05-03T00:00:00.000Z', requests: '0', errors: '0' },
    ]);
    // The range prunes files by timestamp stats: only the first day's data when to = 05-02.
    const day1 = await gw.gql('{ analytics(table: "weblogs", from: "2024-05-01T00:00:00Z", to: "2024-05-02T00:00:00Z") { timeSeries(interval: "1d") { requests } } }');
    expect(day1.data!.analytics.timeSeries).toEqual([{ requests: '6' }]);
    expect(day1.extensions!.delta.scan.filesSkipped).toBeGreaterThan(0);
  });

  it('performance by endpoint', async () => {
    const res = await gw.gql('{ analytics(table: "weblogs") { performance(by: ENDPOINT) { dimension requests avgResponseTime p50ResponseTime errorRate } } }');
    const users = res.data!.analytics.performance.find((r: any) => r.dimension === '/api/users');
    // /api/users: 100, 300, 120, 80, 400 -> avg 200, median 120; 2 errors of 5.
    expect(users).toEqual({ dimension: '/api/users', requests: '5', avgResponseTime: 200, p50ResponseTime: 120, errorRate: 0.4 });
  });

  it('sessions per user', async () => {
    const res = await gw.gql('{ analytics(table: "weblogs") { sessions(minRequests: 3) { user sessions requests avgSessionSeconds } } }');
    // user 1: s1 (10:00-10:01, 60 s) and s4 (09:00-09:10, 600 s) -> avg 330 s over 4 requests.
    expect(res.data!.analytics.sessions).toEqual([
      { user: '1', sessions: '2', requests: '4', avgSessionSeconds: 330 },
      { user: '2', sessions: '2', requests: '3', avgSessionSeconds: 30 },
    ]);
  });

  it('anomaly rule flags error and slow rows per bucket', async () => {
    const res = await gw.gql('{ analytics(table: "weblogs") { anomalyRule(interval: "1h", responseTimeThreshold: 350) { bucket dimension anomalies errors slow } } }');
    const rows = res.data!.analytics.anomalyRule;
    const orders = rows.find((r: any) => r.dimension === '/api/orders' && r.bucket === '2024-05-01T10:00:00.000Z');
    expect(orders).toEqual({ bucket: '2024-05-01T10:00:00.000Z', dimension: '/api/orders', anomalies: '1', errors: '1', slow: '1' });
  });

  it('keys its cache by the request: a hit plans nothing, builds no SQL and takes no connection', async () => {
    const query = '{ analytics(table: "weblogs", from: "2024-05-01T00:00:00Z") { errors(topN: 3) { endpoint errors } timeSeries(interval: "1d") { requests } } }';
    const { scans, engine, cache } = gw.app.services;
    const planned = scans.stats().plans;
    const first = await gw.gql(query);
    expect(first.errors).toBeUndefined();
    expect(first.extensions!.delta.cache).toMatchObject({ status: 'miss', misses: 2 });
    expect(scans.stats().plans - planned).toBe(1); // both fields prune the same files once per request
    await cache!.idle();
    const [plans, checkouts, ran] = [scans.stats().plans, engine.stats().checkouts, scans.stats().scans];
    const hit = await gw.gql(query);
    expect(hit.extensions!.delta.cache).toMatchObject({ status: 'hit', hits: 2 });
    expect(hit.data).toEqual(first.data);
    expect(scans.stats()).toEqual({ plans, scans: ran });
    expect(engine.stats().checkouts).toBe(checkouts);
    expect(hit.extensions!.delta.timing.planningMs).toBe(0);
    expect(hit.extensions!.delta.scan).toEqual(first.extensions!.delta.scan); // the figures of the scans the answers came from
    // Another parameter is another request: a miss that plans again.
    const other = await gw.gql(query.replace('topN: 3', 'topN: 2'));
    expect(other.extensions!.delta.cache).toMatchObject({ status: 'miss', hits: 1, misses: 1 });
    expect(scans.stats().plans).toBe(plans + 1);
  });

  it('refuses bad input with codes', async () => {
    const bad = await gw.gql('{ analytics(table: "weblogs") { timeSeries(interval: "fortnightly") { bucket } } }');
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const noRoles = await gw.gql('{ analytics(table: "nope") { errors { endpoint } } }');
    expect(noRoles.errors![0]!.extensions!.code).toBe('TABLE_NOT_FOUND');
    const range = await gw.gql('{ analytics(table: "weblogs", from: "2024-05-02T00:00:00Z", to: "2024-05-01T00:00:00Z") { errors { endpoint } } }');
    expect(range.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

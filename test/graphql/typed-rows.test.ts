/**
 * Typed table fields end to end: buildApp on port 0, a real HTTP client, a table written by delta-rs.
 * Filters, ordering, Relay paging pinned to a version across a concurrent append, time travel, pruning figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { appendWeblogs, weblogRow, writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-typed-'));
  await writeWeblogs(join(lake, 'weblogs'));
  gw = await startGateway({ LAKE_ROOT: lake });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

async function ids(where: string, extra = ''): Promise<number[]> {
  const res = await gw.gql(`{ weblogs(where: ${where}, orderBy: [{ field: id }] ${extra}) { edges { node { id } } } }`);
  expect(res.errors).toBeUndefined();
  return res.data!.weblogs.edges.map((e: { node: { id: string } }) => Number(e.node.id));
}

describe('typed filters', () => {
  it('compares, IN, null tests, AND/OR/NOT and string operators', async () => {
    expect(await ids('{ status: { gte: 500 } }')).toEqual([2, 5, 8]);
    expect(await ids('{ level: { in: ["WARN", "ERROR"] } }')).toEqual([2, 4, 5, 8]);
    expect(await ids('{ message: { isNull: true } }')).toEqual([6]);
    expect(await ids('{ user_id: { isNull: false }, endpoint: { eq: "/api/orders" } }')).toEqual([3, 4, 5, 10]);
    expect(await ids('{ or: [{ endpoint: { eq: "/health" } }, { response_time_ms: { gt: 500 } }] }')).toEqual([5, 9]);
    expect(await ids('{ not: { level: { eq: "INFO" } } }')).toEqual([2, 4, 5, 8]);
    expect(await ids('{ message: { contains: "boom" } }')).toEqual([2, 8]);
    expect(await ids('{ endpoint: { startsWith: "/api/o" } }')).toEqual([3, 4, 5, 10]);
    expect(await ids('{ ts: { gte: "2024-05-01T10:03:00Z", lt: "2024-05-02T09:10:00Z" } }')).toEqual([4, 5, 6, 7]);
    expect(await ids('{ id: { ne: 1, lte: "3" } }')).toEqual([2, 3]);
  });

  it('prunes partitions and reports scan figures in extensions', async () => {
    const res = await gw.gql('{ weblogs(where: { date: { eq: "2024-05-02" } }) { edges { node { id date } } } }');
    expect(res.data!.weblogs.edges).toHaveLength(4);
    expect(res.extensions!.delta.scan.filesSkipped).toBeGreaterThan(0);
    expect(res.extensions!.delta.scan.filesScanned + res.extensions!.delta.scan.filesSkipped).toBe(res.extensions!.delta.scan.filesTotal);
    expect(res.extensions!.delta.tables.weblogs).toBe(1);
    expect(res.extensions!.delta.timing.totalMs).toBeGreaterThan(0);
  });

  it('returns exact typed values', async () => {
    const res = await gw.gql('{ weblogs(where: { id: { eq: 5 } }) { edges { node { id ts level status response_time_ms user_id session_id message date } } } }');
    expect(res.data!.weblogs.edges[0].node).toEqual({
      id: '5', ts: '2024-05-01T10:04:00.000Z', level: 'ERROR', status: 503, response_time_ms: 900, user_id: '3', session_id: 's3', message: 'unavailable', date: '2024-05-01',
    });
  });

  it('orders descending', async () => {
    const res = await gw.gql('{ weblogs(orderBy: [{ field: response_time_ms, direction: DESC }], first: 3) { edges { node { id } } } }');
    expect(res.data!.weblogs.edges.map((e: any) => e.node.id)).toEqual(['5', '8', '2']);
  });
});

describe('paging and time travel', () => {
  it('keeps paging on the cursor version while a new commit lands', async () => {
    const q = `query($after: String) { weblogs(orderBy: [{ field: id }], first: 3, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const page1 = await gw.gql(q);
    expect(page1.data!.weblogs.edges.map((e: any) => e.node.id)).toEqual(['1', '2', '3']);
    expect(page1.data!.weblogs.totalCount).toBe('10');
    await appendWeblogs(join(lake, 'weblogs'), [weblogRow(0, '2024-05-03T00:00:00Z', 'INFO', '/x', 200, 1, null, null, 'new')]);
    await new Promise((r) => setTimeout(r, 120)); // past CATALOG_REFRESH_MS
    const page2 = await gw.gql(q, { after: page1.data!.weblogs.pageInfo.endCursor });
    expect(page2.data!.weblogs.edges.map((e: any) => e.node.id)).toEqual(['4', '5', '6']);
    expect(page2.data!.weblogs.totalCount).toBe('10');
    expect(page2.data!.weblogs.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const fresh = await gw.gql('{ weblogs { totalCount } }');
    expect(fresh.data!.weblogs.totalCount).toBe('11');
  });

  it('pages backwards with last/before', async () => {
    const res = await gw.gql('{ weblogs(orderBy: [{ field: id }], last: 2, asOf: { version: 1 }) { edges { cursor node { id } } pageInfo { hasPreviousPage hasNextPage startCursor } } }');
    expect(res.data!.weblogs.edges.map((e: any) => e.node.id)).toEqual(['9', '10']);
    const before = await gw.gql('query($b: String) { weblogs(orderBy: [{ field: id }], last: 3, before: $b) { edges { node { id } } } }', { b: res.data!.weblogs.pageInfo.startCursor });
    expect(before.data!.weblogs.edges.map((e: any) => e.node.id)).toEqual(['6', '7', '8']);
  });

  it('reads old versions by version and by timestamp', async () => {
    const v0 = await gw.gql('{ weblogs(asOf: { version: 0 }) { totalCount } }');
    expect(v0.data!.weblogs.totalCount).toBe('6');
    const hist = await gw.gql('{ table(name: "weblogs") { history(first: 10) { edges { node { version timestamp } } } } }');
    const commits = hist.data!.table.history.edges.map((e: any) => e.node);
    const v1Time = commits.find((c: any) => c.version === 1).timestamp;
    const atV1 = await gw.gql('query($t: DateTime) { weblogs(asOf: { timestamp: $t }) { totalCount } }', { t: v1Time });
    expect(atV1.data!.weblogs.totalCount).toBe('10');
    const early = await gw.gql('{ weblogs(asOf: { timestamp: "2001-01-01T00:00:00Z" }) { totalCount } }');
    expect(early.errors![0]!.extensions!.code).toBe('VERSION_NOT_FOUND');
    const missing = await gw.gql('{ weblogs(asOf: { version: 99 }) { totalCount } }');
    expect(missing.errors![0]!.extensions!.code).toBe('VERSION_NOT_FOUND');
    expect(JSON.stringify(missing.errors)).not.toContain(lake);
  });
});

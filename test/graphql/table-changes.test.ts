/**
 * The typed change data feed end to end: buildApp on port 0, a real HTTP client, a delta-rs written table (inserts
 * only) and a corpus table whose change data files hold updates. Checks exact rows and commits, paging pinned to
 * the ending version across a new commit, agreement with the CLI's reader on the corpus table, and bad input.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { corpusTable, hasCorpus } from '../support/corpus.ts';
import { startGateway, stopGateways, type GraphQLResponse, type TestGateway } from '../support/gateway.ts';
import { waitFor } from '../support/services.ts';
import { appendWeblogs, weblogRow, WEBLOGS_V0, WEBLOGS_V1, writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let gw: TestGateway;

const CORPUS_CDF = 'delta-kernel-rs/cdf-table-update-ops';

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-changes-'));
  await writeWeblogs(join(lake, 'weblogs'));
  if (hasCorpus) await cp(corpusTable(CORPUS_CDF), join(lake, 'updates'), { recursive: true });
  gw = await startGateway({ LAKE_ROOT: lake, MAX_PAGE_SIZE: '100' });
}, 120_000);

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

interface ChangeEdge {
  cursor: string;
  node: { changeType: string; commitVersion: number; commitTimestamp: string; row: Record<string, unknown> };
}

const FEED = (args: string) => `{ weblogsChanges(${args}) { totalCount edges { cursor node { changeType commitVersion commitTimestamp row { id level } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

describe('change data feed over GraphQL', () => {
  it('lists every insert of versions 0..latest with its commit version and timestamp', async () => {
    const res = await gw.gql(FEED('fromVersion: 0'));
    expect(res.errors).toBeUndefined();
    const feed = res.data!.weblogsChanges;
    const history = (await gw.gql('{ table(name: "weblogs") { history(first: 10) { edges { node { version timestamp } } } } }')).data!.table.history.edges;
    const timestampOf = new Map(history.map((e: { node: { version: number; timestamp: string } }) => [e.node.version, e.node.timestamp]));
    expect(feed.totalCount).toBe('10');
    expect(feed.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const expected = [...WEBLOGS_V0.map((r) => [r, 0] as const), ...WEBLOGS_V1.map((r) => [r, 1] as const)].map(([r, v]) => ({
      changeType: 'insert', commitVersion: v, commitTimestamp: timestampOf.get(v), row: { id: String(r.id), level: r.level },
    }));
    expect(feed.edges.map((e: ChangeEdge) => e.node)).toEqual(expected);
  });

  it('reads one commit by fromVersion/toVersion and answers a repeat from the cache', async () => {
    const query = FEED('fromVersion: 1, toVersion: 1');
    const first = await gw.gql(query);
    expect(first.data!.weblogsChanges.edges.map((e: ChangeEdge) => e.node.row.id)).toEqual(['7', '8', '9', '10']);
    expect(first.extensions!.delta.cache.status).toBe('miss');
    const again = await gw.gql(query);
    expect(again.data).toEqual(first.data);
    expect(again.extensions!.delta.cache.status).toBe('hit');
  });

  it('keeps paging on the cursor version while a new commit lands', async () => {
    const page1 = (await gw.gql(FEED('fromVersion: 0, first: 4'))).data!.weblogsChanges;
    expect(page1.edges.map((e: ChangeEdge) => e.node.row.id)).toEqual(['1', '2', '3', '4']);
    expect(page1.pageInfo.hasNextPage).toBe(true);

    await appendWeblogs(join(lake, 'weblogs'), [weblogRow(11, '2024-05-03T00:00:00Z', 'INFO', '/x', 200, 1, null, null, 'new')]);
    await waitFor(async () => (await gw.gql('{ table(name: "weblogs") { currentVersion } }')).data!.table.currentVersion === 2, { timeoutMs: 10_000, what: 'version 2' });

    const page2 = (await gw.gql(FEED(`fromVersion: 0, first: 100, after: "${page1.pageInfo.endCursor}"`))).data!.weblogsChanges;
    expect(page2.edges.map((e: ChangeEdge) => e.node.row.id)).toEqual(['5', '6', '7', '8', '9', '10']);
    expect(page2.totalCount).toBe('10');
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const latest = (await gw.gql(FEED('fromVersion: 2'))).data!.weblogsChanges;
    expect(latest.edges.map((e: ChangeEdge) => [e.node.commitVersion, e.node.row.id])).toEqual([[2, '11']]);
  });

  it.skipIf(!hasCorpus)(`pages through ${CORPUS_CDF} (change data files with updates) to exactly the rows the reader gives`, async () => {
    const nodes: ChangeEdge['node'][] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const res: GraphQLResponse = await gw.gql(`query($after: String) { updatesChanges(fromVersion: 0, first: 7, after: $after) {
        edges { node { changeType commitVersion commitTimestamp row { id } } } pageInfo { hasNextPage endCursor } } }`, { after });
      expect(res.errors).toBeUndefined();
      const conn: { edges: ChangeEdge[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.data!.updatesChanges;
      nodes.push(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    const { rows } = await gw.app.services.scans.rows({ storage: createLocalStorage(join(lake, 'updates')), changes: { from: 0 } }, { values: 'json' });
    const key = (v: unknown, type: unknown, id: unknown) => `${String(v)}|${String(type)}|${String(id)}`;
    const ours = nodes.map((n) => key(n.commitVersion, n.changeType, n.row.id));
    expect(ours).toEqual([...ours].sort((a, b) => Number(a.split('|')[0]) - Number(b.split('|')[0]))); // commit order
    expect(ours.sort()).toEqual(rows.map((r) => key(r._commit_version, r._change_type, r.id)).sort());
    expect(new Set(nodes.map((n) => n.changeType))).toEqual(new Set(rows.map((r) => r._change_type)));
    expect(nodes.length).toBeGreaterThan(7);
  });

  it('filters changes by the table\'s own where input (data and partition columns) and by change type', async () => {
    const ids = async (args: string) => {
      const res = await gw.gql(`{ weblogsChanges(fromVersion: 0, ${args}) { totalCount edges { node { row { id } } } } }`);
      expect(res.errors, args).toBeUndefined();
      const conn = res.data!.weblogsChanges as { totalCount: string; edges: { node: { row: { id: string } } }[] };
      expect(Number(conn.totalCount), args).toBe(conn.edges.length);
      return conn.edges.map((e) => e.node.row.id);
    };
    expect(await ids('where: { level: { eq: "ERROR" } }')).toEqual(['2', '5', '8']);
    expect(await ids('where: { date: { eq: "2024-05-02" }, response_time_ms: { gte: 60 } }')).toEqual(['7', '8', '10']);
    expect(await ids('where: { or: [{ id: { eq: 1 } }, { message: { contains: "boom" } }] }, changeTypes: ["insert"]')).toEqual(['1', '2', '8']);
    expect(await ids('where: { level: { eq: "ERROR" } }, changeTypes: ["delete"]')).toEqual([]);
  });

  it.skipIf(!hasCorpus)('keeps only the change types asked for, as bound values', async () => {
    const { rows } = await gw.app.services.scans.rows({ storage: createLocalStorage(join(lake, 'updates')), changes: { from: 0 } }, { values: 'json' });
    const type = String(rows.find((r) => r._change_type !== 'insert')!._change_type);
    const res = await gw.gql(`query($types: [String!]) { updatesChanges(fromVersion: 0, changeTypes: $types, first: 100) {
      totalCount edges { node { changeType row { id } } } } }`, { types: [type] });
    expect(res.errors).toBeUndefined();
    const conn = res.data!.updatesChanges as { totalCount: string; edges: { node: { changeType: string; row: { id: unknown } } }[] };
    const expected = rows.filter((r) => r._change_type === type).map((r) => String(r.id)).sort();
    expect(conn.edges.map((e) => String(e.node.row.id)).sort()).toEqual(expected);
    expect(new Set(conn.edges.map((e) => e.node.changeType))).toEqual(new Set([type]));
    expect(Number(conn.totalCount)).toBe(expected.length);
    const injected = await gw.gql(`{ updatesChanges(fromVersion: 0, changeTypes: ["insert') OR true --"]) { totalCount edges { node { changeType } } } }`);
    expect(injected.errors).toBeUndefined();
    expect(injected.data!.updatesChanges).toEqual({ totalCount: '0', edges: [] });
  });

  it('refuses bad ranges, cursors and page sizes with stable codes and no paths', async () => {
    const cases: [string, string][] = [
      [FEED('fromVersion: 50'), 'BAD_USER_INPUT'],
      [FEED('fromVersion: -1'), 'BAD_USER_INPUT'],
      [FEED('fromVersion: 0, toVersion: 99'), 'VERSION_NOT_FOUND'],
      [FEED('fromVersion: 0, first: 5000'), 'QUERY_TOO_COMPLEX'], // the page-size rule, before execution
      [FEED('fromVersion: 0, after: "garbage"'), 'BAD_USER_INPUT'],
    ];
    for (const [query, code] of cases) {
      const res = await gw.gql(query);
      expect(res.errors?.[0]?.extensions?.code, query).toBe(code);
      expect(res.errors![0]!.message).not.toContain(lake);
    }
  });
});

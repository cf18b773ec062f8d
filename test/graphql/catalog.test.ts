/**
 * Catalog and generic table fields through GraphQL: tables discovered under the lake root (nested folders, safe
 * names), new tables and schema changes picked up without a restart (introspection shows them), schema,
 * properties, protocol, history, version, files and diff.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeltaRsJson } from '../support/delta-rs.ts';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { waitFor } from '../support/services.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let gw: TestGateway;

const WRITE_SMALL = `
import pyarrow as pa
from deltalake import write_deltalake
write_deltalake(INPUT["path"], pa.table(INPUT["columns"]), mode=INPUT.get("mode", "append"), schema_mode=INPUT.get("schema_mode"), configuration=INPUT.get("configuration"))
emit(True)
`;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-catalog-'));
  await writeWeblogs(join(lake, 'weblogs'));
  await mkdir(join(lake, 'sales'), { recursive: true });
  await runDeltaRsJson(WRITE_SMALL, { path: join(lake, 'sales', 'eu-2024'), columns: { amount: [1, 2, 3] }, configuration: { 'delta.appendOnly': 'false' } });
  gw = await startGateway({ LAKE_ROOT: lake });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

async function queryFieldNames(): Promise<string[]> {
  const res = await gw.gql('{ __schema { queryType { fields { name } } } }');
  return res.data!.__schema.queryType.fields.map((f: { name: string }) => f.name);
}

describe('catalog', () => {
  it('lists discovered tables with safe names, locations relative to the lake, figures from the log', async () => {
    const res = await gw.gql('{ tables { name location currentVersion partitionColumns rowCount fileCount } }');
    expect(res.data!.tables).toEqual([
      { name: 'sales_eu_2024', location: join('sales', 'eu-2024'), currentVersion: 0, partitionColumns: [], rowCount: '3', fileCount: 1 },
      { name: 'weblogs', location: 'weblogs', currentVersion: 1, partitionColumns: ['date'], rowCount: '10', fileCount: 2 },
    ]);
  });

  it('picks up a new table and a schema change without a restart', async () => {
    expect(await queryFieldNames()).not.toContain('fresh');
    await runDeltaRsJson(WRITE_SMALL, { path: join(lake, 'fresh'), columns: { a: [1] } });
    await waitFor(async () => (await queryFieldNames()).includes('fresh'), { timeoutMs: 5000 });
    await runDeltaRsJson(WRITE_SMALL, { path: join(lake, 'fresh'), columns: { a: [2], b: ['x'] }, schema_mode: 'merge' });
    await waitFor(async () => {
      const res = await gw.gql('{ fresh(orderBy: [{ field: a }]) { edges { node { a b } } } }');
      return res.errors === undefined && res.data!.fresh.edges.length === 2;
    }, { timeoutMs: 5000 });
    const rows = await gw.gql('{ fresh(orderBy: [{ field: a }]) { edges { node { a b } } } }');
    expect(rows.data!.fresh.edges.map((e: any) => e.node)).toEqual([{ a: '1', b: null }, { a: '2', b: 'x' }]);
  });

  it('describes schema, properties and protocol', async () => {
    const res = await gw.gql('{ table(name: "weblogs") { schema { name deltaType graphqlType nullable partition } protocol { minReaderVersion minWriterVersion } } }');
    const columns = res.data!.table.schema;
    expect(columns.find((c: any) => c.name === 'ts')).toEqual({ name: 'ts', deltaType: 'timestamp', graphqlType: 'DateTime', nullable: true, partition: false });
    expect(columns.find((c: any) => c.name === 'id')).toMatchObject({ deltaType: 'long', graphqlType: 'Long' });
    expect(columns.find((c: any) => c.name === 'date')).toMatchObject({ partition: true, deltaType: 'string' });
    expect(res.data!.table.protocol.minReaderVersion).toBeGreaterThanOrEqual(1);
    const props = await gw.gql('{ table(name: "sales_eu_2024") { properties { key value } } }');
    expect(props.data!.table.properties).toContainEqual({ key: 'delta.appendOnly', value: 'false' });
  });

  it('serves history, versions, files and diff', async () => {
    const res = await gw.gql(`{ table(name: "weblogs") {
      history(first: 1) { edges { cursor node { version operation } } pageInfo { hasNextPage endCursor } }
      version(asOf: { version: 0 }) { version rowCount fileCount }
      files(first: 1) { totalCount edges { node { path rowCount partitionValues { key value } } } pageInfo { hasNextPage } }
      diff(from: 0, to: 1) { filesAdded filesRemoved rowsAdded rowsRemoved }
    } }`);
    expect(res.errors).toBeUndefined();
    const t = res.data!.table;
    expect(t.history.edges[0].node.version).toBe(1);
    expect(t.history.pageInfo.hasNextPage).toBe(true);
    const next = await gw.gql('query($a: String) { table(name: "weblogs") { history(first: 5, after: $a) { edges { node { version operation } } pageInfo { hasNextPage } } } }', { a: t.history.pageInfo.endCursor });
    expect(next.data!.table.history.edges.map((e: any) => e.node.version)).toEqual([0]);
    expect(next.data!.table.history.pageInfo.hasNextPage).toBe(false);
    expect(t.version).toEqual({ version: 0, rowCount: '6', fileCount: 1 });
    expect(t.files.totalCount).toBe('2');
    expect(t.files.pageInfo.hasNextPage).toBe(true);
    expect(t.files.edges[0].node.partitionValues[0].key).toBe('date');
    expect(t.diff).toEqual({ filesAdded: 1, filesRemoved: 0, rowsAdded: '4', rowsRemoved: '0' });
  });
});

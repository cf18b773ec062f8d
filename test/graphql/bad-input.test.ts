/**
 * Bad input through GraphQL: unknown tables and columns, type mismatches, oversized pages, invalid cursors,
 * query bombs. Each gets a clear error with a code and a GraphQL-over-HTTP status, nothing leaks paths, and the
 * server keeps serving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, stopGateways, type TestGateway } from '../support/gateway.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let gw: TestGateway;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-bad-'));
  await writeWeblogs(join(lake, 'weblogs'));
  gw = await startGateway({ LAKE_ROOT: lake, MAX_PAGE_SIZE: '500' });
});

afterAll(async () => {
  await stopGateways();
  await rm(lake, { recursive: true, force: true });
});

/** The first error's code, or BAD_USER_INPUT when any error has it (validation reports every rule's error). */
function codeOf(res: { errors?: { extensions?: { code?: string } }[] }): string | undefined {
  const codes = (res.errors ?? []).map((e) => e.extensions?.code);
  return codes.includes('BAD_USER_INPUT') ? 'BAD_USER_INPUT' : codes[0];
}

describe('bad input', () => {
  it('unknown table: TABLE_NOT_FOUND, status 200, no path in the message', async () => {
    const res = await gw.gql('{ table(name: "nope") { currentVersion } }');
    expect(res.status).toBe(200);
    expect(codeOf(res)).toBe('TABLE_NOT_FOUND');
    expect(JSON.stringify(res)).not.toContain(lake);
  });

  it('unknown column and type mismatch in where: validation errors, status 400 with graphql-response+json', async () => {
    const unknown = await gw.gql('{ weblogs(where: { nope: { eq: 1 } }) { totalCount } }', undefined, { accept: 'application/graphql-response+json' });
    expect(unknown.status).toBe(400);
    expect(unknown.errors![0]!.message).toMatch(/nope/);
    const mismatch = await gw.gql('{ weblogs(where: { status: { eq: "five hundred" } }) { totalCount } }', undefined, { accept: 'application/graphql-response+json' });
    expect(mismatch.status).toBe(400);
    const longMismatch = await gw.gql('{ weblogs(where: { id: { eq: "1.5" } }) { totalCount } }');
    expect(codeOf(longMismatch)).toBe('BAD_USER_INPUT');
  });

  it('oversized pages and invalid cursors: BAD_USER_INPUT', async () => {
    expect(codeOf(await gw.gql('{ weblogs(first: 10000000) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql('{ weblogs(first: -1) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql('{ weblogs(after: "not-a-cursor") { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql('{ weblogs(asOf: { version: 0, timestamp: "2024-01-01T00:00:00Z" }) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql('{ table(name: "weblogs") { files(first: 100000) { totalCount } } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gw.gql('query($n: Int) { weblogs(first: $n) { totalCount } }', { n: 501 }))).toBe('BAD_USER_INPUT');
  });

  it('query bombs: deep nesting and alias floods are refused', async () => {
    let deep = '{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } }';
    const depth = await gw.gql(deep.replace('__schema', 'table(name: "weblogs") { schema { fields { fields { fields { fields { fields { fields { fields { fields { fields { fields { fields { fields { name } } } } } } } } } } } } } } __schema'));
    expect(depth.errors?.length).toBeGreaterThan(0);
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: weblogs(first: 500) { edges { node { id message } } }`).join(' ');
    const flood = await gw.gql(`{ ${aliases} }`);
    expect(flood.errors?.length).toBeGreaterThan(0);
    expect(flood.data?.a0).toBeUndefined();
    expect(codeOf(flood)).toBe('QUERY_TOO_COMPLEX');
    deep = '';
  });

  it('keeps serving after all of the above', async () => {
    const res = await gw.gql('{ weblogs { totalCount } }');
    expect(res.data!.weblogs.totalCount).toBe('10');
  });
});

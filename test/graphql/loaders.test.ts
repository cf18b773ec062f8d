/**
 * Per-request DataLoaders batch and deduplicate snapshot and history loads: a query naming one table many
 * times loads its snapshot once. Asserted with a counting wrapper around the real catalog.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createTableCatalog, type TableCatalog } from '../../src/sources/table-catalog.ts';
import { createRequestLoaders } from '../../src/resolvers/loaders.ts';
import { writeWeblogs } from '../support/weblogs-fixture.ts';

let lake: string;
let engine: DuckDbEngine;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dg-loaders-'));
  await writeWeblogs(join(lake, 'weblogs'));
  engine = await createDuckDbEngine();
});

afterAll(async () => {
  await engine.close();
  await rm(lake, { recursive: true, force: true });
});

function counting(catalog: TableCatalog) {
  const calls: string[] = [];
  const wrapped: TableCatalog = {
    ...catalog,
    snapshot: (name, asOf) => {
      calls.push(`${name}@${asOf?.version ?? 'latest'}`);
      return catalog.snapshot(name, asOf);
    },
  };
  return { wrapped, calls };
}

describe('request loaders', () => {
  it('loads each (table, version) once per request, in one batch', async () => {
    const { wrapped, calls } = counting(createTableCatalog({ lakeRoot: lake, parquetReader: engine.parquetReader }));
    const loaders = createRequestLoaders(wrapped);
    const results = await Promise.all([
      loaders.snapshot.load({ table: 'weblogs' }),
      loaders.snapshot.load({ table: 'weblogs' }),
      loaders.snapshot.load({ table: 'weblogs', asOf: { version: 0 } }),
      loaders.snapshot.load({ table: 'weblogs', asOf: { version: 0 } }),
    ]);
    expect(results.map((s) => s.version)).toEqual([1, 1, 0, 0]);
    expect(calls.sort()).toEqual(['weblogs@0', 'weblogs@latest']);
    expect(loaders.batches.snapshot).toBe(1);
  });

  it('batches history pages and reports a missing table per key', async () => {
    const { wrapped } = counting(createTableCatalog({ lakeRoot: lake, parquetReader: engine.parquetReader }));
    const loaders = createRequestLoaders(wrapped);
    const [a, b, missing] = await Promise.allSettled([
      loaders.history.load({ table: 'weblogs', limit: 1 }),
      loaders.history.load({ table: 'weblogs', limit: 5 }),
      loaders.history.load({ table: 'nope', limit: 5 }),
    ]);
    expect(a.status === 'fulfilled' && a.value.map((e) => e.version)).toEqual([1]);
    expect(b.status === 'fulfilled' && b.value.map((e) => e.version)).toEqual([1, 0]);
    expect(missing.status === 'rejected' && (missing.reason as { code: string }).code).toBe('TABLE_NOT_FOUND');
    expect(loaders.batches.history).toBe(1);
  });
});

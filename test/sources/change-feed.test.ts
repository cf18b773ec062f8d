/**
 * Change data feed: every corpus table with CDF enabled gives the rows delta-rs `load_cdf(0)` gives (data
 * columns, `_change_type`, `_commit_version`; order-independent), and tables with deletion vectors (which this
 * deltalake refuses) the changes their DVs imply.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { corpusRoot, corpusTable, describeCorpus, hasCorpus, readCorpusIndex } from '../support/corpus.ts';
import { runDeltaRsJson } from '../support/delta-rs.ts';
import { comparableRows } from '../support/row-compare.ts';

const python = (): string | undefined => process.env.DELTA_RS_PYTHON ?? (inject('deltaRsPython') as string | undefined);

const cdfTables = hasCorpus
  ? readCorpusIndex(readFileSync(join(corpusRoot, 'INDEX.md'), 'utf8'))
      .filter((r) => /enabled/.test(r.cells.CDF ?? '') && !/LOG-ONLY/.test(r.cells.Notes ?? ''))
      .map((r) => `${r.group}/${r.table}`)
  : [];

const LOAD_CDF = `
import os, pyarrow as pa
from deltalake import DeltaTable
try:
    t = pa.table(DeltaTable(INPUT["path"]).load_cdf(starting_version=0).read_all())
    emit({"rows": t.drop_columns(["_commit_timestamp"]).to_pylist()})
except Exception as e:
    emit({"error": str(e)})
os._exit(0)
`;

describeCorpus('change data feed', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('finds the corpus tables with change data feed', () => {
    expect(cdfTables.length).toBeGreaterThanOrEqual(15);
  });

  for (const table of cdfTables) {
    it.skipIf(!python())(`${table}: the changes delta-rs load_cdf gives`, async () => {
      const theirs = await runDeltaRsJson<{ rows?: Record<string, unknown>[]; error?: string }>(LOAD_CDF, { path: corpusTable(table) }, { python: python() });
      let ours: Record<string, unknown>[];
      try {
        ours = (await createScanExecutor({ engine }).rows({ storage: createLocalStorage(corpusTable(table)), changes: { from: 0 } }, { values: 'json' })).rows.map(({ _commit_timestamp, ...r }) => r);
      } catch (e) {
        expect(theirs.error, `we refused ${table}: ${(e as Error).message}`).toBeDefined();
        return;
      }
      if (theirs.error) {
        console.info(`${table}: delta-rs refused (${theirs.error.split('\n')[0]}); we read ${ours.length} change rows`);
        return;
      }
      expect(comparableRows(ours)).toEqual(comparableRows(theirs.rows!));
    }, 60_000);
  }

  it('reads DV-only deletes and restores as the rows between two deletion vectors', async () => {
    const { rows } = await createScanExecutor({ engine }).rows({ storage: createLocalStorage(corpusTable('delta-kernel-rs/cdf-table-with-dv')), changes: { from: 3, to: 6 } }, { values: 'json' });
    const text = rows.map((r) => `${r._commit_version}:${r._change_type}:${r.value}`).sort();
    expect(text).toEqual(['3:delete:0', '3:delete:1', '3:delete:4', '3:delete:5', '4:insert:1', '4:insert:4', '5:delete:3', '5:insert:0', '5:insert:5', '6:insert:3']);
  });
});

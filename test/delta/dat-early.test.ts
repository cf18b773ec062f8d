/**
 * Delta Acceptance Testing (early DAT output): every version of each table must read exactly as its
 * expected/<v|latest>/table_content.parquet, partition columns included, and match table_version_metadata.json.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { corpusTable, describeCorpus } from '../support/corpus.ts';
import { canonicalRows, readParquetAs, readTable } from '../support/scan-helpers.ts';

const CASES = ['basic_append', 'basic_partitioned', 'multi_partitioned', 'with_schema_change'];

interface VersionMetadata {
  version: number;
  min_reader_version: number;
  min_writer_version: number;
}

function expectedVersions(caseDir: string): string[] {
  const dir = join(caseDir, 'expected');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describeCorpus('dat-early acceptance tables', () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  for (const name of CASES) {
    const caseDir = corpusTable(`dat-early/${name}`);
    for (const label of expectedVersions(caseDir)) {
      it(`${name} @ ${label} matches the expected content and metadata`, async () => {
        const expectedDir = join(caseDir, 'expected', label);
        const meta = JSON.parse(readFileSync(join(expectedDir, 'table_version_metadata.json'), 'utf8')) as VersionMetadata;
        const version = label === 'latest' ? undefined : Number(label.slice(1));
        const { snapshot, rows } = await readTable(engine, join(caseDir, 'delta'), version);
        expect(snapshot.version).toBe(meta.version);
        expect(snapshot.protocol.minReaderVersion).toBe(meta.min_reader_version);
        expect(snapshot.protocol.minWriterVersion).toBe(meta.min_writer_version);
        const expected = await readParquetAs(engine, join(expectedDir, 'table_content.parquet'), snapshot.schema.fields);
        expect(rows.length).toBe(expected.length);
        expect(canonicalRows(rows)).toEqual(canonicalRows(expected));
      });
    }
  }
});

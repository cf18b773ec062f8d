/**
 * Deletion vectors end to end: every corpus table with deletion vectors reads exactly its data files' rows minus
 * the DV positions (computed here in JS from the decoded DVs, joined by row position), and delta-rs QueryBuilder
 * reads the same rows where it can find the DV files; a handmade table with inline, UUID-file and absolute-path DVs reads
 * the undeleted rows; damaged DV files and column-mapping-id files without field ids are refused naming the file.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { encodeDeletionVectorFile, inlineDeletionVector } from '../../src/delta/deletion-vectors/deletion-vector-encoder.ts';
import { encodeZ85 } from '../../src/delta/deletion-vectors/z85.ts';
import { loadDeletionVector, storageFileReader } from '../../src/delta/deletion-vectors/deletion-vector.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { corpusRoot, corpusTable, describeCorpus, hasCorpus, readCorpusIndex } from '../support/corpus.ts';
import { runDeltaRsJson } from '../support/delta-rs.ts';
import { comparableRows } from '../support/row-compare.ts';
import { readTable } from '../support/scan-helpers.ts';

const python = (): string | undefined => process.env.DELTA_RS_PYTHON ?? (inject('deltaRsPython') as string | undefined);

/** Corpus tables whose INDEX row lists deletion vectors and that have data files. */
const dvTables = hasCorpus
  ? readCorpusIndex(readFileSync(join(corpusRoot, 'INDEX.md'), 'utf8'))
      .filter((r) => /DV adds/.test(r.cells.DV ?? '') && !/LOG-ONLY/.test(r.cells.Notes ?? ''))
      .map((r) => `${r.group}/${r.table}`)
  : [];

// to_pyarrow_table refuses the deletionVectors reader feature in deltalake 1.6.6; QueryBuilder (kernel scan) reads DVs.
const READ = `
import os, pyarrow as pa
from deltalake import DeltaTable, QueryBuilder
try:
    emit({"rows": pa.table(QueryBuilder().register("t", DeltaTable(INPUT["path"])).execute("SELECT * FROM t").read_all()).to_pylist()})
except Exception as e:
    emit({"error": str(e)})
os._exit(0)
`;

describeCorpus('deletion vectors', () => {
  let engine: DuckDbEngine;
  let dir: string;
  beforeAll(async () => {
    engine = await createDuckDbEngine();
    dir = mkdtempSync(join(tmpdir(), 'delta-dv-'));
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the corpus tables with deletion vectors', () => {
    expect(dvTables.length).toBeGreaterThanOrEqual(14);
  });

  for (const table of dvTables) {
    it.skipIf(table.endsWith('special-char'))(`${table}: the rows delta-rs reads`, async () => {
      const { rows, snapshot } = await readTable(engine, corpusTable(table));
      const expected: Record<string, unknown>[] = [];
      for (const add of snapshot.files) {
        const deleted = new Set(add.deletionVector ? await loadDeletionVector(add.deletionVector, add.path, storageFileReader(createLocalStorage(corpusTable(table)))) : []);
        const one = { ...snapshot, files: [{ ...add, deletionVector: undefined }] };
        const { rows: all } = await createScanExecutor({ engine }).rows({ storage: createLocalStorage(corpusTable(table)), snapshot: one, stableOrder: true }, { values: 'json' });
        all.forEach((r, i) => { if (!deleted.has(i)) expected.push(r); });
      }
      expect(comparableRows(rows)).toEqual(comparableRows(expected));
      if (!python()) return;
      const theirs = await runDeltaRsJson<{ rows?: Record<string, unknown>[]; error?: string }>(READ, { path: corpusTable(table) }, { python: python() });
      if (theirs.error) {
        // Spark's test tables name DV files with a test-only prefix delta-rs does not look for.
        expect(theirs.error).toMatch(/File not found: .*deletion_vector_/);
        return;
      }
      expect(comparableRows(rows)).toEqual(comparableRows(theirs.rows!));
    }, 60_000);
  }

  it('prunes by stats (numRecords counts deleted rows too) and filters the rest exactly', async () => {
    const table = corpusTable('delta-spark/table-with-dv-large');
    const { rows: all } = await readTable(engine, table);
    const storage = createLocalStorage(table);
    const snapshot = (await readTable(engine, table)).snapshot;
    const column = snapshot.schema.fields[0]!.name;
    const values = all.map((r) => Number(r[column])).sort((a, b) => a - b);
    const pivot = values[Math.floor(values.length / 3)]!;
    const { rows, figures } = await createScanExecutor({ engine }).rows({ storage, snapshot, predicate: { op: 'lt', column, value: pivot } }, { values: 'json' });
    expect(rows.length).toBe(values.filter((v) => v < pivot).length);
    expect(figures.filesSkipped).toBeGreaterThan(0);
  });

  it.skipIf(!python())('delta-rs with deletionVectors enabled rewrites files on delete (writes no DV); we read what its QueryBuilder reads', async () => {
    const path = join(dir, 'delta-rs-dv');
    const theirs = await runDeltaRsJson<{ rows: Record<string, unknown>[]; dvs: number; features: string[] }>(`
      import os, pyarrow as pa
      from deltalake import write_deltalake, DeltaTable, QueryBuilder
      write_deltalake(INPUT["path"], pa.table({"id": list(range(100)), "v": [str(i) for i in range(100)]}), configuration={"delta.enableDeletionVectors": "true"})
      dt = DeltaTable(INPUT["path"])
      dt.delete("id % 7 = 0")
      log = os.path.join(INPUT["path"], "_delta_log")
      dvs = sum(open(os.path.join(log, f)).read().count('"deletionVector":{') for f in os.listdir(log) if f.endswith(".json"))
      rows = pa.table(QueryBuilder().register("t", DeltaTable(INPUT["path"])).execute("SELECT * FROM t").read_all()).to_pylist()
      emit({"rows": rows, "dvs": dvs, "features": dt.protocol().reader_features})
      os._exit(0)
    `, { path }, { python: python() });
    expect(theirs.features).toContain('deletionVectors');
    expect(theirs.dvs).toBe(0);
    const { rows } = await readTable(engine, path);
    expect(rows).toHaveLength(100 - 15);
    expect(comparableRows(rows)).toEqual(comparableRows(theirs.rows));
  }, 60_000);

  /** A one-column table of `n` rows per file, DVs given per file. */
  async function handmade(name: string, files: number, n: number): Promise<string> {
    const root = join(dir, name);
    mkdirSync(join(root, '_delta_log'), { recursive: true });
    await engine.withConnection(async (c) => {
      for (let f = 0; f < files; f++) await c.run(`COPY (SELECT ${f * 1000} + range AS id FROM range(${n})) TO '${join(root, `f${f}.parquet`)}' (FORMAT parquet)`);
    });
    return root;
  }

  function commit(root: string, adds: object[]): void {
    const schema = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] });
    const lines = [
      { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] } },
      { metaData: { id: 't', format: { provider: 'parquet', options: {} }, schemaString: schema, partitionColumns: [], configuration: {}, createdTime: 0 } },
      ...adds.map((add) => ({ add })),
    ];
    writeFileSync(join(root, '_delta_log', '00000000000000000000.json'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }

  const uuidBytes = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const uuidText = '00070e15-1c23-2a31-383f-464d545b6269';
  const add = (f: number, deletionVector?: object) => ({ path: `f${f}.parquet`, partitionValues: {}, size: 1, modificationTime: 0, dataChange: true, stats: '{"numRecords":100}', ...(deletionVector ? { deletionVector } : {}) });

  it('applies inline, UUID-file (with prefix) and absolute-path deletion vectors', async () => {
    const root = await handmade('mixed', 4, 100);
    const { bytes, dvs } = encodeDeletionVectorFile([[0, 1, 2], [99], [10, 20, 30, 40]]);
    mkdirSync(join(root, 'xy'));
    writeFileSync(join(root, 'xy', `deletion_vector_${uuidText}.bin`), bytes);
    writeFileSync(join(root, 'abs.bin'), bytes);
    commit(root, [
      add(0, inlineDeletionVector([5, 6, 7])),
      add(1, { storageType: 'u', pathOrInlineDv: `xy${encodeZ85(uuidBytes)}`, ...dvs[0] }),
      add(2, { storageType: 'u', pathOrInlineDv: `xy${encodeZ85(uuidBytes)}`, ...dvs[1] }),
      add(3, { storageType: 'p', pathOrInlineDv: pathToFileURL(join(root, 'abs.bin')).href, ...dvs[2] }),
    ]);
    const { rows } = await readTable(engine, root);
    const ids = new Set(rows.map((r) => Number(r.id)));
    expect(ids.size).toBe(400 - 3 - 3 - 1 - 4);
    for (const gone of [5, 6, 7, 1000, 1001, 1002, 2099, 3010, 3040]) expect(ids.has(gone)).toBe(false);
    expect(ids.has(4)).toBe(true);
  });

  it('refuses a damaged or missing DV file with CORRUPT_DATA naming the DV and the data file', async () => {
    const root = await handmade('damaged', 1, 10);
    const { bytes, dvs } = encodeDeletionVectorFile([[1, 2]]);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(join(root, `deletion_vector_${uuidText}.bin`), bytes);
    commit(root, [add(0, { storageType: 'u', pathOrInlineDv: encodeZ85(uuidBytes), ...dvs[0] })]);
    await expect(readTable(engine, root)).rejects.toMatchObject({ code: 'CORRUPT_DATA', message: expect.stringMatching(/deletion_vector_00070e15.*f0\.parquet.*checksum/) });
    rmSync(join(root, `deletion_vector_${uuidText}.bin`));
    await expect(readTable(engine, root)).rejects.toMatchObject({ code: 'CORRUPT_DATA', message: expect.stringMatching(/missing/) });
  });

  it('refuses column mapping mode id over a data file without field ids, naming the file', async () => {
    const root = join(dir, 'cm-id');
    mkdirSync(join(root, '_delta_log'), { recursive: true });
    const src = corpusTable('delta-kernel-java/column-mapping-id');
    for (const f of readdirSync(join(src, '_delta_log'))) copyFileSync(join(src, '_delta_log', f), join(root, '_delta_log', f));
    const parquet = readdirSync(src).filter((f) => f.endsWith('.parquet'));
    // Same physical names, no field ids: DuckDB writes none.
    await engine.withConnection(async (c) => {
      for (const f of parquet) await c.run(`COPY (SELECT * FROM read_parquet('${join(src, f)}')) TO '${join(root, f)}' (FORMAT parquet)`);
    });
    await expect(readTable(engine, root)).rejects.toMatchObject({ code: 'CORRUPT_DATA', message: expect.stringMatching(/no parquet field ids/) });
    const { rows } = await readTable(engine, src);
    expect(rows).toHaveLength(20);
  });
});

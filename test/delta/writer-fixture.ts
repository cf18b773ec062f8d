/**
 * Shared setup of the writer tests: a temp table folder, one DuckDB engine, a WriterContext over them, readers
 * for what we wrote (our snapshot + the scan executor, and delta-rs), and row normalisation so both compare equal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot } from '../../src/delta/snapshot/load-snapshot.ts';
import type { WriterContext } from '../../src/delta/writer/writer-context.ts';
import { createScanExecutor } from '../../src/sources/duckdb/scan-executor.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../../src/sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../../src/sources/storage/local-storage.ts';
import { runDeltaRsJson } from '../support/delta-rs.ts';

export interface WriterFixture {
  dir: string;
  engine: DuckDbEngine;
  ctx(table: string, now?: () => number): WriterContext;
  close(): Promise<void>;
}

export async function createWriterFixture(): Promise<WriterFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'writer-test-'));
  const engine = await createDuckDbEngine({ poolSize: 2 });
  const sql = createDuckDbSqlEngine(engine);
  return {
    dir,
    engine,
    ctx: (table, now) => ({ storage: createLocalStorage(join(dir, table)), sql, parquetReader: engine.parquetReader, now }),
    async close() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Json = Record<string, unknown>;

/** Canonical text of a value, so rows from our scan and from delta-rs compare equal. */
function canon(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(canon);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === 'string') {
    // timestamps (ISO with T or space, any zone) -> ISO UTC ms; plain decimals -> trimmed
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) return new Date(v.replace(' ', 'T').replace(/\+00(:00)?$/, 'Z')).toISOString();
    if (/^-?\d+\.\d+$/.test(v)) return String(Number(v));
    return v;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Json).map(([k, x]) => [k, canon(x)] as const);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return v;
}

/** Rows in canonical form, sorted by `key`. */
export function canonRows(rows: Json[], key = 'id'): Json[] {
  return rows.map((r) => canon(r) as Json).sort((a, b) => Number(a[key]) - Number(b[key]));
}

/** Our reader: snapshot at `version` (default latest) scanned by the scan executor. */
export async function readOurs(f: WriterFixture, table: string, version?: number): Promise<Json[]> {
  const storage = createLocalStorage(join(f.dir, table));
  const snapshot = await loadSnapshot(storage, { parquetReader: f.engine.parquetReader, version });
  const { rows } = await createScanExecutor({ engine: f.engine }).rows({ storage, snapshot }, { values: 'json' });
  return rows as Json[];
}

/** delta-rs: rows, version and file count at `version` (default latest); maps become objects. */
export async function readDeltaRs(path: string, version?: number): Promise<{ version: number; files: number; rows: Json[] }> {
  return runDeltaRsJson(
    `
    from deltalake import DeltaTable
    dt = DeltaTable(INPUT["path"], version=INPUT["version"]) if INPUT["version"] is not None else DeltaTable(INPUT["path"])
    rows = dt.to_pyarrow_table().to_pylist()
    for r in rows:
        for k, v in list(r.items()):
            if isinstance(v, list) and v and isinstance(v[0], tuple): r[k] = dict(v)
    emit({"version": dt.version(), "files": len(dt.file_uris()), "rows": rows})
    _os._exit(0)  # skip interpreter teardown: deltalake sometimes aborts there ("terminate called ...")
    `,
    { path, version: version ?? null },
  );
}

/** delta-rs history, newest first. */
export async function deltaRsHistory(path: string): Promise<Json[]> {
  return runDeltaRsJson(`
    from deltalake import DeltaTable
    emit(DeltaTable(INPUT["path"]).history())
    _os._exit(0)
  `, { path });
}

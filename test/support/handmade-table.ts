/**
 * Builds small Delta tables by hand for scan tests: parquet data files written by DuckDB from a SELECT, and
 * commit JSON written directly (protocol, metaData, add with optional stats), so each test controls exactly
 * which files, partition values and statistics the log holds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteString } from '../../src/delta/scan/sql-text.ts';
import type { DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';

export interface HandmadeFile {
  /** Path relative to the table root as written in the log (URL-encoded when it has to be). */
  logPath: string;
  /** Path on disk relative to the root (decoded). */
  diskPath: string;
  /** SELECT producing the file's rows (data columns only). */
  select: string;
  partitionValues?: Record<string, string | null>;
  /** Computes stats (numRecords, min/max/nullCount) for these columns with DuckDB. */
  statsColumns?: string[];
}

export interface HandmadeCommit {
  schema?: { name: string; type: unknown; nullable?: boolean }[];
  partitionColumns?: string[];
  files?: HandmadeFile[];
  remove?: string[];
}

async function statsFor(engine: DuckDbEngine, file: string, columns: string[]): Promise<string> {
  const parts = columns.flatMap((c) => [`min("${c}")::VARCHAR`, `max("${c}")::VARCHAR`, `count(*) - count("${c}")`]);
  const [row] = await engine.query(`SELECT count(*) AS n${parts.map((p, i) => `, ${p} AS c${i}`).join('')} FROM read_parquet(${quoteString(file)})`);
  const minValues: Record<string, unknown> = {};
  const maxValues: Record<string, unknown> = {};
  const nullCount: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const [min, max, nulls] = [row![`c${i * 3}`], row![`c${i * 3 + 1}`], row![`c${i * 3 + 2}`]];
    const asJson = (v: unknown) => (v === null ? undefined : /^-?\d+(\.\d+)?$/.test(String(v)) ? Number(v) : v);
    if (min !== null) minValues[c] = asJson(min);
    if (max !== null) maxValues[c] = asJson(max);
    nullCount[c] = Number(nulls);
  });
  return JSON.stringify({ numRecords: Number(row!.n), minValues, maxValues, nullCount });
}

/** Writes the commits as versions 0, 1, … of a table at `root`. */
export async function writeHandmadeTable(engine: DuckDbEngine, root: string, commits: HandmadeCommit[]): Promise<void> {
  mkdirSync(join(root, '_delta_log'), { recursive: true });
  for (const [version, commit] of commits.entries()) {
    const actions: unknown[] = [{ commitInfo: { timestamp: 1_700_000_000_000 + version * 1000, operation: 'WRITE' } }];
    if (version === 0) actions.push({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } });
    if (commit.schema) {
      const schemaString = JSON.stringify({ type: 'struct', fields: commit.schema.map((f) => ({ nullable: true, metadata: {}, ...f })) });
      actions.push({ metaData: { id: 'handmade', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: commit.partitionColumns ?? [], configuration: {}, createdTime: 0 } });
    }
    for (const path of commit.remove ?? []) actions.push({ remove: { path, deletionTimestamp: 0, dataChange: true } });
    for (const f of commit.files ?? []) {
      const disk = join(root, f.diskPath);
      mkdirSync(join(disk, '..'), { recursive: true });
      await engine.query(`COPY (${f.select}) TO ${quoteString(disk)} (FORMAT parquet)`);
      const stats = f.statsColumns ? await statsFor(engine, disk, f.statsColumns) : undefined;
      actions.push({ add: { path: f.logPath, partitionValues: f.partitionValues ?? {}, size: 1, modificationTime: 0, dataChange: true, ...(stats ? { stats } : {}) } });
    }
    const name = String(version).padStart(20, '0');
    writeFileSync(join(root, '_delta_log', `${name}.json`), actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
  }
}

/**
 * Adapts a DuckDB engine (anything with `withConnection`) to the writer's SqlEngine seam: one pooled connection
 * per session, a private scratch folder per session (made on first use, removed at its end), parent folders
 * created for local COPY targets (DuckDB does not create them), bulk appends through DuckDB data chunks, and
 * `COPY ... RETURN_STATS` results turned into per-file statistics.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DOUBLE,
  DuckDBBlobValue,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  ENUM,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIMESTAMPTZ,
  TINYINT,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { quoteIdent, quoteString } from '../../delta/index.ts';
import type { AppendColumn, AppendType, ParquetLeafStats, SqlEngine, SqlSession, WrittenParquet } from '../../delta/writer/index.ts';

/** The part of the DuckDB engine the adapter needs. */
export interface ConnectionProvider {
  withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}

const APPEND_TYPES: Record<Exclude<AppendType, 'ENUM'>, { type: DuckDBType; value?: (v: unknown) => DuckDBValue }> = {
  VARCHAR: { type: VARCHAR },
  BIGINT: { type: BIGINT, value: (v) => (typeof v === 'bigint' ? v : BigInt(v as number)) },
  INTEGER: { type: INTEGER, value: (v) => Number(v) },
  SMALLINT: { type: SMALLINT, value: (v) => Number(v) },
  TINYINT: { type: TINYINT, value: (v) => Number(v) },
  DOUBLE: { type: DOUBLE },
  FLOAT: { type: FLOAT },
  BOOLEAN: { type: BOOLEAN },
  BLOB: { type: BLOB, value: (v) => new DuckDBBlobValue(v as Uint8Array) },
  TIMESTAMPTZ: { type: TIMESTAMPTZ, value: (v) => new DuckDBTimestampTZValue(v as bigint) },
};

/** Appends columns chunk by chunk (a chunk holds at most DuckDB's vector size, 2048 rows). */
async function appendColumns(c: DuckDBConnection, table: string, columns: readonly AppendColumn[]): Promise<void> {
  const rows = columns[0]?.values.length ?? 0;
  // ENUM columns are filled with dictionary codes in JS: no string crosses into DuckDB per value.
  const specs = columns.map((col) => (col.type === 'ENUM' ? { type: ENUM(col.dictionary ?? []) } : APPEND_TYPES[col.type]));
  const appender = await c.createAppender(table);
  try {
    const size = 2048;
    for (let start = 0; start < rows; start += size) {
      const n = Math.min(size, rows - start);
      const chunk = DuckDBDataChunk.create(specs.map((s) => s.type), n);
      columns.forEach((col, i) => {
        const convert = specs[i]!.value;
        const slice = new Array<DuckDBValue>(n);
        for (let r = 0; r < n; r++) {
          const v = col.values[start + r];
          slice[r] = v === null || v === undefined ? null : convert ? convert(v) : (v as DuckDBValue);
        }
        chunk.setColumnValues(i, slice);
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** `"a"."b ""c"""` (RETURN_STATS column keys) to ['a', 'b "c"']. */
export function parseColumnPath(key: string): string[] {
  const path: string[] = [];
  let i = 0;
  while (i < key.length) {
    if (key[i] === '.') i++;
    if (key[i] !== '"') {
      const end = key.indexOf('.', i);
      path.push(key.slice(i, end < 0 ? undefined : end));
      i = end < 0 ? key.length : end;
      continue;
    }
    let name = '';
    for (i++; i < key.length; i++) {
      if (key[i] === '"' && key[i + 1] === '"') (name += '"'), i++;
      else if (key[i] === '"') break;
      else name += key[i];
    }
    path.push(name);
    i++;
  }
  return path;
}

type KV<V> = Array<{ key: string; value: V }> | Record<string, V>;
const entries = <V>(m: KV<V> | null | undefined): Array<[string, V]> =>
  !m ? [] : Array.isArray(m) ? m.map((e) => [e.key, e.value]) : Object.entries(m);

function toWritten(row: Record<string, unknown>): WrittenParquet {
  const leaves: ParquetLeafStats[] = entries(row.column_statistics as KV<KV<string>>).map(([key, stats]) => {
    const s = Object.fromEntries(entries(stats));
    return {
      path: parseColumnPath(key),
      ...(s.min !== undefined && s.min !== null ? { min: s.min } : {}),
      ...(s.max !== undefined && s.max !== null ? { max: s.max } : {}),
      ...(s.null_count !== undefined && s.null_count !== null ? { nullCount: Number(s.null_count) } : {}),
      ...(s.has_nan === 'true' ? { hasNaN: true } : {}),
    };
  });
  return {
    location: String(row.filename),
    numRecords: Number(row.count),
    sizeBytes: Number(row.file_size_bytes),
    partitionValues: Object.fromEntries(entries(row.partition_keys as KV<string | null>)),
    leaves,
  };
}

/** A session's scratch folder: named up front, created on first write (COPY targets get theirs from copyToParquet). */
interface Scratch {
  dir: string;
  used: boolean;
}

function createSession(c: DuckDBConnection, scratch: Scratch): SqlSession {
  const at = (name: string) => {
    scratch.used = true;
    return join(scratch.dir, name);
  };
  return {
    async run(sql) {
      await c.run(sql);
    },
    async all(sql) {
      const reader = await c.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
    async copyToParquet(selectSql, location) {
      if (isAbsolute(location)) await mkdir(dirname(location), { recursive: true });
      await c.run(`COPY (${selectSql}) TO ${quoteString(location)} (FORMAT parquet, COMPRESSION zstd)`);
    },
    async writeParquet(selectSql, location, opts = {}) {
      const partitioned = (opts.partitionBy?.length ?? 0) > 0;
      if (isAbsolute(location)) await mkdir(partitioned ? location : dirname(location), { recursive: true });
      // APPEND: the folder already holds the table (and _delta_log); with {uuid} names nothing is ever replaced.
      const partitionSql = partitioned
        ? `, PARTITION_BY (${opts.partitionBy!.map(quoteIdent).join(', ')}), APPEND, FILENAME_PATTERN ${quoteString(opts.fileNamePattern ?? 'data-{uuid}')}`
        : '';
      const reader = await c.runAndReadAll(`COPY (${selectSql}) TO ${quoteString(location)} (FORMAT parquet, COMPRESSION zstd${partitionSql}, RETURN_STATS)`);
      return (reader.getRowObjectsJson() as Record<string, unknown>[]).map(toWritten);
    },
    async createTempTable(table, columns) {
      const typeSql = (col: AppendColumn) => (col.type === 'ENUM' ? `ENUM(${(col.dictionary ?? []).map(quoteString).join(', ')})` : col.type);
      await c.run(`CREATE TEMP TABLE ${quoteIdent(table)} (${columns.map((col) => `${quoteIdent(col.name)} ${typeSql(col)}`).join(', ')})`);
      await appendColumns(c, table, columns);
    },
    scratch: {
      async write(name, data) {
        const p = at(name);
        await mkdir(scratch.dir, { recursive: true });
        await writeFile(p, data);
        return p;
      },
      location: at,
      read: async (name) => new Uint8Array(await readFile(at(name))),
    },
  };
}

/** Builds the writer's SqlEngine over a DuckDB engine's connection pool. */
export function createDuckDbSqlEngine(engine: ConnectionProvider): SqlEngine {
  return {
    withSession: (fn) =>
      engine.withConnection(async (c) => {
        // Most sessions (appends) never touch scratch space: the folder is only made when used.
        const scratch: Scratch = { dir: join(tmpdir(), `delta-gateway-write-${randomUUID()}`), used: false };
        try {
          return await fn(createSession(c, scratch));
        } finally {
          if (scratch.used) await rm(scratch.dir, { recursive: true, force: true });
        }
      }),
  };
}

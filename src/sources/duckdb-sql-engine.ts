/**
 * Adapts a DuckDB engine (anything with `withConnection`) to the writer's SqlEngine seam: one pooled connection
 * per session, a private scratch folder per session removed at its end, and parent folders created for local
 * COPY targets (DuckDB does not create them).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlEngine, SqlSession } from '../delta/writer/sql-engine.ts';

/** The part of the DuckDB engine the adapter needs. */
export interface ConnectionProvider {
  withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function createSession(c: DuckDBConnection, dir: string): SqlSession {
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
      await c.run(`COPY (${selectSql}) TO ${sqlString(location)} (FORMAT parquet, COMPRESSION zstd)`);
    },
    scratch: {
      async write(name, data) {
        const p = join(dir, name);
        await writeFile(p, data);
        return p;
      },
      location: (name) => join(dir, name),
      read: async (name) => new Uint8Array(await readFile(join(dir, name))),
    },
  };
}

/** Builds the writer's SqlEngine over a DuckDB engine's connection pool. */
export function createDuckDbSqlEngine(engine: ConnectionProvider): SqlEngine {
  return {
    withSession: (fn) =>
      engine.withConnection(async (c) => {
        const dir = await mkdtemp(join(tmpdir(), 'delta-gateway-write-'));
        try {
          return await fn(createSession(c, dir));
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
  };
}

/**
 * Shared plumbing of the table maintenance commands (optimize, vacuum, restore): a writer context over a local
 * table folder with its own DuckDB, closed afterwards, and size arguments. Argument parsing and the exit-code
 * convention are table-command.ts's, shared with export and inspect.
 */
import type { WriterContext } from '../delta/writer/index.ts';
import { createDuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../sources/duckdb/duckdb-sql-engine.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';
import { UsageError } from './table-command.ts';

/** Runs `fn` with a writer context over the table folder `tablePath`, closing DuckDB afterwards. */
export async function withTableWriter<T>(tablePath: string, fn: (ctx: WriterContext) => Promise<T>): Promise<T> {
  const engine = await createDuckDbEngine({ poolSize: 1 });
  try {
    return await fn({ storage: createLocalStorage(tablePath), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader });
  } finally {
    await engine.close();
  }
}

/** Parses sizes like 128MB, 1GB, 512KiB or a plain byte count. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KIB|MB|MIB|GB|GIB)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`"${text}" is not a size (e.g. 128MB)`);
  const unit = (m[2] ?? 'B').toUpperCase();
  const scale = unit.startsWith('K') ? 1024 : unit.startsWith('M') ? 1024 ** 2 : unit.startsWith('G') ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}

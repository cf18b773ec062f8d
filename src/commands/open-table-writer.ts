/**
 * Shared plumbing of the table maintenance commands (optimize, vacuum, restore, history): a writer context over
 * a local table folder with its own DuckDB, closed afterwards, and the CLI's error convention (a refused input
 * prints `error CODE: message` and exits 2; any other failure exits 1).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DeltaError } from '../delta/errors.ts';
import type { WriterContext } from '../delta/writer/writer-context.ts';
import { createDuckDbEngine } from '../sources/duckdb-engine.ts';
import { createDuckDbSqlEngine } from '../sources/duckdb-sql-engine.ts';
import { createLocalStorage } from '../sources/local-storage.ts';

const REFUSED = new Set(['INVALID_ARGUMENT', 'TABLE_NOT_FOUND', 'VERSION_NOT_FOUND', 'SCHEMA_MISMATCH', 'TIMESTAMP_OUT_OF_RANGE', 'UNSUPPORTED_FEATURE']);

/** Thrown for bad command-line usage; printed as `error BAD_USAGE: ...`, exit 2. */
export class UsageError extends Error {}

/** Runs `fn` with a writer context over the table folder `tablePath`, closing DuckDB afterwards. */
export async function withTableWriter<T>(tablePath: string, fn: (ctx: WriterContext) => Promise<T>): Promise<T> {
  const engine = await createDuckDbEngine({ poolSize: 1 });
  try {
    return await fn({ storage: createLocalStorage(tablePath), sql: createDuckDbSqlEngine(engine), parquetReader: engine.parquetReader });
  } finally {
    await engine.close();
  }
}

/** Parses arguments with one required positional `<table>`; throws UsageError. */
export function parseTableArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: ${usage}`);
  }
  const [table, ...extra] = parsed.positionals;
  if (!table || extra.length > 0) throw new UsageError(`expected one table folder\nusage: ${usage}`);
  return { table, values: parsed.values };
}

/** Parses sizes like 128MB, 1GB, 512KiB or a plain byte count. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|KIB|MB|MIB|GB|GIB)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`"${text}" is not a size (e.g. 128MB)`);
  const unit = (m[2] ?? 'B').toUpperCase();
  const scale = unit.startsWith('K') ? 1024 : unit.startsWith('M') ? 1024 ** 2 : unit.startsWith('G') ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * scale);
}

/** Runs a command body and maps failures to the CLI's exit codes and `error CODE: message` lines. */
export async function runCommand(body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error BAD_USAGE: ${e.message}\n`);
      return 2;
    }
    if (e instanceof DeltaError) {
      process.stderr.write(`error ${e.code}: ${e.message}\n`);
      return REFUSED.has(e.code) ? 2 : 1;
    }
    process.stderr.write(`error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/**
 * What the subcommands share: argument parsing with node:util parseArgs (one table folder and `--help`),
 * opening a table folder at a version or timestamp with a private DuckDB (export, inspect), and the refusal
 * convention — exit code 2 and exactly one `error CODE: message` line on stderr.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isDeltaError, loadSnapshot, type Snapshot, type DeltaStorage } from '../delta/index.ts';
import { createDuckDbEngine, type DuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';

/** A refusal of the command line itself (unknown option, missing table folder, …). */
export class UsageError extends Error {
  readonly code = 'BAD_USAGE';
}

/** Writes the one-line refusal and returns exit code 2. */
export function refuse(code: string, message: string): number {
  process.stderr.write(`error ${code}: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`);
  return 2;
}

/** `--help` / `-h` on a command line: exitCodeFor prints the usage line on stdout and exits 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super('help requested');
  }
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * parseArgs with one positional (the table folder) and `--help`; its errors become UsageErrors with the usage
 * line appended (the refusal still prints as one line), and `--help` throws HelpRequested.
 */
export function parseTableArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, ...HELP_OPTION }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; usage: ${usage}`);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested(usage);
  if (parsed.positionals.length !== 1) throw new UsageError(`expected exactly one table folder; usage: ${usage}`);
  return { table: parsed.positionals[0]!, values: parsed.values };
}

export interface OpenedTable {
  engine: DuckDbEngine;
  storage: DeltaStorage;
  snapshot: Snapshot;
}

/**
 * An integer option (`--version 3`, `--limit 10`): undefined when absent; UsageError naming the option when it is
 * not a whole number of at least `min` (0 or 1, default 0).
 */
export function parseIntArg(name: string, text: string | undefined, min: 0 | 1 = 0): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer, got "${text}"`);
  }
  return Number(text);
}

/** Parses `--version N` / `--timestamp ISO` (not both). */
function versionOptions(version?: string, timestamp?: string): { version?: number; timestamp?: Date } {
  if (version !== undefined && timestamp !== undefined) throw new UsageError('give --version or --timestamp, not both');
  if (version !== undefined) return { version: parseIntArg('version', version) };
  if (timestamp !== undefined) {
    const ms = Date.parse(timestamp);
    if (Number.isNaN(ms)) throw new UsageError(`--timestamp must be an ISO 8601 time, got "${timestamp}"`);
    return { timestamp: new Date(ms) };
  }
  return {};
}

/** Runs `fn` with the table opened (at a version or timestamp) and a private DuckDB, closed afterwards. */
export async function withTable(
  table: string,
  at: { version?: string; timestamp?: string },
  fn: (t: OpenedTable) => Promise<number>,
): Promise<number> {
  const engine = await createDuckDbEngine({ poolSize: 1 });
  try {
    const storage = createLocalStorage(table);
    const snapshot = await loadSnapshot(storage, { parquetReader: engine.parquetReader, ...versionOptions(at.version, at.timestamp) });
    return await fn({ engine, storage, snapshot });
  } finally {
    await engine.close();
  }
}

/** Maps an error to the command's exit code, printing the one-line refusal (2) or the failure (1). */
export function exitCodeFor(e: unknown): number {
  if (e instanceof HelpRequested) {
    process.stdout.write(`usage: ${e.usage}\n`);
    return 0;
  }
  if (isDeltaError(e)) return refuse(e.code, e.message);
  if (e instanceof UsageError) return refuse(e.code, e.message);
  process.stderr.write(`error: ${(e as Error)?.message ?? String(e)}\n`);
  return 1;
}

/** Runs a command body: 0 on success, else the exit code and message of exitCodeFor. */
export async function runCommand(body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    return exitCodeFor(e);
  }
}

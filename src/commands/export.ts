/**
 * `delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL]
 *  [--format parquet|csv|jsonl] [--output FILE]`: writes a table's rows with DuckDB COPY. Without --output,
 * csv and jsonl go to stdout. --where is raw DuckDB SQL over the logical columns (partition columns included):
 * the CLI user's own filter on their own machine.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DeltaError } from '../delta/errors.ts';
import { exportTable, type ExportFormat, type ScanTableOptions } from '../sources/delta-scan.ts';
import { exitCodeFor, parseTableArgs, UsageError, withTable } from './table-command.ts';

const USAGE =
  'delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL] [--format parquet|csv|jsonl] [--output FILE]';

const EXTENSIONS: Record<string, ExportFormat> = { parquet: 'parquet', csv: 'csv', jsonl: 'jsonl', json: 'jsonl', ndjson: 'jsonl' };

function chooseFormat(format: string | undefined, output: string | undefined): ExportFormat {
  if (format === undefined) return (output && EXTENSIONS[extname(output).slice(1).toLowerCase()]) || 'csv';
  if (format !== 'parquet' && format !== 'csv' && format !== 'jsonl') {
    throw new UsageError(`--format must be parquet, csv or jsonl, got "${format}"`);
  }
  return format;
}

/** Exports; DuckDB rejecting the user's own --where (syntax, unknown column) is a refused input. */
async function exportOrRefuse(opts: ScanTableOptions & { format: ExportFormat; output: string }): Promise<number> {
  try {
    return (await exportTable(opts)).rowsWritten;
  } catch (e) {
    const first = ((e as Error)?.message ?? '').split('\n')[0]!;
    if (opts.rawWhere !== undefined && /^(Parser|Binder|Conversion|Catalog) Error/.test(first)) {
      throw new DeltaError('INVALID_ARGUMENT', `--where: ${first}`);
    }
    throw e;
  }
}

export async function run(args: string[]): Promise<number> {
  let tempDir: string | undefined;
  try {
    const { table, values } = parseTableArgs(args, {
      version: { type: 'string' },
      timestamp: { type: 'string' },
      columns: { type: 'string' },
      where: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`usage: ${USAGE}\n`);
      return 0;
    }
    const format = chooseFormat(values.format, values.output);
    if (format === 'parquet' && values.output === undefined) throw new UsageError('parquet needs --output FILE');
    const columns = values.columns?.split(',').map((c) => c.trim()).filter((c) => c !== '');
    // DuckDB must not write to our stdout itself (it reopens the path and would truncate a redirected file):
    // COPY to a private temp file, then stream that to stdout.
    if (values.output === undefined) tempDir = mkdtempSync(join(tmpdir(), 'delta-export-'));
    const output = values.output ?? join(tempDir!, `out.${format}`);
    return await withTable(table, values, async (t) => {
      const rows = await exportOrRefuse({ ...t, format, output, columns, rawWhere: values.where });
      if (tempDir) await pipeline(createReadStream(output), process.stdout, { end: false });
      else process.stderr.write(`wrote ${rows} rows to ${output}\n`);
      return 0;
    });
  } catch (e) {
    return exitCodeFor(e);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

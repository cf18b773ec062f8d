/**
 * `delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL]
 *  [--format parquet|csv|jsonl] [--output FILE]`: writes a table's rows with DuckDB COPY. Without --output,
 * csv and jsonl go to stdout. --where is raw DuckDB SQL over the logical columns (partition columns included):
 * the CLI user's own filter on their own machine.
 */
import { DeltaError } from '../delta/index.ts';
import { exportTable, type ExportFormat, type ScanTableOptions } from '../sources/duckdb/delta-scan.ts';
import { exitCodeFor, parseTableArgs, withTable } from './table-command.ts';
import { chooseFormat, writeExport } from './export-target.ts';

const USAGE =
  'delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL] [--format parquet|csv|jsonl] [--output FILE]';

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
  try {
    const { table, values } = parseTableArgs(args, {
      version: { type: 'string' },
      timestamp: { type: 'string' },
      columns: { type: 'string' },
      where: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
    }, USAGE);
    const format = chooseFormat(values.format, values.output, 'csv');
    const columns = values.columns?.split(',').map((c) => c.trim()).filter((c) => c !== '');
    return await withTable(table, values, async (t) => {
      await writeExport(format, values.output, 'rows', (output) => exportOrRefuse({ ...t, format, output, columns, rawWhere: values.where }));
      return 0;
    });
  } catch (e) {
    return exitCodeFor(e);
  }
}

/**
 * `delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL]
 *  [--format parquet|csv|jsonl] [--output FILE]`: writes a table's rows with DuckDB COPY. Without --output,
 * csv and jsonl go to stdout. --where is raw DuckDB SQL over the logical columns (partition columns included):
 * the CLI user's own filter on their own machine.
 */
import { DeltaError } from '../delta/index.ts';
import { createScanExecutor } from '../sources/duckdb/scan-executor.ts';
import type { TableScanRequest } from '../sources/duckdb/scan-request.ts';
import type { ExportTarget } from '../sources/duckdb/scan-export.ts';
import { exitCodeFor, parseTableArgs, withTable, type OpenedTable } from './table-command.ts';
import { chooseFormat, writeExport } from './export-target.ts';

const USAGE =
  'delta-gateway export <table-dir> [--version N | --timestamp ISO] [--columns a,b] [--where SQL] [--format parquet|csv|jsonl] [--output FILE]';

/**
 * Writes the request's rows (one scan on one connection of the table's engine); returns the rows written.
 * @throws DeltaError INVALID_ARGUMENT when DuckDB rejects the user's own --where (syntax, unknown column)
 */
export async function exportRows(table: OpenedTable, request: TableScanRequest, target: ExportTarget): Promise<number> {
  try {
    return (await createScanExecutor({ engine: table.engine }).export(request, target)).rowsWritten;
  } catch (e) {
    const first = ((e as Error)?.message ?? '').split('\n')[0]!;
    if (request.rawWhere !== undefined && /^(Parser|Binder|Conversion|Catalog) Error/.test(first)) {
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
      const request = { storage: t.storage, snapshot: t.snapshot, columns, rawWhere: values.where };
      await writeExport(format, values.output, 'rows', (output) => exportRows(t, request, { format, output }));
      return 0;
    });
  } catch (e) {
    return exitCodeFor(e);
  }
}

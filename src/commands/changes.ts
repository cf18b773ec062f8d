/**
 * `delta-gateway changes <table-dir> --from V [--to V] [--format jsonl|csv|parquet] [--output FILE]`: writes a
 * table's change data feed (as delta-rs `load_cdf`) with `_change_type`, `_commit_version`, `_commit_timestamp`.
 * Without --output, csv and jsonl go to stdout.
 */
import { createDuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import { createScanExecutor } from '../sources/duckdb/scan-executor.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';
import { exitCodeFor, parseIntArg, parseTableArgs, UsageError } from './table-command.ts';
import { chooseFormat, writeExport } from './export-target.ts';

const USAGE = 'delta-gateway changes <table-dir> --from V [--to V] [--format jsonl|csv|parquet] [--output FILE]';

export async function run(args: string[]): Promise<number> {
  try {
    const { table, values } = parseTableArgs(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
    }, USAGE);
    const from = parseIntArg('from', values.from);
    if (from === undefined) throw new UsageError('--from V is required');
    const to = parseIntArg('to', values.to);
    const format = chooseFormat(values.format, values.output, 'jsonl');
    const engine = await createDuckDbEngine({ poolSize: 1 });
    try {
      const storage = createLocalStorage(table);
      const scans = createScanExecutor({ engine });
      await writeExport(format, values.output, 'change rows', async (output) => (await scans.export({ storage, changes: { from, to } }, { format, output })).rowsWritten);
      return 0;
    } finally {
      await engine.close();
    }
  } catch (e) {
    return exitCodeFor(e);
  }
}

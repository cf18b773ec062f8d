/** `delta-gateway history <table> [--limit N] [--json]`: the table's commits, newest first. */
import { loadHistory } from '../delta/index.ts';
import { createLocalStorage } from '../sources/storage/local-storage.ts';
import { parseIntArg, parseTableArgs, runCommand } from './table-command.ts';

const USAGE = 'delta-gateway history <table> [--limit N] [--json]';

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { table, values } = parseTableArgs(args, { limit: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
    const limit = parseIntArg('limit', values.limit, 1) ?? 20;
    const entries = await loadHistory(createLocalStorage(table), { limit });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(entries.map(({ commitInfo: _c, ...e }) => e), null, 2)}\n`);
      return;
    }
    for (const e of entries) {
      const metrics = Object.entries(e.operationMetrics ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
      process.stdout.write(`${String(e.version).padStart(6)}  ${new Date(e.timestamp).toISOString()}  ${(e.operation ?? '?').padEnd(12)}  ${metrics}\n`);
    }
  });
}

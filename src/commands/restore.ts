/** `delta-gateway restore <table> --version N`: makes the latest version hold the files of version N again. */
import { restoreTable } from '../delta/writer/index.ts';
import { withTableWriter } from './open-table-writer.ts';
import { parseIntArg, parseTableArgs, runCommand, UsageError } from './table-command.ts';

const USAGE = 'delta-gateway restore <table> --version N';

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { table, values } = parseTableArgs(args, { version: { type: 'string' } }, USAGE);
    const version = parseIntArg('version', values.version);
    if (version === undefined) throw new UsageError(`--version N is required\nusage: ${USAGE}`);
    const r = await withTableWriter(table, (ctx) => restoreTable(ctx, version));
    if (r.version === undefined) process.stdout.write(`the table already matches version ${version}\n`);
    else process.stdout.write(`version ${r.version}: restored ${r.numRestoredFiles} files, removed ${r.numRemovedFiles}\n`);
  });
}

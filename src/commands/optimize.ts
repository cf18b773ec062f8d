/** `delta-gateway optimize <table> [--target-size 128MB] [--where "date='2024-01-01'"]`: bin-packing compaction. */
import { optimizeTable } from '../delta/writer/index.ts';
import { parseSize, withTableWriter } from './open-table-writer.ts';
import { parseTableArgs, runCommand } from './table-command.ts';

const USAGE = `delta-gateway optimize <table> [--target-size 128MB] [--where "col='value' AND ..."]`;

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { table, values } = parseTableArgs(args, { 'target-size': { type: 'string' }, where: { type: 'string' } }, USAGE);
    const targetSizeBytes = values['target-size'] ? parseSize(values['target-size']) : undefined;
    const r = await withTableWriter(table, (ctx) => optimizeTable(ctx, { targetSizeBytes, where: values.where }));
    if (r.version === undefined) process.stdout.write('nothing to optimize\n');
    else process.stdout.write(`version ${r.version}: ${r.numRemovedFiles} files (${r.numRemovedBytes} bytes) compacted into ${r.numAddedFiles} (${r.numAddedBytes} bytes)\n`);
  });
}

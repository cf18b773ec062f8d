/** `delta-gateway vacuum <table> [--retain 168h] [--dry-run] [--force]`: deletes unreferenced old data files. */
import { parseDuration, vacuumTable } from '../delta/writer/index.ts';
import { withTableWriter } from './open-table-writer.ts';
import { parseTableArgs, runCommand } from './table-command.ts';

const USAGE = 'delta-gateway vacuum <table> [--retain 168h] [--dry-run] [--force]';

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const { table, values } = parseTableArgs(
      args,
      { retain: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } },
      USAGE,
    );
    const retainMs = values.retain ? parseDuration(values.retain) : undefined;
    const r = await withTableWriter(table, (ctx) => vacuumTable(ctx, { retainMs, dryRun: values['dry-run'], force: values.force }));
    for (const f of r.files) process.stdout.write(`${r.dryRun ? 'would delete' : 'deleted'} ${f.path}\n`);
    const verb = r.dryRun ? 'would delete' : 'deleted';
    process.stdout.write(`${verb} ${r.files.length} files (${r.bytes} bytes), retention ${r.retentionMs / 3_600_000}h\n`);
  });
}

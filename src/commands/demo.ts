/** `delta-gateway demo [--rows 1000000] [--days 7] [--lake DIR]`: writes (or completes) the demo lake. */
import { parseArgs } from 'node:util';
import { ensureDemoLake } from '../demo/ensure-demo-lake.ts';
import { createDuckDbEngine } from '../sources/duckdb/duckdb-engine.ts';
import { runCommand, UsageError } from './table-command.ts';

const USAGE = 'delta-gateway demo [--rows 1000000] [--days 7] [--lake DIR]';

export async function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    let values;
    try {
      ({ values } = parseArgs({ args, options: { rows: { type: 'string' }, days: { type: 'string' }, lake: { type: 'string' } }, strict: true }));
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\nusage: ${USAGE}`);
    }
    const rows = Number(values.rows ?? 1_000_000);
    const days = Number(values.days ?? 7);
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(days) || days < 1) throw new UsageError(`--rows and --days must be positive integers\nusage: ${USAGE}`);
    const lake = values.lake ?? './lake';
    const engine = await createDuckDbEngine();
    try {
      const started = Date.now();
      const logger = { info: (o: object, msg?: string) => process.stderr.write(`${msg ?? ''} ${JSON.stringify(o)}\n`) };
      const r = await ensureDemoLake(lake, { rows, days, engine, logger });
      const verb = r.created ? 'wrote' : 'reused';
      process.stdout.write(`${verb} demo lake at ${lake} (${r.rows} log rows over ${r.days} days from ${r.startDate}) in ${Date.now() - started} ms\n`);
      for (const a of r.anomalies) process.stdout.write(`  anomaly ${a.kind} ${a.start} .. ${a.end} ${a.source}: ${a.description}\n`);
    } finally {
      await engine.close();
    }
  });
}

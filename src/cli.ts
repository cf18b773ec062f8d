/**
 * The delta-gateway command line: a table of subcommands, each loaded only when used. `serve` is the default.
 * Exit codes: 0 success, 1 failure or bad configuration, 2 refused input (usage errors, `error CODE: message`).
 */

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  serve: { summary: 'run the GraphQL gateway (default)', load: () => import('./commands/serve.ts') },
  optimize: { summary: 'compact small files of a table (bin-packing per partition)', load: () => import('./commands/optimize.ts') },
  vacuum: { summary: 'delete data files no version within the retention references', load: () => import('./commands/vacuum.ts') },
  restore: { summary: 'restore a table to an earlier version', load: () => import('./commands/restore.ts') },
  history: { summary: "print a table's commit history", load: () => import('./commands/history.ts') },
  export: { summary: 'write a table (or a version of it) as parquet, csv or JSON lines', load: () => import('./commands/export.ts') },
  inspect: { summary: "print a table's version, protocol, schema, files and row count", load: () => import('./commands/inspect.ts') },
  changes: { summary: "write a table's change data feed between two versions", load: () => import('./commands/changes.ts') },
  demo: { summary: 'write the demo lake (logs and users tables)', load: () => import('./commands/demo.ts') },
  'produce-demo': { summary: 'produce demo log events into Kafka at a steady rate', load: () => import('./commands/produce-demo.ts') },
  warm: { summary: 'bulk-load a table version into Redis for record lookups', load: () => import('./commands/warm.ts') },
  cache: { summary: "query cache admin: 'cache purge <table>' removes a table's entries", load: () => import('./commands/cache.ts') },
};

/** The help text listing every subcommand. */
export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: delta-gateway <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const name = first === undefined || first.startsWith('-') ? 'serve' : first;
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  const command = commands[name];
  if (!command) {
    process.stderr.write(`error BAD_USAGE: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(args);
}

/**
 * `delta-gateway changes <table-dir> --from V [--to V] [--format jsonl|csv|parquet] [--output FILE]`: writes a
 * table's change data feed (as delta-rs `load_cdf`) with `_change_type`, `_commit_version`, `_commit_timestamp`.
 * Without --output, csv and jsonl go to stdout.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { exportChanges } from '../sources/change-feed.ts';
import type { ExportFormat } from '../sources/delta-scan.ts';
import { createDuckDbEngine } from '../sources/duckdb-engine.ts';
import { createLocalStorage } from '../sources/local-storage.ts';
import { exitCodeFor, parseTableArgs, UsageError } from './table-command.ts';

const USAGE = 'delta-gateway changes <table-dir> --from V [--to V] [--format jsonl|csv|parquet] [--output FILE]';

function version(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return Number(text);
}

function chooseFormat(format: string | undefined, output: string | undefined): ExportFormat {
  const f = format ?? (output?.endsWith('.parquet') ? 'parquet' : output?.endsWith('.csv') ? 'csv' : 'jsonl');
  if (f !== 'parquet' && f !== 'csv' && f !== 'jsonl') throw new UsageError(`--format must be jsonl, csv or parquet, got "${f}"`);
  return f;
}

export async function run(args: string[]): Promise<number> {
  let tempDir: string | undefined;
  try {
    const { table, values } = parseTableArgs(args, {
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      process.stdout.write(`usage: ${USAGE}\n`);
      return 0;
    }
    const from = version('from', values.from);
    if (from === undefined) throw new UsageError('--from V is required');
    const to = version('to', values.to);
    const format = chooseFormat(values.format, values.output);
    if (format === 'parquet' && values.output === undefined) throw new UsageError('parquet needs --output FILE');
    if (values.output === undefined) tempDir = mkdtempSync(join(tmpdir(), 'delta-changes-'));
    const output = values.output ?? join(tempDir!, `out.${format}`);
    const engine = await createDuckDbEngine({ poolSize: 1 });
    try {
      const { rowsWritten } = await exportChanges({ engine, storage: createLocalStorage(table), from, to, format, output });
      if (tempDir) await pipeline(createReadStream(output), process.stdout, { end: false });
      else process.stderr.write(`wrote ${rowsWritten} change rows to ${output}\n`);
      return 0;
    } finally {
      await engine.close();
    }
  } catch (e) {
    return exitCodeFor(e);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Where an export command writes: the --output file, or stdout. DuckDB must not write to our stdout itself (COPY
 * reopens the path and would truncate a redirected file), so stdout exports COPY to a private temp file first
 * and stream it out. The format comes from --format, else from the output's extension, else the default.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ExportFormat } from '../sources/duckdb/scan-export.ts';
import { UsageError } from './table-command.ts';

const EXTENSIONS: Record<string, ExportFormat> = { parquet: 'parquet', csv: 'csv', jsonl: 'jsonl', json: 'jsonl', ndjson: 'jsonl' };

/** The export format; UsageError for an unknown --format. */
export function chooseFormat(format: string | undefined, output: string | undefined, fallback: ExportFormat): ExportFormat {
  if (format === undefined) return (output && EXTENSIONS[extname(output).slice(1).toLowerCase()]) || fallback;
  if (format !== 'parquet' && format !== 'csv' && format !== 'jsonl') {
    throw new UsageError(`--format must be parquet, csv or jsonl, got "${format}"`);
  }
  return format;
}

/**
 * Runs `write(path)` (which returns the rows written) against the output file, or a temp file streamed to stdout.
 * @throws UsageError for parquet without --output (binary on a terminal helps nobody)
 */
export async function writeExport(format: ExportFormat, output: string | undefined, what: string, write: (path: string) => Promise<number>): Promise<void> {
  if (format === 'parquet' && output === undefined) throw new UsageError('parquet needs --output FILE');
  const tempDir = output === undefined ? mkdtempSync(join(tmpdir(), 'delta-gateway-export-')) : undefined;
  const path = output ?? join(tempDir!, `out.${format}`);
  try {
    const rows = await write(path);
    if (tempDir) await pipeline(createReadStream(path), process.stdout, { end: false });
    else process.stderr.write(`wrote ${rows} ${what} to ${path}\n`);
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * Exports of a scan's result with DuckDB `COPY (query) TO file`: parquet, CSV with a header, or JSON lines.
 * The output path is a quoted literal (COPY takes no parameter there); the query keeps its bound parameters.
 */
import { DeltaError, quoteString } from '../../delta/index.ts';

export type ExportFormat = 'parquet' | 'csv' | 'jsonl';

/** Where an export writes: the file (replaced) and its format. */
export interface ExportTarget {
  format: ExportFormat;
  output: string;
}

const COPY_FORMATS: Record<ExportFormat, string> = {
  parquet: 'FORMAT parquet',
  csv: 'FORMAT csv, HEADER true',
  jsonl: 'FORMAT json',
};

/**
 * The COPY statement for the target, as a function of the query it writes; checked before any scan starts.
 * @throws DeltaError INVALID_ARGUMENT for an unknown format or an output path with a NUL character
 */
export function copyStatement(target: ExportTarget): (sql: string) => string {
  const format = Object.hasOwn(COPY_FORMATS, target.format) ? COPY_FORMATS[target.format] : undefined;
  if (!format) throw new DeltaError('INVALID_ARGUMENT', `unknown export format "${String(target.format)}"`);
  const output = quoteString(target.output);
  return (sql) => `COPY (${sql}) TO ${output} (${format})`;
}

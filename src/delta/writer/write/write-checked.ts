/**
 * Schema enforcement around an optimistic write (PROTOCOL.md "Requirements for Writers"): a SQL source is cast
 * to the table types inside the COPY and checked afterwards from what was written. When the COPY fails (a value
 * that does not cast) or a non-nullable column shows a null count (or a null partition value), the precise
 * checks re-read the source and name the row at fault; a false alarm (e.g. a null nested field inside a
 * non-nullable struct) lets the written files stand. Files of a rejected batch stay in scratch space only.
 */
import { ensureSourceFits } from './source-checks.ts';
import type { SqlSession, WrittenParquet } from '../sql-engine.ts';
import type { StagedBatch, WriteSource } from './stage-batch.ts';
import type { StructType } from '../../snapshot/schema-types.ts';

/** True when some written file may hold a null in one of `columns`. */
function mayHoldNull(files: readonly WrittenParquet[], columns: readonly string[]): boolean {
  return files.some((f) =>
    columns.some((c) => {
      if (c in f.partitionValues) return f.partitionValues[c] === null;
      const leaves = f.leaves.filter((l) => l.path[0] === c);
      return leaves.length === 0 || leaves.some((l) => l.nullCount === undefined || l.nullCount > 0);
    }),
  );
}

/**
 * Runs `write` and enforces the schema on a SQL source's rows.
 * @throws DeltaError SCHEMA_MISMATCH naming row and column; the engine's error when the checks find nothing
 */
export async function writeChecked(
  session: SqlSession,
  source: WriteSource,
  staged: StagedBatch,
  schema: StructType,
  write: () => Promise<WrittenParquet[]>,
): Promise<WrittenParquet[]> {
  if (!('sql' in source)) return write();
  let files: WrittenParquet[];
  try {
    files = await write();
  } catch (e) {
    await ensureSourceFits(session, source.sql, schema);
    throw e;
  }
  if (mayHoldNull(files, staged.uncheckedNotNull)) await ensureSourceFits(session, source.sql, schema);
  return files;
}

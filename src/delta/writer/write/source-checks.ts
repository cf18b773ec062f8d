/**
 * Schema enforcement for SQL sources (PROTOCOL.md "Requirements for Writers": data must match the table schema),
 * the precise pass: the source is materialised once and each column is checked for values that do not cast to
 * their Delta type and for nulls in non-nullable columns, naming the first row at fault. Writes run optimistically
 * without it and call it only when a cast failed or the written files' null counts say a check would fail.
 */
import { DeltaError } from '../../errors.ts';
import type { StructType } from '../../snapshot/schema-types.ts';
import { quoteIdent, toDuckDbType } from './schema-json.ts';
import type { SqlSession } from '../sql-engine.ts';

let counter = 0;

/** The source's column names, rejecting columns the schema does not have. */
export async function describeSource(session: SqlSession, sql: string, schema: StructType): Promise<Set<string>> {
  const described = await session.all(`DESCRIBE SELECT * FROM (${sql})`);
  const present = new Set(described.map((d) => String(d.column_name)));
  for (const name of present) {
    if (!schema.fields.some((f) => f.name === name)) throw new DeltaError('SCHEMA_MISMATCH', `row 0, column ${name}: column is not in the table schema`);
  }
  for (const f of schema.fields) {
    if (!present.has(f.name) && !f.nullable) throw new DeltaError('SCHEMA_MISMATCH', `row 0, column ${f.name}: null in a non-nullable column`);
  }
  return present;
}

/**
 * Runs every check on the rows of `sql` and throws the first misfit; returns when all rows fit.
 * @throws DeltaError SCHEMA_MISMATCH "row <i>, column <c>: value does not fit <type>" or "...: null in a non-nullable column"
 */
export async function ensureSourceFits(session: SqlSession, sql: string, schema: StructType): Promise<void> {
  const present = await describeSource(session, sql, schema);
  const raw = `__delta_check_${process.pid}_${++counter}`;
  await session.run(`CREATE TEMP TABLE ${raw} AS SELECT * FROM (${sql})`);
  try {
    const checks: string[] = [];
    for (const [i, f] of schema.fields.entries()) {
      if (!present.has(f.name)) continue;
      const col = quoteIdent(f.name);
      checks.push(`min(rowid) FILTER (WHERE ${col} IS NOT NULL AND TRY_CAST(${col} AS ${toDuckDbType(f.type)}) IS NULL) AS t${i}`);
      if (!f.nullable) checks.push(`min(rowid) FILTER (WHERE ${col} IS NULL) AS n${i}`);
    }
    if (checks.length === 0) return;
    const [found] = await session.all(`SELECT ${checks.join(', ')} FROM ${raw}`);
    for (const [i, f] of schema.fields.entries()) {
      const bad = found?.[`t${i}`];
      if (bad != null) throw new DeltaError('SCHEMA_MISMATCH', `row ${bad}, column ${f.name}: value does not fit ${toDuckDbType(f.type)}`);
      const nul = found?.[`n${i}`];
      if (nul != null) throw new DeltaError('SCHEMA_MISMATCH', `row ${nul}, column ${f.name}: null in a non-nullable column`);
    }
  } finally {
    await session.run(`DROP TABLE IF EXISTS ${raw}`);
  }
}

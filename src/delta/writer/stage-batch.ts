/**
 * Staging a write batch (PROTOCOL.md "Requirements for Writers": data must match the table schema): the rows of
 * one write are materialised once in a temp table with exactly the Delta types' DuckDB equivalents, plus one
 * serialized partition value column per partition column. Data files and their statistics are read from it.
 */
import { DeltaError } from '../errors.ts';
import type { StructType } from '../schema-types.ts';
import type { Row } from './row-validation.ts';
import { partitionValueSql } from './partition-values.ts';
import { quoteIdent, quoteLiteral, toDuckDbType } from './schema-json.ts';
import type { SqlSession } from './sql-engine.ts';

/** Where the rows of a write come from: JS objects (validated per row) or a SQL query over the session. */
export type WriteSource = { rows: readonly Row[] } | { sql: string };

/** A staged batch: a temp table or view, and the name of its serialized partition value column per partition column. */
export interface StagedBatch {
  table: string;
  /** A column (or pseudo-column) numbering the rows, for splitting large partitions over files. */
  rowColumn: string;
  /** Temp objects to drop afterwards, in order. */
  drop: string[];
  numRows: number;
  partitionValueColumns: string[];
}

let stageCounter = 0;

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Map) return Object.fromEntries(v);
  return v;
}

const isPrimitive = (t: StructType['fields'][number]['type'], name: string) => t.kind === 'primitive' && t.name === name;

/** Binary travels as base64 and dates may arrive as Date (ISO timestamps): both are read as text and converted. */
function jsonColumnType(t: StructType['fields'][number]['type']): string {
  return isPrimitive(t, 'binary') || isPrimitive(t, 'date') ? 'VARCHAR' : toDuckDbType(t);
}

function fromJsonColumn(name: string, t: StructType['fields'][number]['type']): string {
  const col = quoteIdent(name);
  if (isPrimitive(t, 'binary')) return `from_base64(${col}) AS ${col}`;
  if (isPrimitive(t, 'date')) return `CAST(left(${col}, 10) AS DATE) AS ${col}`;
  return col;
}

/** JS rows become NDJSON read back with the declared column types. */
async function typedRowsSql(session: SqlSession, rows: readonly Row[], schema: StructType, name: string): Promise<string> {
  const text = rows.map((r) => JSON.stringify(r, jsonReplacer)).join('\n');
  const location = await session.scratch.write(`${name}.ndjson`, text);
  const columns = schema.fields.map((f) => `${quoteLiteral(f.name)}: ${quoteLiteral(jsonColumnType(f.type))}`);
  const select = schema.fields.map((f) => fromJsonColumn(f.name, f.type));
  return `SELECT ${select.join(', ')} FROM read_json(${quoteLiteral(location)}, format = 'newline_delimited', columns = {${columns.join(', ')}})`;
}

/**
 * A SQL source is materialised as is, then every column is checked: it must be in the schema, cast to its Delta
 * type without loss of non-null values, and be non-null where the schema says so.
 */
async function typedQuerySql(session: SqlSession, sql: string, schema: StructType, raw: string): Promise<string> {
  await session.run(`CREATE TEMP TABLE ${raw} AS SELECT * FROM (${sql})`);
  const described = await session.all(`DESCRIBE SELECT * FROM ${raw}`);
  const present = new Set(described.map((d) => String(d.column_name)));
  for (const name of present) {
    if (!schema.fields.some((f) => f.name === name)) throw new DeltaError('SCHEMA_MISMATCH', `row 0, column ${name}: column is not in the table schema`);
  }
  const checks: string[] = [];
  for (const [i, f] of schema.fields.entries()) {
    if (!present.has(f.name)) continue;
    const col = quoteIdent(f.name);
    checks.push(`min(rowid) FILTER (WHERE ${col} IS NOT NULL AND TRY_CAST(${col} AS ${toDuckDbType(f.type)}) IS NULL) AS t${i}`);
    if (!f.nullable) checks.push(`min(rowid) FILTER (WHERE ${col} IS NULL) AS n${i}`);
  }
  const [found] = checks.length ? await session.all(`SELECT ${checks.join(', ')} FROM ${raw}`) : [{}];
  for (const [i, f] of schema.fields.entries()) {
    if (!present.has(f.name)) {
      if (!f.nullable) throw new DeltaError('SCHEMA_MISMATCH', `row 0, column ${f.name}: null in a non-nullable column`);
      continue;
    }
    const bad = found?.[`t${i}`];
    if (bad != null) throw new DeltaError('SCHEMA_MISMATCH', `row ${bad}, column ${f.name}: value does not fit ${toDuckDbType(f.type)}`);
    const nul = found?.[`n${i}`];
    if (nul != null) throw new DeltaError('SCHEMA_MISMATCH', `row ${nul}, column ${f.name}: null in a non-nullable column`);
  }
  const select = schema.fields.map((f) =>
    present.has(f.name)
      ? `CAST(${quoteIdent(f.name)} AS ${toDuckDbType(f.type)}) AS ${quoteIdent(f.name)}`
      : `CAST(NULL AS ${toDuckDbType(f.type)}) AS ${quoteIdent(f.name)}`,
  );
  return `SELECT ${select.join(', ')}, rowid AS __delta_row FROM ${raw}`;
}

/**
 * Materialises a batch in a temp table of the session. JS rows must already be validated (validateRows).
 * The caller drops the table with `dropStaged`.
 * @throws DeltaError SCHEMA_MISMATCH naming row and column for a SQL source that does not fit the schema
 */
export async function stageBatch(session: SqlSession, source: WriteSource, schema: StructType, partitionColumns: readonly string[]): Promise<StagedBatch> {
  const id = `${process.pid}_${++stageCounter}`;
  const table = `__delta_stage_${id}`;
  const raw = `__delta_raw_${id}`;
  const fromRows = 'rows' in source;
  let ok = false;
  try {
    const typed = fromRows ? await typedRowsSql(session, source.rows, schema, table) : await typedQuerySql(session, source.sql, schema, raw);
    const partitionValueColumns = partitionColumns.map((_, i) => `__delta_pv${i}`);
    const pv = partitionColumns.map((c, i) => {
      const f = schema.fields.find((x) => x.name === c);
      if (!f) throw new DeltaError('INVALID_ARGUMENT', `partition column "${c}" is not in the schema`);
      return `${partitionValueSql(c, f.type)} AS ${partitionValueColumns[i]}`;
    });
    // JS rows are materialised once; a SQL source already is (raw), so a view adds the casts without a copy.
    await session.run(`CREATE TEMP ${fromRows ? 'TABLE' : 'VIEW'} ${table} AS SELECT *${pv.map((p) => `, ${p}`).join('')} FROM (${typed})`);
    const [count] = await session.all(`SELECT count(*)::VARCHAR AS n FROM ${fromRows ? table : raw}`);
    ok = true;
    const drop = fromRows ? [`DROP TABLE IF EXISTS ${table}`] : [`DROP VIEW IF EXISTS ${table}`, `DROP TABLE IF EXISTS ${raw}`];
    return { table, rowColumn: fromRows ? 'rowid' : '__delta_row', drop, numRows: Number(count?.n ?? 0), partitionValueColumns };
  } finally {
    if (!ok) {
      await session.run(`DROP VIEW IF EXISTS ${table}`).catch(() => undefined);
      await session.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await session.run(`DROP TABLE IF EXISTS ${raw}`);
    }
  }
}

/** Drops a staged batch's temp objects. */
export async function dropStaged(session: SqlSession, staged: StagedBatch): Promise<void> {
  for (const sql of staged.drop) await session.run(sql);
}

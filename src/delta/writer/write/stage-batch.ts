/**
 * Staging a write batch (PROTOCOL.md "Requirements for Writers": data must match the table schema): the rows of
 * one write become one SELECT giving the data columns in exactly the Delta types' DuckDB equivalents, followed by
 * one serialized partition value column per partition column (named as the column). JS rows are appended to a
 * temp table in bulk first; a SQL source is not materialised at all: its casts run inside the COPY, and only a
 * failed cast or a suspicious null count in the written files triggers the precise checks (source-checks.ts).
 */
import { DeltaError } from '../../errors.ts';
import type { StructType } from '../../snapshot/schema-types.ts';
import type { Row } from './row-validation.ts';
import { partitionValueSql } from './partition-values.ts';
import { quoteIdent, toDuckDbType } from './schema-json.ts';
import { describeSource } from './source-checks.ts';
import type { SqlSession } from '../sql-engine.ts';
import { rowColumn } from './stage-rows.ts';

/** Where the rows of a write come from: JS objects (validated per row) or a SQL query over the session. */
export type WriteSource = { rows: readonly Row[] } | { sql: string };

/** A staged batch. */
export interface StagedBatch {
  /** Data columns (schema order, partition columns left out) then the partition value columns. */
  select: string;
  /** The rows with every column in its DuckDB type, schema order (what `select` reads). */
  typed: string;
  /** Data columns of `select`, quoted. */
  dataColumns: string[];
  /** Partition columns: quoted name, DuckDB type and the partition value expression over `typed`. */
  partitions: Array<{ column: string; duckDbType: string; valueSql: string; float: boolean }>;
  /** Temp objects to drop afterwards, in order. */
  drop: string[];
  /** Rows in the batch when known before writing (JS rows). */
  numRows?: number;
  /**
   * Non-nullable columns the staging did not check (SQL sources): the written files' null counts
   * (or partition values) must show no null in them, else the precise checks decide.
   */
  uncheckedNotNull: string[];
}

let stageCounter = 0;

/** The outer select (data columns, then each partition column serialized to its partition value string) and its parts. */
function partitionedSelect(inner: string, schema: StructType, partitionColumns: readonly string[]): Pick<StagedBatch, 'select' | 'typed' | 'dataColumns' | 'partitions'> {
  const data = schema.fields.filter((f) => !partitionColumns.includes(f.name)).map((f) => quoteIdent(f.name));
  const partitions = partitionColumns.map((c) => {
    const f = schema.fields.find((x) => x.name === c);
    if (!f) throw new DeltaError('INVALID_ARGUMENT', `partition column "${c}" is not in the schema`);
    const float = f.type.kind === 'primitive' && (f.type.name === 'double' || f.type.name === 'float');
    return { column: quoteIdent(c), duckDbType: toDuckDbType(f.type), valueSql: partitionValueSql(c, f.type), float };
  });
  const pv = partitions.map((p) => `${p.valueSql} AS ${p.column}`);
  return { select: `SELECT ${[...data, ...pv].join(', ')} FROM (${inner})`, typed: inner, dataColumns: data, partitions };
}

async function stageRows(session: SqlSession, rows: readonly Row[], schema: StructType): Promise<{ inner: string; drop: string[] }> {
  const table = `__delta_stage_${process.pid}_${++stageCounter}`;
  const columns = schema.fields.map((f) => rowColumn(rows, f));
  await session.createTempTable(table, columns.map((c) => c.column));
  return { inner: `SELECT ${columns.map((c) => c.expr).join(', ')} FROM ${table}`, drop: [`DROP TABLE IF EXISTS ${table}`] };
}

async function stageQuery(session: SqlSession, sql: string, schema: StructType): Promise<string> {
  const present = await describeSource(session, sql, schema);
  const cols = schema.fields.map((f) => `CAST(${present.has(f.name) ? quoteIdent(f.name) : 'NULL'} AS ${toDuckDbType(f.type)}) AS ${quoteIdent(f.name)}`);
  return `SELECT ${cols.join(', ')} FROM (${sql})`;
}

/**
 * Stages a batch in the session. JS rows must already be validated (validateRows). The caller drops the
 * staged objects with `dropStaged`.
 * @throws DeltaError SCHEMA_MISMATCH for a SQL source with a column the schema lacks or missing a non-nullable one
 */
export async function stageBatch(session: SqlSession, source: WriteSource, schema: StructType, partitionColumns: readonly string[]): Promise<StagedBatch> {
  if ('rows' in source) {
    const { inner, drop } = await stageRows(session, source.rows, schema);
    return { ...partitionedSelect(inner, schema, partitionColumns), drop, numRows: source.rows.length, uncheckedNotNull: [] };
  }
  const inner = await stageQuery(session, source.sql, schema);
  const uncheckedNotNull = schema.fields.filter((f) => !f.nullable).map((f) => f.name);
  return { ...partitionedSelect(inner, schema, partitionColumns), drop: [], uncheckedNotNull };
}

/** Drops a staged batch's temp objects. */
export async function dropStaged(session: SqlSession, staged: StagedBatch): Promise<void> {
  for (const sql of staged.drop) await session.run(sql);
}

/**
 * A bound scan predicate as a DuckDB boolean expression over the scan's logical columns. Every value becomes a
 * bound parameter (`$n`, appended to `params`), never SQL text; nested struct fields are read with struct_extract.
 */
import type { BoundColumn, BoundPredicate, ComparisonOp } from './predicate.ts';
import { quoteIdent, quoteString, scalarParam } from './sql-text.ts';
import type { ScalarValue } from '../values/scalar-values.ts';

const OPERATORS: Record<ComparisonOp, string> = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' };

function columnSql(column: BoundColumn, alias: string): string {
  const [top, ...rest] = column.path;
  let sql = `${alias}.${quoteIdent(top!)}`;
  for (const field of rest) sql = `struct_extract(${sql}, ${quoteString(field)})`;
  return sql;
}

function bind(column: BoundColumn, value: ScalarValue, params: unknown[]): string {
  const param = scalarParam(column.type, value);
  params.push(param.value);
  return param.sql(`$${params.length}`);
}

/**
 * SQL for `predicate`, reading columns as `<alias>."name"`. Empty AND is TRUE, empty OR and empty IN are FALSE.
 * @param params receives the bound values in placeholder order
 */
export function predicateSql(predicate: BoundPredicate, alias: string, params: unknown[]): string {
  switch (predicate.kind) {
    case 'and':
    case 'or': {
      if (predicate.children.length === 0) return predicate.kind === 'and' ? 'TRUE' : 'FALSE';
      const joiner = predicate.kind === 'and' ? ' AND ' : ' OR ';
      return `(${predicate.children.map((c) => predicateSql(c, alias, params)).join(joiner)})`;
    }
    case 'not':
      return `(NOT ${predicateSql(predicate.child, alias, params)})`;
    case 'isNull':
      return `(${columnSql(predicate.column, alias)} IS NULL)`;
    case 'isNotNull':
      return `(${columnSql(predicate.column, alias)} IS NOT NULL)`;
    case 'in': {
      if (predicate.values.length === 0) return 'FALSE';
      const list = predicate.values.map((v) => bind(predicate.column, v, params));
      return `(${columnSql(predicate.column, alias)} IN (${list.join(', ')}))`;
    }
    case 'match': {
      params.push(predicate.value);
      const fn = predicate.op === 'contains' ? 'contains' : 'starts_with';
      return `${fn}(${columnSql(predicate.column, alias)}, CAST($${params.length} AS VARCHAR))`;
    }
    case 'compare':
      return `(${columnSql(predicate.column, alias)} ${OPERATORS[predicate.op]} ${bind(predicate.column, predicate.value, params)})`;
  }
}

/**
 * Scan predicates: the small filter model callers hand to scan planning (comparisons, IN, null tests, AND/OR/NOT
 * over columns of the table's logical schema), and its bound form, where each column is resolved against the
 * schema (with its physical path for statistics) and each value coerced to the column's canonical ScalarValue.
 */
import { DeltaError } from '../errors.ts';
import { physicalName } from '../values/partition-values.ts';
import { coerceScalar } from '../values/predicate-values.ts';
import type { ScalarValue } from '../values/scalar-values.ts';
import type { DataType, StructField, StructType } from '../snapshot/schema-types.ts';

export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

/** Case-sensitive substring tests on string columns. */
export type MatchOp = 'contains' | 'startsWith';

/** A top-level column name, or a path into nested struct fields (`['a', 'b']` is field b of struct a). */
export type ColumnRef = string | readonly string[];

export type Predicate =
  | { op: ComparisonOp; column: ColumnRef; value: unknown }
  | { op: 'in'; column: ColumnRef; values: readonly unknown[] }
  | { op: MatchOp; column: ColumnRef; value: string }
  | { op: 'isNull' | 'isNotNull'; column: ColumnRef }
  | { and: readonly Predicate[] }
  | { or: readonly Predicate[] }
  | { not: Predicate };

/** A column resolved against the schema. */
export interface BoundColumn {
  /** Logical path (top-level name first). */
  readonly path: readonly string[];
  /** Physical path, as keyed in data files and statistics. */
  readonly physicalPath: readonly string[];
  readonly type: DataType;
}

export type BoundPredicate =
  | { kind: 'compare'; op: ComparisonOp; column: BoundColumn; value: ScalarValue }
  | { kind: 'in'; column: BoundColumn; values: readonly ScalarValue[] }
  | { kind: 'match'; op: MatchOp; column: BoundColumn; value: string }
  | { kind: 'isNull' | 'isNotNull'; column: BoundColumn }
  | { kind: 'and' | 'or'; children: readonly BoundPredicate[] }
  | { kind: 'not'; child: BoundPredicate };

const COMPARISON_OPS = new Set<string>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);

function invalid(message: string): DeltaError {
  return new DeltaError('INVALID_ARGUMENT', message);
}

function findField(fields: readonly StructField[], name: string): StructField | undefined {
  return fields.find((f) => f.name === name);
}

/**
 * Resolves a column reference against a struct schema.
 * @throws DeltaError INVALID_ARGUMENT for an unknown column or a path through a non-struct
 */
export function resolveColumn(schema: StructType, ref: ColumnRef): BoundColumn {
  const path = typeof ref === 'string' ? [ref] : [...ref];
  if (path.length === 0 || path.some((p) => typeof p !== 'string')) throw invalid('column reference is empty');
  let fields: readonly StructField[] = schema.fields;
  const physicalPath: string[] = [];
  let type: DataType | undefined;
  for (const [i, name] of path.entries()) {
    const field = findField(fields, name);
    if (!field) throw invalid(`unknown column "${path.slice(0, i + 1).join('.')}"`);
    physicalPath.push(physicalName(field));
    type = field.type;
    if (i < path.length - 1) {
      if (type.kind !== 'struct') throw invalid(`column "${path.slice(0, i + 1).join('.')}" is not a struct`);
      fields = type.fields;
    }
  }
  return { path, physicalPath, type: type! };
}

function isComparable(type: DataType): boolean {
  return type.kind === 'decimal' || (type.kind === 'primitive' && type.name !== 'variant');
}

function bindLeaf(schema: StructType, p: Extract<Predicate, { op: string }>): BoundPredicate {
  const column = resolveColumn(schema, p.column);
  const label = column.path.join('.');
  if (p.op === 'isNull' || p.op === 'isNotNull') return { kind: p.op, column };
  if (p.op === 'contains' || p.op === 'startsWith') {
    if (column.type.kind !== 'primitive' || column.type.name !== 'string') throw invalid(`"${p.op}" needs a string column, "${label}" is not`);
    if (typeof p.value !== 'string') throw invalid(`"${p.op}" on "${label}" needs a string value`);
    return { kind: 'match', op: p.op, column, value: p.value };
  }
  if (!isComparable(column.type)) throw invalid(`column "${label}" cannot be compared (only null tests)`);
  if (p.op === 'in') {
    if (!Array.isArray(p.values)) throw invalid(`"in" on "${label}" needs a values array`);
    return { kind: 'in', column, values: p.values.map((v) => coerceScalar(v, column.type, label)) };
  }
  if (!COMPARISON_OPS.has(p.op) || !('value' in p)) throw invalid(`unknown predicate op "${String(p.op)}"`);
  return { kind: 'compare', op: p.op as ComparisonOp, column, value: coerceScalar(p.value, column.type, label) };
}

/**
 * Validates a predicate against the logical schema and binds it: columns resolved, values coerced to the
 * column type (null values are refused: use isNull/isNotNull). Depth is limited to 64 to bound recursion.
 * @throws DeltaError INVALID_ARGUMENT for unknown columns, ops or values that do not fit the column type
 */
export function bindPredicate(schema: StructType, predicate: Predicate, depth = 0): BoundPredicate {
  if (depth > 64) throw invalid('predicate is nested too deeply');
  if (predicate === null || typeof predicate !== 'object') throw invalid('predicate must be an object');
  if ('and' in predicate || 'or' in predicate) {
    const kind = 'and' in predicate ? 'and' : 'or';
    const list = 'and' in predicate ? predicate.and : predicate.or;
    if (!Array.isArray(list)) throw invalid(`"${kind}" needs an array of predicates`);
    return { kind, children: list.map((c: Predicate) => bindPredicate(schema, c, depth + 1)) };
  }
  if ('not' in predicate) return { kind: 'not', child: bindPredicate(schema, predicate.not, depth + 1) };
  if (!('op' in predicate)) throw invalid('predicate needs op, and, or or not');
  return bindLeaf(schema, predicate);
}

/** Top-level logical column names a bound predicate reads. */
export function predicateColumns(predicate: BoundPredicate, into = new Set<string>()): Set<string> {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      for (const c of predicate.children) predicateColumns(c, into);
      return into;
    case 'not':
      return predicateColumns(predicate.child, into);
    default:
      into.add(predicate.column.path[0]!);
      return into;
  }
}

/**
 * Data skipping (PROTOCOL.md "Per-file Statistics" and "Partition Value Serialization"): decides from a file's
 * typed partition values and its stats (numRecords, nullCount, minValues, maxValues, nested per struct) whether
 * the file provably holds no row matching a predicate. Conservative by construction: unknown means keep.
 * Bounds may be wide (tightBounds=false); string bounds may be truncated prefixes; timestamp bounds are truncated
 * to milliseconds; float stats ignore NaN (which the engine orders above every number), so max bounds of floating
 * columns are never trusted and float32 bounds not at all (their decimal text is not the stored binary value).
 */
import type { FileStats } from '../log/actions.ts';
import type { BoundColumn, BoundPredicate, ComparisonOp } from './predicate.ts';
import { type ScalarValue, compareScalars } from '../values/scalar-values.ts';
import { statValue } from '../values/stats-values.ts';

/** What pruning knows about one file. */
export interface FileFacts {
  /** Typed partition values keyed by logical top-level column name. */
  readonly partitionValues: ReadonlyMap<string, ScalarValue | null>;
  readonly stats: FileStats | undefined;
}

const NEGATED: Record<ComparisonOp, ComparisonOp> = { eq: 'ne', ne: 'eq', lt: 'gte', lte: 'gt', gt: 'lte', gte: 'lt' };

/**
 * Pushes every NOT down to the leaves (De Morgan; NOT x<v is x>=v, NOT IN is a conjunction of ne), which is exact
 * under SQL's three-valued logic because a NULL operand leaves both forms non-true.
 */
export function toNegationNormalForm(p: BoundPredicate, negate = false): BoundPredicate {
  switch (p.kind) {
    case 'not':
      return toNegationNormalForm(p.child, !negate);
    case 'and':
    case 'or': {
      const kind = negate ? (p.kind === 'and' ? 'or' : 'and') : p.kind;
      return { kind, children: p.children.map((c) => toNegationNormalForm(c, negate)) };
    }
    case 'isNull':
    case 'isNotNull':
      return negate ? { kind: p.kind === 'isNull' ? 'isNotNull' : 'isNull', column: p.column } : p;
    case 'compare':
      return negate ? { ...p, op: NEGATED[p.op] } : p;
    case 'match':
      return negate ? { kind: 'not', child: p } : p; // no leaf form for "does not contain": kept as NOT
    case 'in':
      if (!negate) return p;
      return { kind: 'and', children: p.values.map((value) => ({ kind: 'compare', op: 'ne', column: p.column, value })) };
  }
}

/** True when the file provably has no row for which the (negation-normal) predicate is true. */
export function canSkipFile(p: BoundPredicate, facts: FileFacts): boolean {
  switch (p.kind) {
    case 'and':
      return p.children.some((c) => canSkipFile(c, facts));
    case 'or':
      return p.children.every((c) => canSkipFile(c, facts));
    case 'not':
      // After normalisation only NOT over a string match remains; decidable exactly on a partition column.
      return p.child.kind === 'match' && isPartitionLeaf(p.child.column, facts) && negatedMatchFalse(p.child, facts);
    default:
      return isPartitionLeaf(p.column, facts) ? partitionLeafFalse(p, facts) : statsLeafFalse(p, facts.stats);
  }
}

type Leaf = Exclude<BoundPredicate, { kind: 'and' | 'or' | 'not' }>;
type Match = Extract<BoundPredicate, { kind: 'match' }>;

function matches(p: Match, value: string): boolean {
  return p.op === 'contains' ? value.includes(p.value) : value.startsWith(p.value);
}

/** NOT (partition matches): false for a null partition (NOT NULL is not true) and for a matching value. */
function negatedMatchFalse(p: Match, facts: FileFacts): boolean {
  const value = facts.partitionValues.get(p.column.path[0]!) ?? null;
  return value === null || (typeof value === 'string' && matches(p, value));
}

function isPartitionLeaf(column: BoundColumn, facts: FileFacts): boolean {
  return column.path.length === 1 && facts.partitionValues.has(column.path[0]!);
}

function holds(op: ComparisonOp, order: number): boolean {
  switch (op) {
    case 'eq': return order === 0;
    case 'ne': return order !== 0;
    case 'lt': return order < 0;
    case 'lte': return order <= 0;
    case 'gt': return order > 0;
    case 'gte': return order >= 0;
  }
}

/** A partition column is constant per file, so the leaf is decided exactly (unless NaN makes order unknown). */
function partitionLeafFalse(p: Leaf, facts: FileFacts): boolean {
  const value = facts.partitionValues.get(p.column.path[0]!) ?? null;
  if (p.kind === 'isNull') return value !== null;
  if (p.kind === 'isNotNull') return value === null;
  if (value === null) return true;
  if (p.kind === 'match') return typeof value === 'string' && !matches(p, value);
  const type = p.column.type;
  if (p.kind === 'in') {
    return p.values.every((v) => compareScalars(type, value, v) !== undefined && compareScalars(type, value, v) !== 0);
  }
  if (p.kind !== 'compare') return false;
  const order = compareScalars(type, value, p.value);
  return order !== undefined && !holds(p.op, order);
}

function lookup(root: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

type Family = 'exact' | 'timestamp' | 'string' | 'double' | 'none';

function familyOf(column: BoundColumn): Family {
  const t = column.type;
  if (t.kind === 'decimal') return 'exact';
  if (t.kind !== 'primitive') return 'none';
  switch (t.name) {
    case 'byte': case 'short': case 'integer': case 'long': case 'date': case 'boolean': return 'exact';
    case 'timestamp': case 'timestamp_ntz': return 'timestamp';
    case 'string': return 'string';
    case 'double': return 'double';
    default: return 'none';
  }
}

/** Bounds of the non-null values of one column in one file, from stats, as the checks pruning needs. */
interface Bounds {
  /** Every value is >= lower. */
  lower?: ScalarValue;
  /** Every value is <= v (so `> v` cannot match). */
  allAtMost(v: ScalarValue): boolean;
  /** Every value is < v (so `= v`, `>= v` cannot match). */
  allBelow(v: ScalarValue): boolean;
  /** Every value equals v (only for exact families). */
  allEqual(v: ScalarValue): boolean;
}

function boundsOf(column: BoundColumn, stats: FileStats): Bounds {
  const family = familyOf(column);
  const type = column.type;
  const cmp = (a: ScalarValue | undefined, b: ScalarValue): number | undefined =>
    a === undefined ? undefined : compareScalars(type, a, b);
  const none = { allAtMost: () => false, allBelow: () => false, allEqual: () => false };
  if (family === 'none') return none;
  const lower = statValue(lookup(stats.minValues, column.physicalPath), type);
  const max = family === 'double' ? undefined : statValue(lookup(stats.maxValues, column.physicalPath), type);
  // Truncated maxima: a timestamp max may be up to 999µs low; a string max may be a prefix of the true max.
  const upper = family === 'timestamp' && typeof max === 'bigint' ? max + 999n : max;
  const beyondPrefix = (v: ScalarValue): boolean =>
    typeof max === 'string' && typeof v === 'string' && (cmp(max, v) ?? 1) < 0 && !v.startsWith(max);
  return {
    lower,
    allAtMost: (v) => (family === 'string' ? beyondPrefix(v) : (cmp(upper, v) ?? 1) <= 0),
    allBelow: (v) => (family === 'string' ? beyondPrefix(v) : (cmp(upper, v) ?? 1) < 0),
    allEqual: (v) => family === 'exact' && cmp(lower, v) === 0 && cmp(max, v) === 0,
  };
}

function compareLeafFalse(op: ComparisonOp, v: ScalarValue, b: Bounds, type: BoundColumn['type']): boolean {
  const lowerVsV = b.lower === undefined ? undefined : compareScalars(type, b.lower, v);
  switch (op) {
    case 'eq': return (lowerVsV !== undefined && lowerVsV > 0) || b.allBelow(v);
    case 'ne': return b.allEqual(v);
    case 'lt': return lowerVsV !== undefined && lowerVsV >= 0;
    case 'lte': return lowerVsV !== undefined && lowerVsV > 0;
    case 'gt': return b.allAtMost(v);
    case 'gte': return b.allBelow(v);
  }
}

/** No value can start with `prefix`: all are below it, or the lower bound is above every string with that prefix. */
function startsWithFalse(prefix: string, b: Bounds): boolean {
  return b.allBelow(prefix) || (typeof b.lower === 'string' && aboveEveryExtension(b.lower, prefix));
}

/** True when `s` sorts after every string starting with `prefix` (it differs inside the prefix, upward). */
function aboveEveryExtension(s: string, prefix: string): boolean {
  const [a, b] = [[...s], [...prefix]];
  for (let i = 0; i < b.length && i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]!.codePointAt(0)! > b[i]!.codePointAt(0)!;
  }
  return false;
}

function statsLeafFalse(p: Leaf, stats: FileStats | undefined): boolean {
  if (!stats) return false;
  const numRecords = typeof stats.numRecords === 'number' ? stats.numRecords : undefined;
  if (numRecords === 0) return true;
  const nullCount = lookup(stats.nullCount, p.column.physicalPath);
  const known = typeof nullCount === 'number' ? nullCount : undefined;
  const allNull = numRecords !== undefined && known === numRecords;
  // A nested field is also null when its parent struct is: its own nullCount may not say so.
  if (p.kind === 'isNull') return known === 0 && p.column.path.length === 1;
  if (p.kind === 'isNotNull') return allNull;
  if (allNull) return true;
  const bounds = boundsOf(p.column, stats);
  if (p.kind === 'in') return p.values.every((v) => compareLeafFalse('eq', v, bounds, p.column.type));
  if (p.kind === 'match') return p.op === 'startsWith' && startsWithFalse(p.value, bounds);
  return p.kind === 'compare' && compareLeafFalse(p.op, p.value, bounds, p.column.type);
}

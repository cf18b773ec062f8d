/**
 * Turns a typed `where` argument into the scan Predicate: per-column filters become comparisons joined by AND,
 * `and` / `or` / `not` nest. Values stay values: the scan builds bound parameters from them, never SQL text.
 */
import type { Predicate } from '../delta/index.ts';

export type ColumnFilter = Partial<Record<'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'startsWith', unknown>> & {
  in?: readonly unknown[] | null;
  isNull?: boolean | null;
};

export type WhereInput = {
  and?: readonly WhereInput[] | null;
  or?: readonly WhereInput[] | null;
  not?: WhereInput | null;
} & Record<string, unknown>;

const COMPARISONS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const;

/**
 * @param columnOf maps a GraphQL field name of the where input to its Delta column name
 * @returns undefined when the input sets no condition
 */
export function whereToPredicate(where: WhereInput | null | undefined, columnOf: ReadonlyMap<string, string>): Predicate | undefined {
  if (!where) return undefined;
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === 'and' || key === 'or') {
      const children = (value as WhereInput[]).map((w) => whereToPredicate(w, columnOf) ?? TRUE);
      parts.push(key === 'and' ? { and: children } : { or: children });
    } else if (key === 'not') {
      const child = whereToPredicate(value as WhereInput, columnOf);
      if (child) parts.push({ not: child });
    } else {
      const column = columnOf.get(key);
      if (column !== undefined) parts.push(...filterToPredicates(column, value as ColumnFilter));
    }
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

/** A condition that always holds (`x IS NULL OR x IS NOT NULL` would need a column): an empty AND. */
const TRUE: Predicate = { and: [] };

function filterToPredicates(column: string, filter: ColumnFilter): Predicate[] {
  const out: Predicate[] = [];
  for (const op of COMPARISONS) {
    if (filter[op] !== undefined && filter[op] !== null) out.push({ op, column, value: filter[op] });
  }
  if (filter.in) out.push({ op: 'in', column, values: filter.in });
  if (filter.isNull === true) out.push({ op: 'isNull', column });
  if (filter.isNull === false) out.push({ op: 'isNotNull', column });
  if (typeof filter.contains === 'string') out.push({ op: 'contains', column, value: filter.contains });
  if (typeof filter.startsWith === 'string') out.push({ op: 'startsWith', column, value: filter.startsWith });
  return out;
}

/**
 * Partition filters for maintenance commands (`--where "date='2024-01-01' AND region='eu'"`): a conjunction of
 * equalities on partition columns, matched against the serialized values in `add.partitionValues`
 * (PROTOCOL.md "Partition Value Serialization"). Only partition columns may appear, so whole files match or not.
 */
import type { Add } from '../../log/actions.ts';
import { DeltaError } from '../../errors.ts';

/** column -> serialized value (null for `col IS NULL`). */
export type PartitionFilter = Map<string, string | null>;

const TERM = /^\s*("?)([^"=\s]+)\1\s*(?:=\s*(?:'((?:[^']|'')*)'|([^\s']+))|(IS\s+NULL))\s*$/i;

/**
 * Parses `a='x' AND b=2 AND c IS NULL`.
 * @throws DeltaError INVALID_ARGUMENT for other syntax or a column that is not a partition column
 */
export function parsePartitionFilter(text: string, partitionColumns: readonly string[]): PartitionFilter {
  const filter: PartitionFilter = new Map();
  for (const term of text.split(/\s+AND\s+/i)) {
    const m = TERM.exec(term);
    if (!m) throw new DeltaError('INVALID_ARGUMENT', `cannot parse partition filter "${term.trim()}" (expected col='value')`);
    const column = m[2]!;
    if (!partitionColumns.includes(column)) {
      throw new DeltaError('INVALID_ARGUMENT', `"${column}" is not a partition column (partition columns: ${partitionColumns.join(', ') || 'none'})`);
    }
    filter.set(column, m[5] ? null : m[3] !== undefined ? m[3].replaceAll("''", "'") : m[4]!);
  }
  return filter;
}

/** True when the file's partition values satisfy every term. */
export function matchesPartitionFilter(add: Add, filter: PartitionFilter): boolean {
  for (const [column, value] of filter) {
    const actual = add.partitionValues[column];
    const normalized = actual === undefined || actual === '' ? null : actual;
    if (normalized !== value) return false;
  }
  return true;
}

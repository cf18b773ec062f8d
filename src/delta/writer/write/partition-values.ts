/**
 * Partition values for writers (PROTOCOL.md "Partition Value Serialization"): each value is stored as a string
 * in `add.partitionValues` (null when absent; an empty string also means null), and data files live under
 * Hive-style folders `col=value/` whose values are escaped as the reference implementation escapes them.
 * The `add.path` is then URL-encoded, so an escaped `%3A` in a folder name appears as `%253A` in the log.
 */
import { DeltaError } from '../../errors.ts';
import type { DataType } from '../../snapshot/schema-types.ts';
import { quoteIdent } from './schema-json.ts';

/** The folder name Hive-style layouts use for a null partition value. */
export const NULL_PARTITION_FOLDER = '__HIVE_DEFAULT_PARTITION__';

/**
 * A DuckDB expression that serializes column `name` of `type` to its partition value string, or NULL.
 * Timestamps are written as ISO-8601 in UTC with microseconds, as the protocol recommends.
 * @throws DeltaError INVALID_ARGUMENT for types that cannot be partition columns (binary, nested)
 */
export function partitionValueSql(name: string, type: DataType): string {
  const col = quoteIdent(name);
  if (type.kind === 'decimal') return `CAST(${col} AS VARCHAR)`;
  if (type.kind !== 'primitive') {
    throw new DeltaError('INVALID_ARGUMENT', `partition column "${name}" has a nested type`);
  }
  switch (type.name) {
    case 'string':
      return `NULLIF(${col}, '')`;
    case 'date':
      return `strftime(${col}, '%Y-%m-%d')`;
    case 'timestamp':
      return `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
    case 'boolean':
      return `CAST(${col} AS VARCHAR)`;
    default:
      throw new DeltaError('INVALID_ARGUMENT', `partition column "${name}" has type ${type.name}, which cannot be a partition`);
  }
}

// Characters the Hive layout escapes in folder names: controls, DEL and the ones with meaning in paths or globs.
const ESCAPED = new Set('"#%\'*/:=?\\{[]^'.split(''));

/** Escapes one partition value for a folder name (`%XX`, upper-case hex), null as the Hive default. */
export function escapePartitionValue(value: string | null): string {
  if (value === null || value === '') return NULL_PARTITION_FOLDER;
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || ESCAPED.has(ch)) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** The relative folder `a=1/b=x/` for a file's partition values ('' for an unpartitioned table). */
export function partitionFolder(partitionColumns: readonly string[], values: Record<string, string | null>): string {
  return partitionColumns
    .map((c) => `${escapePartitionValue(c)}=${escapePartitionValue(values[c] ?? null)}/`)
    .join('');
}

/** URL-encodes a relative file path for `add.path` (keeps `/` and `=`, encodes `%`, spaces and non-ASCII). */
export function encodeAddPath(relativePath: string): string {
  return encodeURI(relativePath);
}

/** Decodes an `add.path` back to the relative path on storage (absolute URIs are returned unchanged). */
export function decodeAddPath(path: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(path) ? path : decodeURIComponent(path);
}

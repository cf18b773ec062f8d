/**
 * Partition values (PROTOCOL.md "Partition Value Serialization"): an add action's `partitionValues` map holds the
 * raw string of each partition column, keyed by physical column name; JSON null or the empty string is a null
 * partition. Hive-style escaping (`%3A`, `__HIVE_DEFAULT_PARTITION__`) belongs to directory names only, never here.
 */
import { DeltaError } from '../errors.ts';
import {
  type ScalarValue,
  parseDateText,
  parseDecimalText,
  parseTimestampText,
  rescaleDecimal,
  decimalIntegerDigits,
} from './scalar-values.ts';
import type { DataType, StructField } from '../snapshot/schema-types.ts';

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  byte: [-128n, 127n],
  short: [-32_768n, 32_767n],
  integer: [-2_147_483_648n, 2_147_483_647n],
  long: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};

/** The name a column has in data files and in `partitionValues`/stats: its column-mapping physical name, if any. */
export function physicalName(field: StructField): string {
  const mapped = field.metadata?.['delta.columnMapping.physicalName'];
  return typeof mapped === 'string' && mapped !== '' ? mapped : field.name;
}

function corrupt(column: string, raw: string, type: string): DeltaError {
  return new DeltaError('CORRUPT_LOG', `partition value ${JSON.stringify(raw)} of column "${column}" is not a valid ${type}`);
}

/** Parses an integer within the type's range; long gives a bigint, narrower types a number. */
function parseInteger(raw: string, typeName: string, column: string): number | bigint {
  if (!/^[+-]?\d+$/.test(raw.trim())) throw corrupt(column, raw, typeName);
  const value = BigInt(raw.trim());
  const [min, max] = INTEGER_RANGES[typeName]!;
  if (value < min || value > max) throw corrupt(column, raw, typeName);
  return typeName === 'long' ? value : Number(value);
}

function parseFloating(raw: string, typeName: string, column: string): number {
  const text = raw.trim();
  if (/^[+-]?(NaN|Infinity|Inf)$/i.test(text)) {
    if (/nan/i.test(text)) return Number.NaN;
    return text.startsWith('-') ? -Infinity : Infinity;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw corrupt(column, raw, typeName);
  return typeName === 'float' ? Math.fround(value) : value;
}

/**
 * Parses one raw partition value into the canonical ScalarValue of `type` (see scalar-values.ts).
 * `timestamp` text without a zone is read as UTC (the protocol leaves it to the writer's zone; writers we know use
 * UTC); binary text is taken as its UTF-8 bytes. Returns null for a null partition (JSON null, absent or `""`).
 * @throws DeltaError CORRUPT_LOG when the text is not a valid value of the type
 * @throws DeltaError UNSUPPORTED_FEATURE when the column type cannot be a partition column
 */
export function parsePartitionValue(raw: string | null | undefined, type: DataType, column: string): ScalarValue | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (type.kind === 'decimal') {
    const parsed = parseDecimalText(raw);
    const exact = parsed && rescaleDecimal(parsed, type.scale);
    if (!exact || decimalIntegerDigits(exact) > type.precision - type.scale) throw corrupt(column, raw, 'decimal');
    return exact;
  }
  if (type.kind !== 'primitive') {
    throw new DeltaError('UNSUPPORTED_FEATURE', `partition column "${column}" has a non-primitive type`);
  }
  switch (type.name) {
    case 'string':
      return raw;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return parseInteger(raw, type.name, column);
    case 'float':
    case 'double':
      return parseFloating(raw, type.name, column);
    case 'boolean': {
      const text = raw.trim().toLowerCase();
      if (text !== 'true' && text !== 'false') throw corrupt(column, raw, 'boolean');
      return text === 'true';
    }
    case 'date': {
      const days = parseDateText(raw);
      if (days === undefined) throw corrupt(column, raw, 'date');
      return days;
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      const parsed = parseTimestampText(raw);
      if (!parsed) throw corrupt(column, raw, type.name);
      return parsed.micros;
    }
    case 'binary':
      return new TextEncoder().encode(raw);
    case 'variant':
      throw new DeltaError('UNSUPPORTED_FEATURE', `partition column "${column}" has type variant`);
  }
}

/**
 * Typed partition values of one file, keyed by LOGICAL column name, for the table's partition columns in order.
 * A partition column missing from the map is a null partition.
 * @throws DeltaError CORRUPT_LOG for a malformed value or a partition column absent from the schema
 */
export function parsePartitionValues(
  partitionValues: Readonly<Record<string, string | null>>,
  partitionFields: readonly StructField[],
): Map<string, ScalarValue | null> {
  const typed = new Map<string, ScalarValue | null>();
  for (const field of partitionFields) {
    const raw = partitionValues[physicalName(field)];
    typed.set(field.name, parsePartitionValue(raw, field.type, field.name));
  }
  return typed;
}

/**
 * The schema fields of the partition columns, in `partitionColumns` order.
 * @throws DeltaError CORRUPT_LOG when a partition column is not a top-level schema field
 */
export function partitionFieldsOf(fields: readonly StructField[], partitionColumns: readonly string[]): StructField[] {
  return partitionColumns.map((name) => {
    const field = fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!field) throw new DeltaError('CORRUPT_LOG', `partition column "${name}" is not in the table schema`);
    return field;
  });
}

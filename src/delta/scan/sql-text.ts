/**
 * SQL text for scans of Delta tables: quoting of identifiers and string literals, the Delta-to-DuckDB type map
 * (PROTOCOL.md "Primitive Types"; timestamp is an instant → TIMESTAMPTZ, timestamp_ntz → TIMESTAMP), typed literals
 * for values that come from the log (partition values), and bound parameters for values that come from callers.
 */
import { DeltaError } from '../errors.ts';
import {
  type DecimalValue,
  type ScalarValue,
  civilFromDays,
  formatDate,
  formatDecimal,
  formatTimestampMicros,
} from '../values/scalar-values.ts';
import type { DataType } from '../snapshot/schema-types.ts';

/** `"name"` with embedded quotes doubled: safe for any column name. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'` with embedded quotes doubled. NUL cannot appear in DuckDB text and is refused. */
export function quoteString(text: string): string {
  if (text.includes('\u0000')) throw new DeltaError('INVALID_ARGUMENT', 'text with a NUL character cannot be used in SQL');
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The DuckDB type of a Delta type.
 * Variant is JSON text (scans decode it, see column-projection.ts).
 * @throws DeltaError UNSUPPORTED_FEATURE for any type without a DuckDB counterpart
 */
export function duckDbType(type: DataType): string {
  switch (type.kind) {
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${duckDbType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckDbType(type.elementType)}[]`;
    case 'map':
      return `MAP(${duckDbType(type.keyType)}, ${duckDbType(type.valueType)})`;
    case 'primitive':
      return PRIMITIVE_TYPES[type.name] ?? unsupported(type.name);
  }
}

const PRIMITIVE_TYPES: Record<string, string | undefined> = {
  string: 'VARCHAR', long: 'BIGINT', integer: 'INTEGER', short: 'SMALLINT', byte: 'TINYINT', float: 'FLOAT',
  double: 'DOUBLE', boolean: 'BOOLEAN', binary: 'BLOB', date: 'DATE', timestamp: 'TIMESTAMPTZ',
  timestamp_ntz: 'TIMESTAMP', variant: 'JSON',
};

function unsupported(name: string): never {
  throw new DeltaError('UNSUPPORTED_FEATURE', `columns of type ${name} cannot be scanned yet`);
}

function inTextRange(days: number): boolean {
  const { year } = civilFromDays(days);
  return year >= 1 && year <= 9999;
}

function temporalLiteral(typeName: string, value: number | bigint): string {
  if (typeName === 'date') {
    const days = Number(value);
    return inTextRange(days) ? `DATE '${formatDate(days)}'` : `CAST(DATE '1970-01-01' + ${days} AS DATE)`;
  }
  const micros = BigInt(value);
  const whole = micros / 86_400_000_000n;
  const days = Number(micros < 0n && micros % 86_400_000_000n !== 0n ? whole - 1n : whole); // floor, not truncation
  if (inTextRange(days)) {
    const text = formatTimestampMicros(micros);
    return typeName === 'timestamp' ? `TIMESTAMPTZ '${text}+00'` : `TIMESTAMP '${text}'`;
  }
  return typeName === 'timestamp'
    ? `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds(${micros}))`
    : `make_timestamp(${micros})`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function floatLiteral(value: number, sqlType: string): string {
  const text = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  return `CAST('${text}' AS ${sqlType})`;
}

/** A typed SQL literal for a log-derived value (partition values); null gives a typed NULL. */
export function scalarLiteral(type: DataType, value: ScalarValue | null): string {
  const sqlType = duckDbType(type);
  if (value === null) return `CAST(NULL AS ${sqlType})`;
  if (type.kind === 'decimal') return `CAST('${formatDecimal(value as DecimalValue)}' AS ${sqlType})`;
  if (type.kind !== 'primitive') unsupported(type.kind);
  switch (type.name) {
    case 'string':
      return quoteString(value as string);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'float':
    case 'double':
      return floatLiteral(value as number, sqlType);
    case 'date':
    case 'timestamp':
    case 'timestamp_ntz':
      return temporalLiteral(type.name, value as number | bigint);
    case 'binary':
      return `from_hex('${hex(value as Uint8Array)}')`;
    default:
      return `CAST(${String(value)} AS ${sqlType})`;
  }
}

/**
 * A caller value as a bound parameter: the JS value to bind and the SQL expression around its placeholder.
 * Values never enter the SQL text.
 */
export function scalarParam(type: DataType, value: ScalarValue): { value: unknown; sql: (placeholder: string) => string } {
  if (type.kind === 'decimal') {
    const d = value as DecimalValue;
    const scale = Math.max(type.scale, d.scale);
    return { value: formatDecimal(d), sql: (p) => `CAST(${p} AS DECIMAL(38,${Math.min(scale, 38)}))` };
  }
  if (type.kind !== 'primitive') unsupported(type.kind);
  switch (type.name) {
    case 'string':
      return { value, sql: (p) => `CAST(${p} AS VARCHAR)` };
    case 'boolean':
      return { value, sql: (p) => `CAST(${p} AS BOOLEAN)` };
    case 'float':
    case 'double':
      return { value: Number.isFinite(value) ? value : String(value), sql: (p) => `CAST(${p} AS DOUBLE)` };
    case 'date':
      return inTextRange(value as number)
        ? { value: formatDate(value as number), sql: (p) => `CAST(${p} AS DATE)` }
        : { value, sql: (p) => `CAST(DATE '1970-01-01' + CAST(${p} AS INTEGER) AS DATE)` };
    case 'timestamp':
      return { value, sql: (p) => `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds(CAST(${p} AS BIGINT)))` };
    case 'timestamp_ntz':
      return { value, sql: (p) => `make_timestamp(CAST(${p} AS BIGINT))` };
    case 'binary':
      return { value: hex(value as Uint8Array), sql: (p) => `from_hex(${p})` };
    default:
      return { value: BigInt(value as number | bigint), sql: (p) => `CAST(${p} AS BIGINT)` };
  }
}

/**
 * Schema enforcement on write (PROTOCOL.md "Schema Serialization Format", column nullability): every row of a
 * JS-object batch is checked against the table schema before any file is written. A row with a missing
 * non-nullable value, a value of the wrong type, or a column the schema does not have rejects the whole batch.
 */
import { DeltaError } from '../../errors.ts';
import type { DataType, StructType } from '../../snapshot/schema-types.ts';

/** A row of a write batch: column name to value (see `checkValue` for the accepted JS types per Delta type). */
export type Row = Record<string, unknown>;

const INT_RANGES: Record<string, [bigint, bigint]> = {
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  byte: [-128n, 127n],
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

function checkInteger(v: unknown, name: string): string | undefined {
  const [lo, hi] = INT_RANGES[name]!;
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else return `expected ${name} (an integer), got ${describe(v)}`;
  return b < lo || b > hi ? `value ${b} is out of range for ${name}` : undefined;
}

function checkPrimitive(v: unknown, name: string): string | undefined {
  switch (name) {
    case 'string':
      return typeof v === 'string' ? undefined : `expected string, got ${describe(v)}`;
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return checkInteger(v, name);
    case 'float':
    case 'double':
      return typeof v === 'number' ? undefined : `expected ${name}, got ${describe(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected boolean, got ${describe(v)}`;
    case 'binary':
      return v instanceof Uint8Array ? undefined : `expected binary (Uint8Array), got ${describe(v)}`;
    case 'date':
      if (v instanceof Date && !Number.isNaN(v.getTime())) return undefined;
      return typeof v === 'string' && DATE_RE.test(v) ? undefined : `expected date (YYYY-MM-DD or Date), got ${describe(v)}`;
    case 'timestamp':
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid Date' : undefined;
      if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return undefined;
      return `expected timestamp (Date or ISO-8601 string), got ${describe(v)}`;
    default:
      return `the writer does not support the ${name} type`;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'Date';
  const s = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(v);
  return `${typeof v} ${s}`;
}

/** Checks one value; returns a message naming the nested path at fault, or undefined when it fits. */
export function checkValue(v: unknown, type: DataType, nullable: boolean, path: string): string | undefined {
  if (v === null || v === undefined) return nullable ? undefined : `${path}: null in a non-nullable column`;
  const at = (msg: string | undefined) => (msg === undefined ? undefined : `${path}: ${msg}`);
  switch (type.kind) {
    case 'primitive':
      return at(checkPrimitive(v, type.name));
    case 'decimal': {
      const ok = (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v));
      return ok ? undefined : at(`expected decimal(${type.precision},${type.scale}), got ${describe(v)}`);
    }
    case 'struct':
      if (!isPlainObject(v)) return at(`expected struct, got ${describe(v)}`);
      return checkStruct(v, type, path);
    case 'array':
      if (!Array.isArray(v)) return at(`expected array, got ${describe(v)}`);
      for (let i = 0; i < v.length; i++) {
        const m = checkValue(v[i], type.elementType, type.containsNull, `${path}[${i}]`);
        if (m) return m;
      }
      return undefined;
    case 'map': {
      const entries = v instanceof Map ? [...v.entries()] : isPlainObject(v) ? Object.entries(v) : undefined;
      if (!entries) return at(`expected map (Map or object), got ${describe(v)}`);
      for (const [k, val] of entries) {
        const m = checkValue(val, type.valueType, type.valueContainsNull, `${path}[${JSON.stringify(k)}]`);
        if (m) return m;
      }
      return undefined;
    }
  }
}

function checkStruct(row: Record<string, unknown>, schema: StructType, prefix: string): string | undefined {
  const names = new Set(schema.fields.map((f) => f.name));
  for (const key of Object.keys(row)) {
    if (!names.has(key) && row[key] !== undefined) return `${prefix ? `${prefix}.` : ''}${key}: column is not in the table schema`;
  }
  for (const f of schema.fields) {
    const m = checkValue(row[f.name], f.type, f.nullable, prefix ? `${prefix}.${f.name}` : f.name);
    if (m) return m;
  }
  return undefined;
}

type Check = (v: unknown) => boolean;

const isValidDate = (v: unknown) => v instanceof Date && !Number.isNaN(v.getTime());

/** A predicate that accepts exactly what checkValue accepts for a flat type; undefined for nested types. */
function fastCheck(type: DataType, nullable: boolean): Check | undefined {
  const fits = flatCheck(type);
  return fits && ((v) => (v === null || v === undefined ? nullable : fits(v)));
}

function flatCheck(type: DataType): Check | undefined {
  if (type.kind === 'decimal') return (v) => checkValue(v, type, true, '') === undefined;
  if (type.kind !== 'primitive') return undefined;
  switch (type.name) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte': {
      const [lo, hi] = INT_RANGES[type.name]!;
      const [nlo, nhi] = [Number(lo), Number(hi)];
      return (v) => (typeof v === 'number' ? Number.isSafeInteger(v) && v >= nlo && v <= nhi : typeof v === 'bigint' && v >= lo && v <= hi);
    }
    case 'float':
    case 'double':
      return (v) => typeof v === 'number';
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'binary':
      return (v) => v instanceof Uint8Array;
    case 'date':
      return (v) => isValidDate(v) || (typeof v === 'string' && DATE_RE.test(v));
    case 'timestamp':
      return (v) => isValidDate(v) || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
    default:
      return undefined;
  }
}

/**
 * A row check compiled once per batch: flat columns get a type-specialised predicate, nested ones the general
 * checkValue. It only answers yes or no; the message for a misfit comes from checkStruct.
 */
function compileRowCheck(schema: StructType): (row: Row) => boolean {
  const names = new Set(schema.fields.map((f) => f.name));
  const checks = schema.fields.map((f) => {
    const fast = fastCheck(f.type, f.nullable);
    return { name: f.name, ok: fast ?? ((v: unknown) => checkValue(v, f.type, f.nullable, f.name) === undefined) };
  });
  return (row) => {
    if (!isPlainObject(row)) return false;
    for (const key in row) if (!names.has(key) && row[key] !== undefined) return false;
    for (const c of checks) if (!c.ok(row[c.name])) return false;
    return true;
  };
}

/**
 * Validates every row against the schema, stopping at the first misfit.
 * @throws DeltaError SCHEMA_MISMATCH "row <i>, column <path>: <reason>"
 */
export function validateRows(rows: readonly Row[], schema: StructType): void {
  const fits = compileRowCheck(schema);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (fits(row as Row)) continue;
    const m = isPlainObject(row) ? checkStruct(row, schema, '') : `row is ${describe(row)}, not an object`;
    if (m) throw new DeltaError('SCHEMA_MISMATCH', `row ${i}, column ${m}`);
  }
}

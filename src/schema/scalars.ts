/**
 * Custom scalars. 64-bit integers and decimals travel as strings so no digit is lost (JSON numbers are doubles);
 * dates and timestamps as ISO-8601 text in UTC; JSON carries maps, variants and free-form commit metadata.
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { badInput } from '../resolvers/errors.ts';

function literalText(ast: ValueNode): string {
  if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
  throw badInput(`expected a string or number literal, got ${ast.kind}`);
}

const LONG_PATTERN = /^-?\d{1,19}$/;

function parseLong(value: unknown): bigint {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !LONG_PATTERN.test(text)) throw badInput(`Long must be an integer, got ${JSON.stringify(value)}`);
  const n = BigInt(text);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw badInput(`Long out of range: ${text}`);
  return n;
}

export const LongScalar = new GraphQLScalarType<bigint, string>({
  name: 'Long',
  description: 'A 64-bit integer, serialized as a decimal string so that no digit is lost.',
  serialize: (v) => String(v),
  parseValue: parseLong,
  parseLiteral: (ast) => parseLong(literalText(ast)),
});

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL_PATTERN.test(text)) throw badInput(`Decimal must be a number, got ${JSON.stringify(value)}`);
  return text;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, serialized as a string (e.g. "12.50").',
  serialize: (v) => String(v),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(literalText(ast)),
});

function parseDateTime(value: unknown): Date {
  const d = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw badInput(`DateTime must be ISO-8601 text or epoch milliseconds, got ${JSON.stringify(value)}`);
  return d;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, as ISO-8601 text in UTC (e.g. "2024-05-01T12:00:00.000Z"); input also accepts epoch milliseconds.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : typeof v === 'number' ? new Date(v).toISOString() : String(v)),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.INT ? Number(ast.value) : literalText(ast)),
});

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value) || Number.isNaN(Date.parse(value))) {
    throw badInput(`Date must be YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(literalText(ast)),
});

function jsonLiteral(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(jsonLiteral);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, jsonLiteral(f.value)]));
    default:
      throw badInput('variables are not allowed inside JSON literals');
  }
}

export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: jsonLiteral,
});

import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../src/delta/snapshot/schema.ts';
import { codeOf } from '../support/error-codes.ts';

const schema = (fields: unknown[]) => JSON.stringify({ type: 'struct', fields });
const field = (name: string, type: unknown, extra: object = {}) => ({ name, type, nullable: true, metadata: {}, ...extra });

// PROTOCOL.md "Schema Serialization Format".
describe('parseSchema', () => {
  it('parses primitives, decimals with or without spaces, and nullability/metadata', () => {
    const s = parseSchema(schema([
      field('a', 'long', { nullable: false }),
      field('b', 'decimal(10,2)'),
      field('c', 'decimal(38, 0)'),
      field('d', 'timestamp_ntz', { metadata: { 'delta.columnMapping.id': 4, comment: 'x' } }),
    ]));
    expect(s.fields.map((f) => f.type)).toEqual([
      { kind: 'primitive', name: 'long' },
      { kind: 'decimal', precision: 10, scale: 2 },
      { kind: 'decimal', precision: 38, scale: 0 },
      { kind: 'primitive', name: 'timestamp_ntz' },
    ]);
    expect(s.fields[0]!.nullable).toBe(false);
    expect(s.fields[3]!.metadata).toEqual({ 'delta.columnMapping.id': 4, comment: 'x' });
  });

  it('parses nested struct, array and map types', () => {
    const s = parseSchema(schema([
      field('s', { type: 'struct', fields: [field('x', 'integer')] }),
      field('arr', { type: 'array', elementType: { type: 'array', elementType: 'string', containsNull: false }, containsNull: true }),
      field('m', { type: 'map', keyType: 'string', valueType: { type: 'struct', fields: [field('y', 'double')] }, valueContainsNull: false }),
    ]));
    expect(s.fields[0]!.type).toEqual({ kind: 'struct', fields: [{ name: 'x', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} }] });
    expect(s.fields[1]!.type).toEqual({ kind: 'array', containsNull: true, elementType: { kind: 'array', containsNull: false, elementType: { kind: 'primitive', name: 'string' } } });
    expect(s.fields[2]!.type).toMatchObject({ kind: 'map', keyType: { kind: 'primitive', name: 'string' }, valueContainsNull: false, valueType: { kind: 'struct' } });
  });

  it('refuses unknown types and malformed schemas with stable codes', () => {
    expect(codeOf(() => parseSchema(schema([field('v', 'void')])))).toBe('UNSUPPORTED_FEATURE');
    expect(codeOf(() => parseSchema(schema([field('g', 'geometry(OGC:CRS84)')])))).toBe('UNSUPPORTED_FEATURE');
    expect(codeOf(() => parseSchema('{not json'))).toBe('CORRUPT_LOG');
    expect(codeOf(() => parseSchema('"long"'))).toBe('CORRUPT_LOG');
    expect(codeOf(() => parseSchema(schema([{ type: 'long' }])))).toBe('CORRUPT_LOG');
    expect(codeOf(() => parseSchema(schema([field('d', 'decimal(2,5)')])))).toBe('CORRUPT_LOG');
    expect(codeOf(() => parseSchema(schema([field('a', 'long'), field('a', 'long')])))).toBe('CORRUPT_LOG');
  });
});

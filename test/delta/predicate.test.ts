import { describe, expect, it } from 'vitest';
import { bindPredicate, resolveColumn, type Predicate } from '../../src/delta/scan/predicate.ts';
import type { DataType, StructType } from '../../src/delta/snapshot/schema-types.ts';
import { codeOf } from '../support/error-codes.ts';

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType);
const field = (name: string, type: DataType, metadata: Record<string, unknown> = {}) => ({ name, type, nullable: true, metadata });
const schema: StructType = {
  kind: 'struct',
  fields: [
    field('id', p('long')),
    field('small', p('byte')),
    field('name', p('string')),
    field('price', { kind: 'decimal', precision: 10, scale: 2 }),
    field('day', p('date')),
    field('at', p('timestamp')),
    field('wall', p('timestamp_ntz')),
    field('ok', p('boolean')),
    field('score', p('double')),
    field('raw', p('binary')),
    field('nested', { kind: 'struct', fields: [field('x', p('integer'), { 'delta.columnMapping.physicalName': 'col-x' })] }),
    field('tags', { kind: 'array', elementType: p('string'), containsNull: true }),
  ],
};
const bind = (pred: Predicate) => bindPredicate(schema, pred);

describe('bindPredicate', () => {
  it('refuses unknown columns, ops and malformed trees with INVALID_ARGUMENT', () => {
    expect(codeOf(() => bind({ op: 'eq', column: 'nope', value: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: ['nested', 'y'], value: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: ['id', 'y'], value: 1 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'like', column: 'name', value: 'a' } as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ and: 'x' } as never))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({} as never))).toBe('INVALID_ARGUMENT');
  });

  it('is case-sensitive on names like the schema', () => {
    expect(codeOf(() => bind({ op: 'eq', column: 'ID', value: 1 }))).toBe('INVALID_ARGUMENT');
  });

  it('coerces values to the column type and refuses those that do not fit', () => {
    expect(bind({ op: 'eq', column: 'id', value: '9223372036854775807' })).toMatchObject({ value: 9223372036854775807n });
    expect(bind({ op: 'eq', column: 'id', value: 5 })).toMatchObject({ value: 5n });
    expect(codeOf(() => bind({ op: 'eq', column: 'id', value: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: 'id', value: '9223372036854775808' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: 'small', value: 200 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: 'name', value: 5 }))).toBe('INVALID_ARGUMENT');
    expect(bind({ op: 'gt', column: 'price', value: '12.345' })).toMatchObject({ value: { unscaled: 12345n, scale: 3 } });
    expect(codeOf(() => bind({ op: 'gt', column: 'price', value: '123456789.1' }))).toBe('INVALID_ARGUMENT');
    expect(bind({ op: 'eq', column: 'day', value: '1970-01-02' })).toMatchObject({ value: 1 });
    expect(codeOf(() => bind({ op: 'eq', column: 'day', value: '1970-13-02' }))).toBe('INVALID_ARGUMENT');
    expect(bind({ op: 'eq', column: 'at', value: '1970-01-01T00:00:01Z' })).toMatchObject({ value: 1_000_000n });
    expect(bind({ op: 'eq', column: 'at', value: new Date(1) })).toMatchObject({ value: 1000n });
    expect(codeOf(() => bind({ op: 'eq', column: 'wall', value: '1970-01-01T00:00:01+02:00' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: 'ok', value: 'true' }))).toBe('INVALID_ARGUMENT');
    expect(bind({ op: 'eq', column: 'score', value: 'NaN' })).toMatchObject({ value: NaN });
    expect(codeOf(() => bind({ op: 'eq', column: 'raw', value: 'ab' }))).toBe('INVALID_ARGUMENT');
  });

  it('refuses null values (use isNull) and comparisons on nested types', () => {
    expect(codeOf(() => bind({ op: 'eq', column: 'id', value: null }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'in', column: 'id', values: [1, null] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'eq', column: 'tags', value: 'a' }))).toBe('INVALID_ARGUMENT');
    expect(bind({ op: 'isNull', column: 'tags' })).toMatchObject({ kind: 'isNull' });
  });

  it('binds contains / startsWith on string columns only', () => {
    expect(bind({ op: 'contains', column: 'name', value: 'a%_' })).toMatchObject({ kind: 'match', op: 'contains', value: 'a%_' });
    expect(codeOf(() => bind({ op: 'startsWith', column: 'id', value: '1' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => bind({ op: 'startsWith', column: 'name', value: 1 } as never))).toBe('INVALID_ARGUMENT');
  });

  it('resolves nested struct fields to their physical path', () => {
    expect(resolveColumn(schema, ['nested', 'x'])).toMatchObject({ path: ['nested', 'x'], physicalPath: ['nested', 'col-x'] });
  });

  it('binds and/or/not trees', () => {
    const bound = bind({ not: { or: [{ op: 'in', column: 'id', values: [1, 2] }, { and: [] }] } });
    expect(bound).toMatchObject({ kind: 'not', child: { kind: 'or', children: [{ kind: 'in', values: [1n, 2n] }, { kind: 'and' }] } });
  });
});

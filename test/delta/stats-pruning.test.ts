import { describe, expect, it } from 'vitest';
import type { FileStats } from '../../src/delta/log/actions.ts';
import { bindPredicate, type Predicate } from '../../src/delta/scan/predicate.ts';
import type { ScalarValue } from '../../src/delta/values/scalar-values.ts';
import type { DataType, StructType } from '../../src/delta/snapshot/schema-types.ts';
import { canSkipFile, toNegationNormalForm } from '../../src/delta/scan/stats-pruning.ts';

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType);
const field = (name: string, type: DataType) => ({ name, type, nullable: true, metadata: {} });
const schema: StructType = {
  kind: 'struct',
  fields: [
    field('n', p('long')),
    field('s', p('string')),
    field('d', p('double')),
    field('f', p('float')),
    field('ts', p('timestamp')),
    field('ntz', p('timestamp_ntz')),
    field('day', p('date')),
    field('amount', { kind: 'decimal', precision: 20, scale: 2 }),
    field('st', { kind: 'struct', fields: [field('inner', p('integer'))] }),
    field('part', p('string')),
    field('pn', p('integer')),
  ],
};

function skips(pred: Predicate, stats: FileStats | undefined, parts: Record<string, ScalarValue | null> = {}): boolean {
  const bound = toNegationNormalForm(bindPredicate(schema, pred));
  return canSkipFile(bound, { stats, partitionValues: new Map(Object.entries(parts)) });
}

const n = (min: unknown, max: unknown, nulls = 0, numRecords = 10): FileStats => ({
  numRecords,
  minValues: { n: min },
  maxValues: { n: max },
  nullCount: { n: nulls },
});

describe('stats pruning on min/max (PROTOCOL.md "Per-file Statistics")', () => {
  it('eq / ne', () => {
    expect(skips({ op: 'eq', column: 'n', value: 5 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'eq', column: 'n', value: 10 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'eq', column: 'n', value: 6 }, n(6, 9))).toBe(false);
    expect(skips({ op: 'eq', column: 'n', value: 9 }, n(6, 9))).toBe(false);
    expect(skips({ op: 'ne', column: 'n', value: 7 }, n(7, 7))).toBe(true);
    expect(skips({ op: 'ne', column: 'n', value: 7 }, n(7, 7, 3))).toBe(true); // nulls never match ne
    expect(skips({ op: 'ne', column: 'n', value: 7 }, n(7, 8))).toBe(false);
  });

  it('lt / lte / gt / gte at and around the bounds', () => {
    expect(skips({ op: 'lt', column: 'n', value: 6 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'lt', column: 'n', value: 7 }, n(6, 9))).toBe(false);
    expect(skips({ op: 'lte', column: 'n', value: 5 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'lte', column: 'n', value: 6 }, n(6, 9))).toBe(false);
    expect(skips({ op: 'gt', column: 'n', value: 9 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'gt', column: 'n', value: 8 }, n(6, 9))).toBe(false);
    expect(skips({ op: 'gte', column: 'n', value: 10 }, n(6, 9))).toBe(true);
    expect(skips({ op: 'gte', column: 'n', value: 9 }, n(6, 9))).toBe(false);
  });

  it('in skips only when every value is out of range', () => {
    expect(skips({ op: 'in', column: 'n', values: [1, 20] }, n(6, 9))).toBe(true);
    expect(skips({ op: 'in', column: 'n', values: [1, 7] }, n(6, 9))).toBe(false);
    expect(skips({ op: 'in', column: 'n', values: [] }, n(6, 9))).toBe(true);
  });

  it('keeps files without stats, without the column, or with unsafe numbers', () => {
    expect(skips({ op: 'eq', column: 'n', value: 5 }, undefined)).toBe(false);
    expect(skips({ op: 'eq', column: 'n', value: 5 }, { numRecords: 3 })).toBe(false);
    expect(skips({ op: 'eq', column: 'n', value: 5 }, { numRecords: 3, minValues: { n: 6 } })).toBe(true);
    expect(skips({ op: 'lt', column: 'n', value: 5 }, n(2 ** 60, 2 ** 61))).toBe(false);
    expect(skips({ op: 'isNull', column: 'n' }, { numRecords: 3 })).toBe(false);
  });

  it('a file with zero records matches nothing', () => {
    expect(skips({ op: 'isNull', column: 'n' }, { numRecords: 0 })).toBe(true);
  });
});

describe('null counts', () => {
  it('isNull skips when nullCount is 0; isNotNull when all rows are null', () => {
    expect(skips({ op: 'isNull', column: 'n' }, n(1, 2, 0))).toBe(true);
    expect(skips({ op: 'isNull', column: 'n' }, n(1, 2, 1))).toBe(false);
    expect(skips({ op: 'isNotNull', column: 'n' }, n(null, null, 10))).toBe(true);
    expect(skips({ op: 'isNotNull', column: 'n' }, n(null, null, 9))).toBe(false);
  });

  it('all-null files match no comparison at all', () => {
    for (const op of ['eq', 'ne', 'lt', 'gt'] as const) expect(skips({ op, column: 'n', value: 1 }, n(null, null, 10))).toBe(true);
  });

  it('a nested field is not proven non-null by its own nullCount (its parent may be null)', () => {
    const stats = { numRecords: 4, nullCount: { st: { inner: 0 } }, minValues: { st: { inner: 5 } }, maxValues: { st: { inner: 8 } } };
    expect(skips({ op: 'isNull', column: ['st', 'inner'] }, stats)).toBe(false);
    expect(skips({ op: 'gt', column: ['st', 'inner'], value: 8 }, stats)).toBe(true); // nested bounds are keyed by nested objects
    expect(skips({ op: 'gt', column: ['st', 'inner'], value: 7 }, stats)).toBe(false);
  });

  it('wide bounds (tightBounds=false) still prune by min/max and the two exact nullCount cases', () => {
    expect(skips({ op: 'gt', column: 'n', value: 9 }, { ...n(6, 9), tightBounds: false })).toBe(true);
    expect(skips({ op: 'isNull', column: 'n' }, { ...n(6, 9, 0), tightBounds: false })).toBe(true);
  });
});

describe('truncated and inexact statistics', () => {
  const s = (min: string, max: string): FileStats => ({ numRecords: 5, minValues: { s: min }, maxValues: { s: max }, nullCount: { s: 0 } });

  it('string max may be a prefix of the real max', () => {
    expect(skips({ op: 'gt', column: 's', value: 'abc' }, s('a', 'abc'))).toBe(false); // 'abcd' may exist
    expect(skips({ op: 'eq', column: 's', value: 'abcz' }, s('a', 'abc'))).toBe(false);
    expect(skips({ op: 'eq', column: 's', value: 'abd' }, s('a', 'abc'))).toBe(true);
    expect(skips({ op: 'gte', column: 's', value: 'b' }, s('a', 'abc'))).toBe(true);
    expect(skips({ op: 'lt', column: 's', value: 'a' }, s('a', 'abc'))).toBe(true); // truncated min is still a lower bound
    expect(skips({ op: 'ne', column: 's', value: 'abc' }, s('abc', 'abc'))).toBe(false);
  });

  it('compares strings by code point (UTF-8 order), not UTF-16 units', () => {
    // U+FF61 sorts below U+1F600 in UTF-8 but above its surrogates in UTF-16.
    expect(skips({ op: 'gt', column: 's', value: '\u{1F600}' }, s('\uFF61', '\uFF61'))).toBe(true);
    expect(skips({ op: 'lt', column: 's', value: '\uFF61' }, s('\u{1F600}', '\u{1F600}'))).toBe(true);
  });

  it('timestamp max is truncated to milliseconds: the real max may be up to 999µs later', () => {
    const stats: FileStats = { numRecords: 2, minValues: { ts: '2021-01-01T00:00:00.000Z' }, maxValues: { ts: '2021-01-01T00:00:01.000Z' }, nullCount: { ts: 0 } };
    expect(skips({ op: 'gt', column: 'ts', value: '2021-01-01T00:00:01.000500Z' }, stats)).toBe(false);
    expect(skips({ op: 'gt', column: 'ts', value: '2021-01-01T00:00:01.000999Z' }, stats)).toBe(true);
    expect(skips({ op: 'eq', column: 'ts', value: '2021-01-01T00:00:01.000999Z' }, stats)).toBe(false);
    expect(skips({ op: 'lt', column: 'ts', value: '2021-01-01T00:00:00Z' }, stats)).toBe(true);
    expect(skips({ op: 'lt', column: 'ts', value: '2020-12-31T16:00:00.001-08:00' }, stats)).toBe(false);
    expect(skips({ op: 'ne', column: 'ts', value: '2021-01-01T00:00:00Z' }, { ...stats, maxValues: { ts: '2021-01-01T00:00:00.000Z' } })).toBe(false);
  });

  it('timestamp_ntz stats have no zone', () => {
    const stats: FileStats = { numRecords: 2, minValues: { ntz: '2021-01-01T00:00:00.000' }, maxValues: { ntz: '2021-01-02T00:00:00.000' }, nullCount: { ntz: 0 } };
    expect(skips({ op: 'gt', column: 'ntz', value: '2021-01-02 00:00:01' }, stats)).toBe(true);
    expect(skips({ op: 'lt', column: 'ntz', value: '2021-01-01 00:00:00' }, stats)).toBe(true);
  });

  it('dates and decimals', () => {
    const stats: FileStats = { numRecords: 2, minValues: { day: '2021-01-05', amount: 10.5 }, maxValues: { day: '2021-01-09', amount: 99.99 }, nullCount: {} };
    expect(skips({ op: 'lt', column: 'day', value: '2021-01-05' }, stats)).toBe(true);
    expect(skips({ op: 'gt', column: 'day', value: '2021-01-08' }, stats)).toBe(false);
    expect(skips({ op: 'gt', column: 'amount', value: '99.99' }, stats)).toBe(true);
    expect(skips({ op: 'gt', column: 'amount', value: '99.985' }, stats)).toBe(false);
    expect(skips({ op: 'lt', column: 'amount', value: 10.5 }, stats)).toBe(true);
    expect(skips({ op: 'lt', column: 'amount', value: 10.51 }, stats)).toBe(false);
    // more digits than a double holds exactly: unknown, keep
    expect(skips({ op: 'lt', column: 'amount', value: 1 }, { ...stats, minValues: { amount: 123456789012345.67 } })).toBe(false);
  });

  it('doubles: NaN is not in min/max, and the engine orders it above every number', () => {
    const stats: FileStats = { numRecords: 2, minValues: { d: 1.5 }, maxValues: { d: 2.5 }, nullCount: { d: 0 } };
    expect(skips({ op: 'gt', column: 'd', value: 3 }, stats)).toBe(false);
    expect(skips({ op: 'lt', column: 'd', value: 1.5 }, stats)).toBe(true);
    expect(skips({ op: 'eq', column: 'd', value: 'NaN' }, stats)).toBe(false);
    expect(skips({ op: 'lt', column: 'd', value: 1 }, { ...stats, minValues: { d: 'NaN' } })).toBe(false);
  });

  it('floats: decimal text of a float32 bound is not its stored value, so no pruning', () => {
    const stats: FileStats = { numRecords: 2, minValues: { f: 0.7 }, maxValues: { f: 0.9 }, nullCount: { f: 0 } };
    expect(skips({ op: 'lt', column: 'f', value: 0.7 }, stats)).toBe(false);
  });
});

describe('string matches', () => {
  const s = (min: string, max: string): FileStats => ({ numRecords: 5, minValues: { s: min }, maxValues: { s: max }, nullCount: { s: 0 } });
  it('startsWith prunes on both bounds, keeping prefix-truncated maxima', () => {
    expect(skips({ op: 'startsWith', column: 's', value: 'b' }, s('c', 'd'))).toBe(true);
    expect(skips({ op: 'startsWith', column: 's', value: 'b' }, s('ba', 'd'))).toBe(false);
    expect(skips({ op: 'startsWith', column: 's', value: 'b' }, s('b', 'd'))).toBe(false);
    expect(skips({ op: 'startsWith', column: 's', value: 'e' }, s('a', 'd'))).toBe(true);
    expect(skips({ op: 'startsWith', column: 's', value: 'de' }, s('a', 'd'))).toBe(false); // max 'd' may be truncated
    expect(skips({ op: 'startsWith', column: 's', value: 'abc' }, s('ab', 'zz'))).toBe(false);
  });
  it('contains prunes only all-null files and partitions; NOT of a match only on partitions', () => {
    expect(skips({ op: 'contains', column: 's', value: 'x' }, s('a', 'b'))).toBe(false);
    expect(skips({ op: 'contains', column: 's', value: 'x' }, { numRecords: 2, nullCount: { s: 2 } })).toBe(true);
    expect(skips({ op: 'contains', column: 'part', value: 'x' }, undefined, { part: 'abc' })).toBe(true);
    expect(skips({ op: 'contains', column: 'part', value: 'b' }, undefined, { part: 'abc' })).toBe(false);
    expect(skips({ not: { op: 'startsWith', column: 'part', value: 'a' } }, undefined, { part: 'abc' })).toBe(true);
    expect(skips({ not: { op: 'startsWith', column: 'part', value: 'a' } }, undefined, { part: null })).toBe(true);
    expect(skips({ not: { op: 'startsWith', column: 'part', value: 'x' } }, undefined, { part: 'abc' })).toBe(false);
    expect(skips({ not: { op: 'startsWith', column: 's', value: 'a' } }, s('a', 'a'))).toBe(false);
  });
});

describe('partition values are exact', () => {
  it('prunes on typed partition values, null partitions and isNull', () => {
    expect(skips({ op: 'eq', column: 'part', value: 'a' }, undefined, { part: 'b' })).toBe(true);
    expect(skips({ op: 'eq', column: 'part', value: 'b' }, undefined, { part: 'b' })).toBe(false);
    expect(skips({ op: 'ne', column: 'part', value: 'b' }, undefined, { part: null })).toBe(true);
    expect(skips({ op: 'isNull', column: 'part' }, undefined, { part: null })).toBe(false);
    expect(skips({ op: 'isNull', column: 'part' }, undefined, { part: 'x' })).toBe(true);
    expect(skips({ op: 'isNotNull', column: 'part' }, undefined, { part: null })).toBe(true);
    expect(skips({ op: 'gt', column: 'pn', value: 9 }, undefined, { pn: 10 })).toBe(false);
    expect(skips({ op: 'gt', column: 'pn', value: 10 }, undefined, { pn: 10 })).toBe(true);
    expect(skips({ op: 'in', column: 'pn', values: [1, 2] }, undefined, { pn: 3 })).toBe(true);
  });
});

describe('and / or / not', () => {
  const stats = n(6, 9);
  it('and skips when any side skips; or only when every side does', () => {
    expect(skips({ and: [{ op: 'gt', column: 'n', value: 100 }, { op: 'eq', column: 'n', value: 7 }] }, stats)).toBe(true);
    expect(skips({ or: [{ op: 'gt', column: 'n', value: 100 }, { op: 'eq', column: 'n', value: 7 }] }, stats)).toBe(false);
    expect(skips({ or: [{ op: 'gt', column: 'n', value: 100 }, { op: 'lt', column: 'n', value: 0 }] }, stats)).toBe(true);
    expect(skips({ or: [] }, stats)).toBe(true);
    expect(skips({ and: [] }, stats)).toBe(false);
  });

  it('not is pushed to the leaves with SQL semantics', () => {
    expect(skips({ not: { op: 'lt', column: 'n', value: 100 } }, stats)).toBe(true); // n >= 100
    expect(skips({ not: { op: 'gte', column: 'n', value: 6 } }, stats)).toBe(true); // n < 6
    expect(skips({ not: { op: 'eq', column: 'n', value: 7 } }, n(7, 7, 4))).toBe(true); // ne on constant 7 + nulls
    expect(skips({ not: { op: 'ne', column: 'n', value: 5 } }, stats)).toBe(true); // n = 5
    expect(skips({ not: { op: 'isNull', column: 'n' } }, n(null, null, 10))).toBe(true);
    expect(skips({ not: { op: 'in', column: 'n', values: [7] } }, n(7, 7))).toBe(true);
    expect(skips({ not: { and: [{ op: 'gte', column: 'n', value: 6 }, { op: 'lte', column: 'n', value: 9 }] } }, stats)).toBe(true);
    expect(skips({ not: { not: { op: 'eq', column: 'n', value: 5 } } }, stats)).toBe(true);
    expect(skips({ not: { or: [] } }, stats)).toBe(false);
  });
});

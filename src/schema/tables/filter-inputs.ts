/**
 * Per-scalar filter inputs for typed `where` arguments: comparison operators fitting the type, `in`, `isNull`,
 * and `contains` / `startsWith` for strings. One set per builder, shared by every table.
 */
import type { Builder } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';

export type FilterScalar = 'String' | 'Int' | 'Float' | 'Boolean' | 'Long' | 'Decimal' | 'Date' | 'DateTime';

const ORDERED: readonly FilterScalar[] = ['String', 'Int', 'Float', 'Long', 'Decimal', 'Date', 'DateTime'];

function makeFilterInputs(builder: Builder) {
  const make = (scalar: FilterScalar) =>
    builder.inputType(`${scalar}Filter`, {
      description: `Conditions on a ${scalar} column; all given conditions must hold.`,
      fields: (t) => ({
        eq: t.field({ type: scalar }),
        ne: t.field({ type: scalar }),
        in: t.field({ type: [scalar] }),
        ...(ORDERED.includes(scalar)
          ? { lt: t.field({ type: scalar }), lte: t.field({ type: scalar }), gt: t.field({ type: scalar }), gte: t.field({ type: scalar }) }
          : {}),
        isNull: t.boolean({ description: 'true: only nulls; false: only non-nulls.' }),
        ...(scalar === 'String'
          ? { contains: t.string({ description: 'Substring match, case-sensitive.' }), startsWith: t.string() }
          : {}),
      }),
    });
  return {
    String: make('String'),
    Int: make('Int'),
    Float: make('Float'),
    Boolean: make('Boolean'),
    Long: make('Long'),
    Decimal: make('Decimal'),
    Date: make('Date'),
    DateTime: make('DateTime'),
  };
}

export const filterInputs = perBuilder(makeFilterInputs);

export const sortDirection = perBuilder((builder: Builder) =>
  builder.enumType('SortDirection', { values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const }),
);

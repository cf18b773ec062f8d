/**
 * Per-scalar filter inputs for typed `where` arguments: comparison operators fitting the type, `in`, `isNull`,
 * and `contains` / `startsWith` for strings. One set per builder, shared by every table.
 */
import type { Builder } from './builder.ts';

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

const refs = new WeakMap<Builder, ReturnType<typeof makeFilterInputs>>();

export function filterInputs(builder: Builder) {
  let ref = refs.get(builder);
  if (!ref) {
    ref = makeFilterInputs(builder);
    refs.set(builder, ref);
  }
  return ref;
}

const sortDirections = new WeakMap<Builder, ReturnType<typeof makeSortDirection>>();

function makeSortDirection(builder: Builder) {
  return builder.enumType('SortDirection', { values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const });
}

export function sortDirection(builder: Builder) {
  let ref = sortDirections.get(builder);
  if (!ref) {
    ref = makeSortDirection(builder);
    sortDirections.set(builder, ref);
  }
  return ref;
}

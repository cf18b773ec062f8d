/**
 * The Pothos builder factory: context type, scalars and plugins. The schema holds one set of types per Delta
 * table, so it is rebuilt (with a fresh builder) whenever the catalog's tables or their schemas change.
 */
import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from '../resolvers/context.ts';
import { DateScalar, DateTimeScalar, DecimalScalar, JsonScalar, LongScalar } from './scalars.ts';

export interface BuilderTypes {
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | number | string };
    Date: { Input: string; Output: string | Date };
    Long: { Input: bigint; Output: bigint | number | string };
    Decimal: { Input: string; Output: string | number };
  };
}

/** A fresh builder with the gateway's scalars and the root Query type. */
export function createBuilder() {
  const builder = new SchemaBuilder<BuilderTypes>({ defaultFieldNullability: false });
  builder.addScalarType('JSON', JsonScalar);
  builder.addScalarType('DateTime', DateTimeScalar);
  builder.addScalarType('Date', DateScalar);
  builder.addScalarType('Long', LongScalar);
  builder.addScalarType('Decimal', DecimalScalar);
  builder.queryType({ description: 'Delta tables, their versions and history, typed rows and log analytics.' });
  return builder;
}

export type Builder = ReturnType<typeof createBuilder>;
export type GatewayTypes = PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>;

/**
 * What a table's metadata says, at a version: `Table.schema` (a `Column` tree), `Table.properties` (`KeyValue`
 * pairs of the table configuration) and `Table.protocol` (reader and writer versions and features).
 */
import type { Protocol } from '../../delta/index.ts';
import type { ColumnInfo } from '../../resolvers/column-types.ts';
import { tableColumns, tableProperties, tableProtocol, type KeyValue } from '../../resolvers/table-info.ts';
import type { Builder } from '../builder.ts';
import { addAsOfInput, toAsOf } from '../common/as-of.ts';
import { perBuilder } from '../per-builder.ts';
import { tableRef } from './table-info.ts';
import { typeNameFor } from './typed-tables.ts';

/** `KeyValue { key value }`: table properties here, partition values of data files too. */
export const keyValueRef = perBuilder((builder: Builder) =>
  builder.objectRef<KeyValue>('KeyValue').implement({
    fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value', { nullable: true }) }),
  }),
);

const columnRef = perBuilder((builder: Builder) => {
  const Column = builder.objectRef<ColumnInfo>('Column');
  return Column.implement({
    description: 'A column of a table schema; nested struct fields are listed under `fields`.',
    fields: (t) => ({
      name: t.exposeString('name'),
      deltaType: t.exposeString('deltaType', { description: 'Delta type, e.g. `decimal(10,2)` or `array<string>`.' }),
      graphqlType: t.exposeString('graphqlType', { description: 'Type of this column in the typed table field.' }),
      nullable: t.exposeBoolean('nullable'),
      partition: t.exposeBoolean('partition', { description: 'Whether the table is partitioned by this column.' }),
      metadata: t.field({ type: 'JSON', resolve: (c) => c.metadata }),
      fields: t.field({ type: [Column], resolve: (c) => c.fields }),
    }),
  });
});

const protocolRef = perBuilder((builder: Builder) =>
  builder.objectRef<Protocol>('Protocol').implement({
    fields: (t) => ({
      minReaderVersion: t.exposeInt('minReaderVersion'),
      minWriterVersion: t.exposeInt('minWriterVersion'),
      readerFeatures: t.stringList({ resolve: (p) => p.readerFeatures ?? [] }),
      writerFeatures: t.stringList({ resolve: (p) => p.writerFeatures ?? [] }),
    }),
  }),
);

/** Adds `schema`, `properties` and `protocol` (each with `asOf`) to `Table`. */
export function addTableMetadataFields(builder: Builder): void {
  const AsOfInput = addAsOfInput(builder);
  builder.objectFields(tableRef(builder), (t) => ({
    schema: t.field({
      type: [columnRef(builder)],
      args: { asOf: t.arg({ type: AsOfInput }) },
      resolve: (table, args, ctx) => tableColumns(ctx, table.name, toAsOf(args.asOf), typeNameFor(table.name)),
    }),
    properties: t.field({
      type: [keyValueRef(builder)],
      args: { asOf: t.arg({ type: AsOfInput }) },
      resolve: (table, args, ctx) => tableProperties(ctx, table.name, toAsOf(args.asOf)),
    }),
    protocol: t.field({
      type: protocolRef(builder),
      args: { asOf: t.arg({ type: AsOfInput }) },
      resolve: (table, args, ctx) => tableProtocol(ctx, table.name, toAsOf(args.asOf)),
    }),
  }));
}

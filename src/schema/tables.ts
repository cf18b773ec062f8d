/**
 * The generic catalog fields: `tables`, `table(name)` with schema, properties, protocol, history, versions,
 * files and diff. They work on every table, whatever its schema; typed row fields live in table-rows.ts.
 */
import type { Add, Protocol } from '../delta/index.ts';
import type { Builder } from './builder.ts';
import type { CatalogTable } from '../sources/table-catalog.ts';
import { describeColumns, type ColumnInfo } from '../resolvers/column-types.ts';
import { displayLocation, fileRows, filesPage, historyPage, keyValues, snapshotFor, summarize, tableDiff } from '../resolvers/table-info.ts';
import { addAsOfInput, toAsOf } from './as-of.ts';
import { addHistoryTypes } from './history-types.ts';
import { addConnection } from './connection.ts';

export function addTableFields(builder: Builder): void {
  const AsOfInput = addAsOfInput(builder);
  const { HistoryConnection } = addHistoryTypes(builder);

  const KeyValue = builder.objectRef<{ key: string; value: string | null }>('KeyValue').implement({
    fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value', { nullable: true }) }),
  });

  const Column = builder.objectRef<ColumnInfo>('Column');
  Column.implement({
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

  const ProtocolType = builder.objectRef<Protocol>('Protocol').implement({
    fields: (t) => ({
      minReaderVersion: t.exposeInt('minReaderVersion'),
      minWriterVersion: t.exposeInt('minWriterVersion'),
      readerFeatures: t.stringList({ resolve: (p) => p.readerFeatures ?? [] }),
      writerFeatures: t.stringList({ resolve: (p) => p.writerFeatures ?? [] }),
    }),
  });

  const TableVersion = builder.objectRef<ReturnType<typeof summarize>>('TableVersion').implement({
    description: 'A table at one version: its commit time and size figures from the log (no data is read).',
    fields: (t) => ({
      version: t.exposeInt('version'),
      timestamp: t.field({ type: 'DateTime', resolve: (s) => s.timestamp }),
      fileCount: t.exposeInt('fileCount'),
      rowCount: t.field({ type: 'Long', nullable: true, description: 'From file statistics; null when a file has none.', resolve: (s) => s.rowCount }),
      sizeBytes: t.field({ type: 'Long', resolve: (s) => s.sizeBytes }),
    }),
  });

  const DataFile = builder.objectRef<Add>('DataFile').implement({
    fields: (t) => ({
      path: t.exposeString('path', { description: 'Path relative to the table root.' }),
      sizeBytes: t.field({ type: 'Long', resolve: (f) => f.size }),
      modificationTime: t.field({ type: 'DateTime', resolve: (f) => f.modificationTime }),
      partitionValues: t.field({ type: [KeyValue], resolve: (f) => keyValues(f.partitionValues) }),
      rowCount: t.field({ type: 'Long', nullable: true, resolve: (f) => fileRows(f) }),
      deletedRows: t.int({ resolve: (f) => f.deletionVector?.cardinality ?? 0 }),
    }),
  });
  const { Connection: FileConnection } = addConnection(builder, 'DataFile', DataFile);

  const TableDiff = builder.objectRef<Awaited<ReturnType<typeof tableDiff>>>('TableDiff').implement({
    fields: (t) => ({
      fromVersion: t.exposeInt('fromVersion'),
      toVersion: t.exposeInt('toVersion'),
      filesAdded: t.exposeInt('filesAdded'),
      filesRemoved: t.exposeInt('filesRemoved'),
      rowsAdded: t.field({ type: 'Long', nullable: true, resolve: (d) => d.rowsAdded }),
      rowsRemoved: t.field({ type: 'Long', nullable: true, resolve: (d) => d.rowsRemoved }),
      bytesAdded: t.field({ type: 'Long', resolve: (d) => d.bytesAdded }),
      bytesRemoved: t.field({ type: 'Long', resolve: (d) => d.bytesRemoved }),
    }),
  });

  const Table = builder.objectRef<CatalogTable>('Table').implement({
    description: 'A Delta table.',
    fields: (t) => ({
      name: t.exposeString('name'),
      location: t.string({ description: 'Relative to the lake root.', resolve: (table, _a, ctx) => displayLocation(ctx, table) }),
      currentVersion: t.int({ resolve: async (table, _a, ctx) => (await snapshotFor(ctx, table.name)).version }),
      partitionColumns: t.stringList({ resolve: async (table, _a, ctx) => [...(await snapshotFor(ctx, table.name)).partitionColumns] }),
      rowCount: t.field({ type: 'Long', nullable: true, resolve: async (table, _a, ctx) => summarize(await snapshotFor(ctx, table.name)).rowCount }),
      sizeBytes: t.field({ type: 'Long', resolve: async (table, _a, ctx) => summarize(await snapshotFor(ctx, table.name)).sizeBytes }),
      fileCount: t.int({ resolve: async (table, _a, ctx) => (await snapshotFor(ctx, table.name)).files.length }),
      schema: t.field({
        type: [Column],
        args: { asOf: t.arg({ type: AsOfInput }) },
        resolve: async (table, args, ctx) => {
          const s = await snapshotFor(ctx, table.name, toAsOf(args.asOf));
          return describeColumns(s.schema.fields, s.partitionColumns, typeNameFor(table.name));
        },
      }),
      properties: t.field({
        type: [KeyValue],
        args: { asOf: t.arg({ type: AsOfInput }) },
        resolve: async (table, args, ctx) => keyValues((await snapshotFor(ctx, table.name, toAsOf(args.asOf))).metadata.configuration),
      }),
      protocol: t.field({
        type: ProtocolType,
        args: { asOf: t.arg({ type: AsOfInput }) },
        resolve: async (table, args, ctx) => (await snapshotFor(ctx, table.name, toAsOf(args.asOf))).protocol,
      }),
      version: t.field({
        type: TableVersion,
        description: 'The table at a version or timestamp (latest when asOf is omitted).',
        args: { asOf: t.arg({ type: AsOfInput }) },
        resolve: async (table, args, ctx) => summarize(await snapshotFor(ctx, table.name, toAsOf(args.asOf))),
      }),
      history: t.field({
        type: HistoryConnection,
        description: 'Commits, newest first.',
        args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
        resolve: (table, args, ctx) => historyPage(ctx, table.name, args.first ?? 20, args.after),
      }),
      files: t.field({
        type: FileConnection,
        args: { asOf: t.arg({ type: AsOfInput }), first: t.arg.int({ defaultValue: 100 }), after: t.arg.string() },
        resolve: (table, args, ctx) => filesPage(ctx, table.name, toAsOf(args.asOf), args.first ?? 100, args.after),
      }),
      diff: t.field({
        type: TableDiff,
        description: 'Files and rows added and removed between two versions.',
        args: { from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
        resolve: (table, args, ctx) => tableDiff(ctx, table.name, args.from, args.to),
      }),
    }),
  });

  builder.queryFields((t) => ({
    tables: t.field({ type: [Table], resolve: (_r, _a, ctx) => ctx.catalog.list() }),
    table: t.field({ type: Table, args: { name: t.arg.string({ required: true }) }, resolve: (_r, args, ctx) => ctx.catalog.get(args.name) }),
  }));
}

/** GraphQL type name prefix for a table's generated types: `web_logs` -> `WebLogs`. */
export function typeNameFor(tableName: string): string {
  return tableName.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || 'Table';
}


/**
 * A table across its versions, from the log alone (no data file is read): `Table.version(asOf)` with its
 * figures, `Table.files` (a Relay connection of the live `DataFile`s at a version) and `Table.diff(from, to)`.
 */
import type { Add } from '../../delta/index.ts';
import { fileRows, filesPage, keyValues, tableDiff, tableSummary, type SnapshotSummary } from '../../resolvers/table-info.ts';
import type { Builder } from '../builder.ts';
import { addAsOfInput, toAsOf } from '../common/as-of.ts';
import { addConnection } from '../common/connection.ts';
import { perBuilder } from '../per-builder.ts';
import { keyValueRef } from './table-metadata.ts';
import { tableRef } from './table-info.ts';

const tableVersionRef = perBuilder((builder: Builder) =>
  builder.objectRef<SnapshotSummary>('TableVersion').implement({
    description: 'A table at one version: its commit time and size figures from the log (no data is read).',
    fields: (t) => ({
      version: t.exposeInt('version'),
      timestamp: t.field({ type: 'DateTime', resolve: (s) => s.timestamp }),
      fileCount: t.exposeInt('fileCount'),
      rowCount: t.field({ type: 'Long', nullable: true, description: 'From file statistics; null when a file has none.', resolve: (s) => s.rowCount }),
      sizeBytes: t.field({ type: 'Long', resolve: (s) => s.sizeBytes }),
    }),
  }),
);

/** `DataFileConnection` of `DataFile { path sizeBytes modificationTime partitionValues rowCount deletedRows }`. */
const dataFileConnectionRef = perBuilder((builder: Builder) => {
  const DataFile = builder.objectRef<Add>('DataFile').implement({
    fields: (t) => ({
      path: t.exposeString('path', { description: 'Path relative to the table root.' }),
      sizeBytes: t.field({ type: 'Long', resolve: (f) => f.size }),
      modificationTime: t.field({ type: 'DateTime', resolve: (f) => f.modificationTime }),
      partitionValues: t.field({ type: [keyValueRef(builder)], resolve: (f) => keyValues(f.partitionValues) }),
      rowCount: t.field({ type: 'Long', nullable: true, resolve: (f) => fileRows(f) }),
      deletedRows: t.int({ resolve: (f) => f.deletionVector?.cardinality ?? 0 }),
    }),
  });
  return addConnection(builder, 'DataFile', DataFile).Connection;
});

const tableDiffRef = perBuilder((builder: Builder) =>
  builder.objectRef<Awaited<ReturnType<typeof tableDiff>>>('TableDiff').implement({
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
  }),
);

/** Adds `version(asOf)`, `files(asOf, first = 100, after)` and `diff(from, to)` to `Table`. */
export function addTableVersionFields(builder: Builder): void {
  const AsOfInput = addAsOfInput(builder);
  builder.objectFields(tableRef(builder), (t) => ({
    version: t.field({
      type: tableVersionRef(builder),
      description: 'The table at a version or timestamp (latest when asOf is omitted).',
      args: { asOf: t.arg({ type: AsOfInput }) },
      resolve: (table, args, ctx) => tableSummary(ctx, table.name, toAsOf(args.asOf)),
    }),
    files: t.field({
      type: dataFileConnectionRef(builder),
      args: { asOf: t.arg({ type: AsOfInput }), first: t.arg.int({ defaultValue: 100 }), after: t.arg.string() },
      resolve: (table, args, ctx) => filesPage(ctx, table.name, toAsOf(args.asOf), args.first ?? 100, args.after),
    }),
    diff: t.field({
      type: tableDiffRef(builder),
      description: 'Files and rows added and removed between two versions.',
      args: { from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
      resolve: (table, args, ctx) => tableDiff(ctx, table.name, args.from, args.to),
    }),
  }));
}

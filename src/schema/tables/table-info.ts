/**
 * The generic catalog fields: `tables`, `table(name)` and the `Table` type's own figures (location, current
 * version, partition columns, rows, size, files). They work on every table, whatever its schema. The other
 * files of this folder add the rest of `Table`'s fields (schema and protocol, versions and files, history);
 * typed row fields live in table-rows.ts.
 */
import type { CatalogTable } from '../../sources/table-catalog.ts';
import { displayLocation, snapshotFor, tableSummary } from '../../resolvers/table-info.ts';
import type { Builder } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';

/** The `Table` object type; other files add fields with `builder.objectFields(tableRef(builder), …)`. */
export const tableRef = perBuilder((builder: Builder) =>
  builder.objectRef<CatalogTable>('Table').implement({
    description: 'A Delta table.',
    fields: (t) => ({
      name: t.exposeString('name'),
      location: t.string({ description: 'Relative to the lake root.', resolve: (table, _a, ctx) => displayLocation(ctx, table) }),
      // Straight from the snapshot; rows and size need the summary, a pass over every file (once per snapshot).
      currentVersion: t.int({ resolve: async (table, _a, ctx) => (await snapshotFor(ctx, table.name)).version }),
      partitionColumns: t.stringList({ resolve: async (table, _a, ctx) => [...(await snapshotFor(ctx, table.name)).partitionColumns] }),
      fileCount: t.int({ resolve: async (table, _a, ctx) => (await snapshotFor(ctx, table.name)).files.length }),
      rowCount: t.field({ type: 'Long', nullable: true, resolve: async (table, _a, ctx) => (await tableSummary(ctx, table.name)).rowCount }),
      sizeBytes: t.field({ type: 'Long', resolve: async (table, _a, ctx) => (await tableSummary(ctx, table.name)).sizeBytes }),
    }),
  }),
);

/** The root fields `tables` and `table(name)` (TABLE_NOT_FOUND from the catalog for an unknown name). */
export function addTableFields(builder: Builder): void {
  const Table = tableRef(builder);
  builder.queryFields((t) => ({
    tables: t.field({ type: [Table], resolve: (_r, _a, ctx) => ctx.catalog.list() }),
    table: t.field({ type: Table, args: { name: t.arg.string({ required: true }) }, resolve: (_r, args, ctx) => ctx.catalog.get(args.name) }),
  }));
}

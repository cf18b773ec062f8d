/**
 * `record(table, key, asOf)` and `records(table, keys)`: rows by key, from the records bulk-loaded into Redis
 * by `delta-gateway warm` (one pipeline per request and table), falling back to a Delta scan for keys Redis
 * does not hold. The key is the key column's text (`CAST(column AS VARCHAR)` in DuckDB terms).
 */
import type { Builder } from './builder.ts';
import { addAsOfInput, toAsOf } from './common/as-of.ts';
import { loadRecord, loadRecords } from '../resolvers/records.ts';

export function addRecordFields(builder: Builder): void {
  const AsOfInput = addAsOfInput(builder);
  builder.queryField('record', (t) =>
    t.field({
      type: 'JSON',
      nullable: true,
      description: 'The row whose key column equals `key` (null when none), as JSON-safe values by column name.',
      args: {
        table: t.arg.string({ required: true }),
        key: t.arg.string({ required: true }),
        asOf: t.arg({ type: AsOfInput }),
      },
      resolve: (_root, args, ctx) => loadRecord(ctx, args.table, args.key, toAsOf(args.asOf)),
    }),
  );
  builder.queryField('records', (t) =>
    t.field({
      type: ['JSON'],
      nullable: { list: false, items: true },
      description: 'Rows for several keys, in the order asked (null where no row has the key).',
      args: {
        table: t.arg.string({ required: true }),
        keys: t.arg.stringList({ required: true }),
      },
      resolve: (_root, args, ctx) => loadRecords(ctx, args.table, args.keys),
    }),
  );
}

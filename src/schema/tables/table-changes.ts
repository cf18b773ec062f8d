/**
 * The typed change data feed of each table: `<table>Changes(fromVersion, toVersion, first, after)`, a Relay
 * connection of changes that carry the change type, the commit and the row in the table's own row type.
 */
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { whereToPredicate, type WhereInput } from '../../resolvers/where-predicate.ts';
import { changesConnection, type ChangeNode } from '../../resolvers/table-changes.ts';
import type { Builder, GatewayTypes } from '../builder.ts';
import { addConnection } from '../common/connection.ts';
import type { TypedTableSpec } from './typed-tables.ts';

/** What the table's typed fields made that its change feed reuses. */
export interface TypedTableRefs {
  RowType: ObjectRef<GatewayTypes, Record<string, unknown>>;
  WhereRef: InputObjectRef<GatewayTypes, Record<string, unknown>>;
  /** GraphQL field name of each filterable where-input field -> Delta column. */
  whereColumns: ReadonlyMap<string, string>;
}

/** Adds `<Prefix>Change`, its connection, and the root field `spec.changesFieldName`. */
export function addTableChanges(builder: Builder, spec: TypedTableSpec, table: TypedTableRefs): void {
  const { RowType, WhereRef, whereColumns } = table;
  const Change = builder.objectRef<ChangeNode>(`${spec.typePrefix}Change`).implement({
    description: `A change to a row of table \`${spec.name}\`.`,
    fields: (t) => ({
      // Text, not an enum: `insert`, `delete`, `update_preimage` or `update_postimage` by the protocol, but change
      // data files carry whatever their writer put in `_change_type`, and a feed must not fail on one of them.
      changeType: t.exposeString('changeType', { description: 'insert, delete, update_preimage or update_postimage.' }),
      commitVersion: t.int({ resolve: (c) => c.commitVersion }),
      commitTimestamp: t.field({ type: 'DateTime', resolve: (c) => c.commitTimestamp }),
      row: t.field({ type: RowType, resolve: (c) => c.row }),
    }),
  });
  const { Connection } = addConnection(builder, `${spec.typePrefix}Change`, Change);
  builder.queryField(spec.changesFieldName, (t) =>
    t.field({
      type: Connection,
      description:
        `Change data feed of table \`${spec.name}\`: row inserts, deletes and update pre/post images of versions ` +
        '`fromVersion` to `toVersion` (default the latest), ordered by commit. Cursors pin the ending version.',
      args: {
        fromVersion: t.arg.int({ required: true }),
        toVersion: t.arg.int(),
        changeTypes: t.arg.stringList({ description: 'Only these change types (e.g. ["delete"]); all when absent.' }),
        where: t.arg({ type: WhereRef, description: 'Only changes whose row matches.' }),
        first: t.arg.int(),
        after: t.arg.string(),
      },
      resolve: (_root, args, ctx) => changesConnection(ctx, spec.name, { ...args, predicate: whereToPredicate(args.where as WhereInput | null | undefined, whereColumns) }),
    }),
  );
}

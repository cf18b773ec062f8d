/**
 * Builds the GraphQL schema from the generic domain files and one typed field per table. Each build uses a
 * fresh builder because the per-table types change whenever a table or its schema does.
 */
import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder.ts';
import { addAboutFields } from './about.ts';
import { addTableFields, typeNameFor } from './tables.ts';
import { addTypedTable, type TypedTableSpec } from './table-rows.ts';
import { addTableChanges } from './table-changes.ts';
import { addAnalyticsFields } from './analytics.ts';
import { addSubscriptionFields, SUBSCRIPTION_TYPE_PREFIXES } from './subscriptions.ts';
import { addRecordFields } from './records.ts';
import { addCacheAdminFields } from './cache-admin.ts';
import type { StructType } from '../delta/index.ts';
import { graphqlFieldNames } from './graphql-names.ts';

/** Root fields the generic domains own; a table with one of these names gets a `Rows` suffix. */
export const RESERVED_ROOT_FIELDS: ReadonlySet<string> = new Set(['about', 'tables', 'table', 'analytics', 'record', 'records']);
/** Type names the generic domains own; generated types never reuse them. */
const RESERVED_TYPE_PREFIXES = new Set(['Table', 'Column', 'Commit', 'DataFile', 'Protocol', 'TableVersion', 'TableDiff', 'KeyValue', 'About', 'Analytics', 'PageInfo', 'AsOf', 'Sort', ...SUBSCRIPTION_TYPE_PREFIXES]);

export interface TableSchemaInput {
  name: string;
  schema: StructType;
}

/** Assigns unique root field names and type prefixes to tables. */
export function typedTableSpecs(tables: readonly TableSchemaInput[]): TypedTableSpec[] {
  const rowFields = tables.map((t) => (RESERVED_ROOT_FIELDS.has(t.name) ? `${t.name}Rows` : t.name));
  // Row fields first, so a table keeps its own name even when another table's feed would be called the same.
  const fieldNames = graphqlFieldNames([...rowFields, ...tables.map((t) => `${t.name}Changes`)], RESERVED_ROOT_FIELDS);
  const usedPrefixes = new Set(RESERVED_TYPE_PREFIXES);
  return tables.map((t, i) => {
    const base = typeNameFor(t.name);
    let prefix = usedPrefixes.has(base) ? `${base}Data` : base;
    for (let n = 2; usedPrefixes.has(prefix); n++) prefix = `${base}${n}`;
    usedPrefixes.add(prefix);
    return { name: t.name, fieldName: fieldNames[i]!, changesFieldName: fieldNames[tables.length + i]!, typePrefix: prefix, schema: t.schema };
  });
}

export function buildSchema(tables: readonly TableSchemaInput[] = []): GraphQLSchema {
  const builder = createBuilder();
  addAboutFields(builder);
  addTableFields(builder);
  addAnalyticsFields(builder);
  addSubscriptionFields(builder);
  addRecordFields(builder);
  addCacheAdminFields(builder);
  for (const spec of typedTableSpecs(tables)) addTableChanges(builder, spec, addTypedTable(builder, spec));
  return builder.toSchema({ sortSchema: true });
}

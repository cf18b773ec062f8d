/**
 * Names of each table's generated fields and types: a root field per table (its own name unless a generic
 * field owns it), a `<table>Changes` feed, and a type prefix (`web_logs` -> `WebLogs`) that no generic type and
 * no other table uses. Every name is unique within one schema build.
 */
import type { StructType } from '../../delta/index.ts';
import { SUBSCRIPTION_TYPE_PREFIXES } from '../subscriptions/subscription-root.ts';
import { graphqlFieldNames } from './graphql-names.ts';

/** A table as the schema build receives it: its catalog name and Delta schema. */
export interface TableSchemaInput {
  name: string;
  schema: StructType;
}

export interface TypedTableSpec {
  /** Catalog name, also the root field name unless it clashes. */
  name: string;
  /** Root field name (unique, not clashing with generic fields). */
  fieldName: string;
  /** Root field name of the table's change data feed (unique too). */
  changesFieldName: string;
  /** Prefix of the generated type names, e.g. `Logs` -> `LogsRow`, `LogsWhere`. */
  typePrefix: string;
  schema: StructType;
}

/** Root fields the generic domains own; a table with one of these names gets a `Rows` suffix. */
const RESERVED_ROOT_FIELDS: ReadonlySet<string> = new Set(['about', 'tables', 'table', 'analytics', 'record', 'records']);
/** Type names the generic domains own; generated types never reuse them. */
const RESERVED_TYPE_PREFIXES = new Set(['Table', 'Column', 'Commit', 'DataFile', 'Protocol', 'TableVersion', 'TableDiff', 'KeyValue', 'About', 'Analytics', 'PageInfo', 'AsOf', 'Sort', ...SUBSCRIPTION_TYPE_PREFIXES]);

/** GraphQL type name prefix for a table's generated types: `web_logs` -> `WebLogs`. */
export function typeNameFor(tableName: string): string {
  return tableName.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || 'Table';
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

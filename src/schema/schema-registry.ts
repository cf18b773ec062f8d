/**
 * The current GraphQL schema. Typed fields follow the tables and their Delta schemas, so the schema is rebuilt
 * when a table appears, disappears or changes its schema; otherwise the same schema object is served (yoga's
 * parse and validation caches stay warm). A table that cannot be read stays in `tables` but gets no typed field.
 */
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../logger.ts';
import type { TableCatalog } from '../sources/table-catalog.ts';
import { buildSchema } from './index.ts';
import type { TableSchemaInput } from './tables/typed-tables.ts';

export interface SchemaRegistry {
  current(): Promise<GraphQLSchema>;
  /** How many times the schema was built (tests assert rebuilds). */
  readonly builds: number;
}

export interface SchemaRegistryOptions {
  catalog: TableCatalog;
  logger: Logger;
  /**
   * The catalog's refresh interval: it sees no new table or commit sooner, so within it the current schema is
   * served without re-reading every table's schema (default 500 ms, as the catalog).
   */
  refreshIntervalMs?: number;
}

/**
 * Every table's Delta schema, with its schema string as the change fingerprint. A table whose snapshot cannot be
 * loaded is left out (it keeps its generic fields) and warned about once, until it can be read again.
 */
async function readTableSchemas(catalog: TableCatalog, logger: Logger, unreadable: Set<string>): Promise<(TableSchemaInput & { schemaString: string })[]> {
  const tables = await catalog.list();
  const loaded = await Promise.all(
    tables.map(async (t) => {
      try {
        const snapshot = await catalog.snapshot(t.name);
        unreadable.delete(t.name);
        return { name: t.name, schema: snapshot.schema, schemaString: snapshot.metadata.schemaString };
      } catch (e) {
        if (!unreadable.has(t.name)) logger.warn({ table: t.name, err: (e as Error).message }, 'table has no typed field');
        unreadable.add(t.name);
        return undefined;
      }
    }),
  );
  return loaded.filter((t): t is NonNullable<typeof t> => t !== undefined);
}

export function createSchemaRegistry({ catalog, logger, refreshIntervalMs = 500 }: SchemaRegistryOptions): SchemaRegistry {
  let checkedAt = -Infinity;
  let fingerprint: string | undefined;
  let schema: GraphQLSchema | undefined;
  let builds = 0;
  let pending: Promise<GraphQLSchema> | undefined;
  // Tables already warned about, so a table that stays unreadable is logged once, not on every refresh.
  const unreadable = new Set<string>();

  async function refresh(): Promise<GraphQLSchema> {
    const started = Date.now();
    const tables = await readTableSchemas(catalog, logger, unreadable);
    checkedAt = started;
    const next = JSON.stringify(tables.map((t) => [t.name, t.schemaString]));
    if (schema && next === fingerprint) return schema;
    schema = buildSchema(tables);
    fingerprint = next;
    builds++;
    logger.info({ tables: tables.length }, 'GraphQL schema built');
    return schema;
  }

  return {
    current() {
      if (schema && Date.now() - checkedAt < refreshIntervalMs) return Promise.resolve(schema);
      pending ??= refresh().finally(() => (pending = undefined));
      return pending;
    },
    get builds() {
      return builds;
    },
  };
}

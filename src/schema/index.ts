/**
 * Builds the GraphQL schema from the domain files and one typed field per table. Each build uses a fresh
 * builder because the per-table types change whenever a table or its schema does.
 */
import type { GraphQLSchema } from 'graphql';
import { createBuilder } from './builder.ts';
import { addAboutFields } from './about.ts';
import { addTableFields } from './tables/table-info.ts';
import { addTableMetadataFields } from './tables/table-metadata.ts';
import { addTableVersionFields } from './tables/table-versions.ts';
import { addHistoryFields } from './tables/history.ts';
import { typedTableSpecs, type TableSchemaInput } from './tables/typed-tables.ts';
import { addTypedTable } from './tables/table-rows.ts';
import { addTableChanges } from './tables/table-changes.ts';
import { addAnalyticsFields } from './analytics.ts';
import { addSubscriptionType } from './subscriptions/subscription-root.ts';
import { addLogEventFields } from './subscriptions/log-events.ts';
import { addWindowFields } from './subscriptions/windows.ts';
import { addRecordFields } from './records.ts';
import { addCacheAdminFields } from './cache-admin.ts';

export function buildSchema(tables: readonly TableSchemaInput[] = []): GraphQLSchema {
  const builder = createBuilder();
  addAboutFields(builder);
  addTableFields(builder);
  addTableMetadataFields(builder);
  addTableVersionFields(builder);
  addHistoryFields(builder);
  addAnalyticsFields(builder);
  addSubscriptionType(builder);
  addLogEventFields(builder);
  addWindowFields(builder);
  addRecordFields(builder);
  addCacheAdminFields(builder);
  for (const spec of typedTableSpecs(tables)) addTableChanges(builder, spec, addTypedTable(builder, spec));
  return builder.toSchema({ sortSchema: true });
}

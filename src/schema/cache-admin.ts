/**
 * Admin fields of the query cache: `purgeCache(table)` removes a table's cached query results (Redis, every
 * master, and this process) and returns how many keys went. Refused with FORBIDDEN unless ADMIN_ENABLED=true
 * (authentication is a later issue). Also declares the Mutation root type.
 */
import { GraphQLError } from 'graphql';
import type { Builder } from './builder.ts';

export function addCacheAdminFields(builder: Builder): void {
  builder.mutationType({ description: 'Administrative operations (enabled with ADMIN_ENABLED=true).' });
  builder.mutationField('purgeCache', (t) =>
    t.int({
      description: "Deletes the table's query-cache entries; returns the number of keys removed.",
      args: { table: t.arg.string({ required: true }) },
      resolve: async (_root, args, ctx) => {
        if (!ctx.adminEnabled) throw new GraphQLError('admin operations are disabled (ADMIN_ENABLED=false)', { extensions: { code: 'FORBIDDEN' } });
        if (!ctx.cache) return 0;
        return ctx.cache.purge(args.table);
      },
    }),
  );
}

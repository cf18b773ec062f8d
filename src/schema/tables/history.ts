/**
 * `Table.history`: one `Commit` per version, newest first, with its operation, parameters and metrics. The
 * common metrics of Spark, delta-rs and our writer are typed fields; everything else stays available as JSON.
 */
import type { HistoryEntry } from '../../delta/index.ts';
import { commitMetric, historyPage } from '../../resolvers/table-info.ts';
import type { Builder } from '../builder.ts';
import { addConnection } from '../common/connection.ts';
import { perBuilder } from '../per-builder.ts';
import { tableRef } from './table-info.ts';

/** Metric names written by the engines we know, as GraphQL fields (Long). */
const TYPED_METRICS = [
  'numFiles', 'numOutputRows', 'numOutputBytes', 'numAddedFiles', 'numRemovedFiles', 'numAddedBytes', 'numRemovedBytes',
  'numDeletedRows', 'numUpdatedRows', 'numCopiedRows', 'numTargetRowsInserted', 'numTargetRowsUpdated',
  'numTargetRowsDeleted', 'executionTimeMs', 'numRestoredFiles', 'numRemovedFilesByVacuum',
] as const;

const commitMetricsRef = perBuilder((builder: Builder) =>
  builder.objectRef<Record<string, unknown> | undefined>('CommitMetrics').implement({
    description: 'Operation metrics; a field is null when the writer did not record it.',
    fields: (t) => ({
      ...Object.fromEntries(
        TYPED_METRICS.map((name) => [name, t.field({ type: 'Long', nullable: true, resolve: (m) => commitMetric(m, name) })]),
      ),
      all: t.field({ type: 'JSON', description: 'Every metric as recorded.', resolve: (m) => m ?? {} }),
    }),
  }),
);

/** `CommitConnection` of `Commit { version timestamp operation parameters metrics engineInfo isBlindAppend }`. */
const commitConnectionRef = perBuilder((builder: Builder) => {
  const Commit = builder.objectRef<HistoryEntry>('Commit').implement({
    fields: (t) => ({
      version: t.exposeInt('version'),
      timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestamp }),
      operation: t.string({ nullable: true, resolve: (e) => e.operation ?? null }),
      parameters: t.field({ type: 'JSON', resolve: (e) => e.operationParameters ?? {} }),
      metrics: t.field({ type: commitMetricsRef(builder), resolve: (e) => e.operationMetrics ?? {} }),
      engineInfo: t.string({ nullable: true, resolve: (e) => e.engineInfo ?? null }),
      isBlindAppend: t.boolean({ nullable: true, resolve: (e) => e.isBlindAppend ?? null }),
    }),
  });
  return addConnection(builder, 'Commit', Commit).Connection;
});

/** Adds `history(first = 20, after)` to `Table`. */
export function addHistoryFields(builder: Builder): void {
  builder.objectField(tableRef(builder), 'history', (t) =>
    t.field({
      type: commitConnectionRef(builder),
      description: 'Commits, newest first.',
      args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
      resolve: (table, args, ctx) => historyPage(ctx, table.name, args.first ?? 20, args.after),
    }),
  );
}

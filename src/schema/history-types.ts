/**
 * History types: one `Commit` per version with its operation, parameters and metrics. The common metrics of
 * Spark, delta-rs and our writer are typed fields; everything else stays available as JSON.
 */
import type { HistoryEntry } from '../delta/index.ts';
import type { Builder } from './builder.ts';
import { addConnection } from './connection.ts';

/** Metric names written by the engines we know, as GraphQL fields (Long). */
const TYPED_METRICS = [
  'numFiles', 'numOutputRows', 'numOutputBytes', 'numAddedFiles', 'numRemovedFiles', 'numAddedBytes', 'numRemovedBytes',
  'numDeletedRows', 'numUpdatedRows', 'numCopiedRows', 'numTargetRowsInserted', 'numTargetRowsUpdated',
  'numTargetRowsDeleted', 'executionTimeMs', 'numRestoredFiles', 'numRemovedFilesByVacuum',
] as const;

function metricValue(metrics: Record<string, unknown> | undefined, name: string): string | null {
  const v = metrics?.[name];
  if (v === undefined || v === null || v === '') return null;
  const text = String(v);
  return /^-?\d+$/.test(text) ? text : null;
}

export function addHistoryTypes(builder: Builder) {
  const CommitMetrics = builder.objectRef<Record<string, unknown> | undefined>('CommitMetrics').implement({
    description: 'Operation metrics; a field is null when the writer did not record it.',
    fields: (t) => ({
      ...Object.fromEntries(
        TYPED_METRICS.map((name) => [name, t.field({ type: 'Long', nullable: true, resolve: (m) => metricValue(m, name) })]),
      ),
      all: t.field({ type: 'JSON', description: 'Every metric as recorded.', resolve: (m) => m ?? {} }),
    }),
  });

  const Commit = builder.objectRef<HistoryEntry>('Commit').implement({
    fields: (t) => ({
      version: t.exposeInt('version'),
      timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestamp }),
      operation: t.string({ nullable: true, resolve: (e) => e.operation ?? null }),
      parameters: t.field({ type: 'JSON', resolve: (e) => e.operationParameters ?? {} }),
      metrics: t.field({ type: CommitMetrics, resolve: (e) => e.operationMetrics ?? {} }),
      engineInfo: t.string({ nullable: true, resolve: (e) => e.engineInfo ?? null }),
      isBlindAppend: t.boolean({ nullable: true, resolve: (e) => e.isBlindAppend ?? null }),
    }),
  });

  const { Connection: HistoryConnection } = addConnection(builder, 'Commit', Commit);
  return { Commit, HistoryConnection };
}

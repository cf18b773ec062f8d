/**
 * Resolvers for the generic table fields: summary figures from a snapshot (version, files, rows from stats,
 * size), columns, properties, protocol, history pages and commit metrics, file pages and the diff between two
 * versions.
 */
import { relative, isAbsolute } from 'node:path';
import { type Add, type HistoryEntry, type Protocol, type Snapshot, fileStats, fileKey } from '../delta/index.ts';
import type { AsOf, CatalogTable } from '../sources/table-catalog.ts';
import { describeColumns, type ColumnInfo } from './column-types.ts';
import type { GatewayContext } from './context.ts';
import { decodePageCursor, encodePageCursor, ensurePageSize } from './page-cursor.ts';

/** Loads a snapshot through the request's DataLoader and records the version used. */
export async function snapshotFor(ctx: GatewayContext, table: string, asOf?: AsOf | null): Promise<Snapshot> {
  const snapshot = await ctx.loaders.snapshot.load({ table, asOf: asOf ?? undefined });
  ctx.trace.recordVersion(table, snapshot.version);
  return snapshot;
}

/** Table location shown to clients: relative to the lake root when inside it. */
export function displayLocation(ctx: GatewayContext, table: CatalogTable): string {
  const rel = relative(ctx.lakeRoot, table.location);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : table.name;
}

export interface SnapshotSummary {
  version: number;
  timestamp: number;
  fileCount: number;
  rowCount: number | null;
  sizeBytes: number;
}

/** Summaries are a pass over every file; a snapshot is immutable, so each is computed once. */
const summaries = new WeakMap<Snapshot, SnapshotSummary>();

/** Version, commit time, files, rows (from stats, net of deletion vectors; null when a file has none) and size. */
export function summarize(snapshot: Snapshot): SnapshotSummary {
  let summary = summaries.get(snapshot);
  if (!summary) {
    summary = computeSummary(snapshot);
    summaries.set(snapshot, summary);
  }
  return summary;
}

function computeSummary(snapshot: Snapshot): SnapshotSummary {
  let rows: number | null = 0;
  let size = 0;
  for (const add of snapshot.files) {
    size += add.size;
    const n = fileRows(add);
    rows = rows === null || n === null ? null : rows + n;
  }
  return { version: snapshot.version, timestamp: snapshot.timestamp, fileCount: snapshot.files.length, rowCount: rows, sizeBytes: size };
}

/** The table's figures at `asOf` (latest when absent): version, commit time, files, rows and size. */
export async function tableSummary(ctx: GatewayContext, table: string, asOf?: AsOf): Promise<SnapshotSummary> {
  return summarize(await snapshotFor(ctx, table, asOf));
}

/** The `schema` field: the column tree at `asOf`, with the GraphQL types under the table's type prefix. */
export async function tableColumns(ctx: GatewayContext, table: string, asOf: AsOf | undefined, typePrefix: string): Promise<ColumnInfo[]> {
  const snapshot = await snapshotFor(ctx, table, asOf);
  return describeColumns(snapshot.schema.fields, snapshot.partitionColumns, typePrefix);
}

/** The table's configuration (Delta table properties) at `asOf`, sorted by key. */
export async function tableProperties(ctx: GatewayContext, table: string, asOf?: AsOf) {
  return keyValues((await snapshotFor(ctx, table, asOf)).metadata.configuration);
}

/** The table's protocol (reader and writer versions and features) at `asOf`. */
export async function tableProtocol(ctx: GatewayContext, table: string, asOf?: AsOf): Promise<Protocol> {
  return (await snapshotFor(ctx, table, asOf)).protocol;
}

export interface KeyValue {
  key: string;
  value: string | null;
}

/** Sorted key/value pairs; non-text values as JSON text. */
export function keyValues(record: Record<string, unknown> | undefined): KeyValue[] {
  return Object.entries(record ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value: value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value) }));
}

/**
 * One operation metric as a Long: a whole number (as text, exact) or null when the writer did not record it or
 * recorded something else.
 */
export function commitMetric(metrics: Record<string, unknown> | undefined, name: string): string | null {
  const v = metrics?.[name];
  if (v === undefined || v === null || v === '') return null;
  const text = String(v);
  return /^-?\d+$/.test(text) ? text : null;
}

export async function historyPage(ctx: GatewayContext, table: string, first: number, after?: string | null) {
  ensurePageSize('first', first, ctx.limits.maxPageSize);
  const before = after ? Number.parseInt(after, 10) : undefined;
  if (after && (!Number.isInteger(before) || before! < 0)) {
    decodePageCursor(after); // throws the standard invalid-cursor error
  }
  const entries: HistoryEntry[] = await ctx.loaders.history.load({ table, limit: first + 1, before });
  const page = entries.slice(0, first);
  return {
    edges: page.map((entry) => ({ cursor: String(entry.version), node: entry })),
    pageInfo: { hasNextPage: entries.length > first, hasPreviousPage: before !== undefined, startCursor: page[0] ? String(page[0].version) : null, endCursor: page.at(-1) ? String(page.at(-1)!.version) : null },
  };
}

/** A snapshot's files ordered by path, the `files` connection's order; sorted once per (immutable) snapshot. */
const sortedFiles = new WeakMap<Snapshot, readonly Add[]>();

function filesByPath(snapshot: Snapshot): readonly Add[] {
  let files = sortedFiles.get(snapshot);
  if (!files) {
    files = [...snapshot.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    sortedFiles.set(snapshot, files);
  }
  return files;
}

export async function filesPage(ctx: GatewayContext, table: string, asOf: AsOf | undefined, first: number, after?: string | null) {
  ensurePageSize('first', first, ctx.limits.maxPageSize);
  const position = after ? decodePageCursor(after) : undefined;
  const snapshot = await snapshotFor(ctx, table, position ? { version: position.v } : asOf);
  const files = filesByPath(snapshot);
  const start = position ? position.o + 1 : 0;
  const page = files.slice(start, start + first);
  return {
    totalCount: files.length,
    edges: page.map((add, i) => ({ cursor: encodePageCursor({ v: snapshot.version, o: start + i }), node: add })),
    pageInfo: { hasNextPage: start + first < files.length, hasPreviousPage: start > 0, startCursor: page.length ? encodePageCursor({ v: snapshot.version, o: start }) : null, endCursor: page.length ? encodePageCursor({ v: snapshot.version, o: start + page.length - 1 }) : null },
  };
}

export function fileRows(add: Add): number | null {
  const n = fileStats(add)?.numRecords;
  return n === undefined ? null : n - (add.deletionVector?.cardinality ?? 0);
}

export async function tableDiff(ctx: GatewayContext, table: string, from: number, to: number) {
  const [a, b] = await Promise.all([snapshotFor(ctx, table, { version: from }), snapshotFor(ctx, table, { version: to })]);
  const key = (f: Add) => fileKey(f.path, f.deletionVector);
  const before = new Map(a.files.map((f) => [key(f), f]));
  const after = new Map(b.files.map((f) => [key(f), f]));
  const added = [...after].filter(([k]) => !before.has(k)).map(([, f]) => f);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, f]) => f);
  const sumRows = (files: Add[]) =>
    files.reduce<number | null>((acc, f) => {
      if (acc === null) return null;
      const n = fileRows(f);
      return n === null ? null : acc + n;
    }, 0);
  return {
    fromVersion: a.version,
    toVersion: b.version,
    filesAdded: added.length,
    filesRemoved: removed.length,
    rowsAdded: sumRows(added),
    rowsRemoved: sumRows(removed),
    bytesAdded: added.reduce((s, f) => s + f.size, 0),
    bytesRemoved: removed.reduce((s, f) => s + f.size, 0),
  };
}

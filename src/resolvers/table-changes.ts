/**
 * The typed change data feed of a table: the row changes of versions `fromVersion`..`toVersion` (as delta-rs
 * `load_cdf` reads them: change data files where a commit wrote them, its added and removed files otherwise),
 * paged by offset over a stable order. The cursor pins the ending version, so paging a feed whose `toVersion`
 * defaulted to "latest" stays on one range while new commits land.
 */
import { GraphQLError } from 'graphql';
import type { Predicate } from '../delta/index.ts';
import type { ChangeScanRequest } from '../sources/duckdb/scan-request.ts';
import type { GatewayContext } from './context.ts';
import { decodePageCursor, encodePageCursor, ensurePageSize } from './page-cursor.ts';
import { answerOf, cachedByRequest, scanOptions } from './run-scan.ts';
import { snapshotFor } from './table-info.ts';

export interface ChangesArgs {
  fromVersion: number;
  toVersion?: number | null;
  changeTypes?: readonly string[] | null;
  /** The `where` argument as a scan predicate over the table's columns. */
  predicate?: Predicate;
  first?: number | null;
  after?: string | null;
}

/** One change: what happened to `row` in commit `commitVersion`. */
export interface ChangeNode {
  changeType: string;
  commitVersion: number;
  commitTimestamp: Date;
  row: Record<string, unknown>;
}

const DEFAULT_PAGE = 100;

function toNode(raw: Record<string, unknown>): ChangeNode {
  const { _change_type: changeType, _commit_version: commitVersion, _commit_timestamp: commitTimestamp, ...row } = raw;
  // The commit columns come as JSON-safe text (BIGINT as a string, TIMESTAMPTZ as ISO text with microseconds).
  return { changeType: String(changeType), commitVersion: Number(commitVersion), commitTimestamp: new Date(String(commitTimestamp)), row };
}

export async function changesConnection(ctx: GatewayContext, tableName: string, args: ChangesArgs) {
  ensurePageSize('first', args.first, ctx.limits.maxPageSize);
  const after = args.after ? decodePageCursor(args.after) : undefined;
  if (after && args.toVersion != null && after.v !== args.toVersion) {
    throw new GraphQLError(`the after cursor pages the changes up to version ${after.v}, not ${args.toVersion}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const table = await ctx.catalog.get(tableName);
  const pinned = after?.v ?? args.toVersion ?? undefined;
  const snapshot = await snapshotFor(ctx, tableName, pinned === undefined ? undefined : { version: pinned });
  const to = snapshot.version;
  const start = after ? after.o + 1 : 0;
  const limit = args.first ?? DEFAULT_PAGE;
  const changeTypes = args.changeTypes ?? undefined;
  // The page and its count share one plan (log listing and commit reads) through the request's plan cache, made
  // only on a cache miss.
  const request: ChangeScanRequest = { storage: table.storage, changes: { from: args.fromVersion, to, snapshot, changeTypes }, predicate: args.predicate };
  const scope = { table: tableName, version: to, kind: 'rows' as const };
  const identity = { mode: 'changes', root: table.storage.root, tableId: snapshot.metadata.id, from: args.fromVersion, changeTypes: changeTypes ?? null, predicate: args.predicate ?? null };
  const { rows, figures } = await cachedByRequest(ctx, scope, { ...identity, limit: limit + 1, offset: start, answer: 'rows+figures' }, async () =>
    answerOf(ctx, await ctx.scans.rows({ ...request, limit: limit + 1, offset: start }, scanOptions(ctx, 'json'))),
  );
  ctx.trace.recordScan(figures);
  const page = rows.slice(0, limit);
  const cursorAt = (i: number) => encodePageCursor({ v: to, o: start + i });
  let total: Promise<number> | undefined;
  return {
    edges: page.map((raw, i) => ({ node: toNode(raw), cursor: cursorAt(i) })),
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorAt(0) : null,
      endCursor: page.length ? cursorAt(page.length - 1) : null,
    },
    totalCount: () => (total ??= cachedByRequest(ctx, scope, { ...identity, count: true }, async () => {
      const counted = await ctx.scans.count(request, scanOptions(ctx));
      ctx.trace.recordTimings(counted.timings);
      return [{ n: counted.count }];
    }).then((r) => r[0]!.n)),
  };
}

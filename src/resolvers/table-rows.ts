/**
 * The typed row connection of a table: `where` to a scan predicate, `orderBy`, and Relay paging by offset over
 * a version pinned in the cursor, so pages stay consistent while new commits land. `totalCount` runs a COUNT
 * only when selected.
 */
import { badInput } from './errors.ts';
import type { OrderBy } from '../delta/index.ts';
import type { AsOf } from '../sources/table-catalog.ts';
import type { GatewayContext } from './context.ts';
import { decodePageCursor, encodePageCursor, ensurePageSize, type PagePosition } from './page-cursor.ts';
import { countRows, scanRows, type ScanRequest } from './run-scan.ts';
import { snapshotFor } from './table-info.ts';
import { whereToPredicate, type WhereInput } from './where-predicate.ts';

export interface RowsArgs {
  where?: WhereInput | null;
  orderBy?: readonly { field: string; direction?: 'asc' | 'desc' | null }[] | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  asOf?: AsOf;
}

export interface RowsShape {
  /** GraphQL field name of each filterable where-input field -> Delta column. */
  whereColumns: ReadonlyMap<string, string>;
  /** Delta columns to read (the selected node fields). */
  columns: readonly string[];
}

const DEFAULT_PAGE = 100;

/** An edge whose cursor text is built only if the client selects it (most row queries never do). */
class RowEdge {
  constructor(readonly node: Record<string, unknown>, private readonly version: number, private readonly offset: number) {}
  get cursor(): string {
    return encodePageCursor({ v: this.version, o: this.offset });
  }
}

function pinnedVersion(after?: PagePosition, before?: PagePosition): number | undefined {
  if (after && before && after.v !== before.v) throw badInput('after and before cursors come from different table versions');
  return (after ?? before)?.v;
}

export async function rowsConnection(ctx: GatewayContext, tableName: string, args: RowsArgs, shape: RowsShape) {
  ensurePageSize('first', args.first, ctx.limits.maxPageSize);
  ensurePageSize('last', args.last, ctx.limits.maxPageSize);
  if (args.first != null && args.last != null) throw badInput('pass first or last, not both');
  const after = args.after ? decodePageCursor(args.after) : undefined;
  const before = args.before ? decodePageCursor(args.before) : undefined;
  const version = pinnedVersion(after, before);
  const table = await ctx.catalog.get(tableName);
  const snapshot = await snapshotFor(ctx, tableName, version !== undefined ? { version } : args.asOf);
  const base: ScanRequest = {
    table: tableName,
    storage: table.storage,
    snapshot,
    predicate: whereToPredicate(args.where, shape.whereColumns),
    columns: shape.columns.length ? shape.columns : [snapshot.schema.fields[0]!.name],
    orderBy: (args.orderBy ?? []).map((o): OrderBy => ({ column: o.field, direction: o.direction ?? 'asc' })),
  };
  let total: Promise<number> | undefined;
  const totalCount = () => (total ??= countRows(ctx, base));

  // Window [start, end) of the ordered rows, per the Relay algorithm with offsets.
  let start = after ? after.o + 1 : 0;
  let end = before ? before.o : undefined;
  if (args.last != null) {
    const upper = end ?? (await totalCount());
    start = Math.max(start, upper - args.last);
    end = upper;
  }
  const size = end !== undefined ? Math.max(0, end - start) : (args.first ?? DEFAULT_PAGE);
  const limit = args.first != null ? Math.min(args.first, size) : size;
  const rows = await scanRows(ctx, { ...base, limit: limit + 1, offset: start, stableOrder: true });
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const cursorAt = (i: number) => encodePageCursor({ v: snapshot.version, o: start + i });
  return {
    edges: page.map((node, i) => new RowEdge(node, snapshot.version, start + i)),
    pageInfo: {
      hasNextPage: args.last != null ? (end !== undefined && before !== undefined) : hasMore,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorAt(0) : null,
      endCursor: page.length ? cursorAt(page.length - 1) : null,
    },
    totalCount,
    version: snapshot.version,
  };
}

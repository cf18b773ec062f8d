/**
 * Page cursors, the opaque Relay cursors of connections (rows, changes, files, history): base64url JSON holding
 * the snapshot version a page was read at and a position, so paging stays on one version while the table
 * changes. A cursor that does not decode is BAD_USER_INPUT. (A stream's resume token is another format: see
 * subscriptions/log-stream/resume-token.ts.)
 */
import { badInput } from './errors.ts';

export interface PagePosition {
  /** Snapshot version the connection was read at. */
  v: number;
  /** Zero-based offset of the row (or item) in the connection's order. */
  o: number;
}

/** The page cursor of a position. */
export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a page cursor; throws BAD_USER_INPUT (badInput) when it is not one of ours. */
export function decodePageCursor(cursor: string): PagePosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<PagePosition>;
    if (Number.isInteger(value.v) && Number.isInteger(value.o) && value.v! >= 0 && value.o! >= 0) {
      return { v: value.v!, o: value.o! };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(`invalid cursor "${cursor.slice(0, 40)}"`);
}

/** Checks a page size against the limit; throws BAD_USER_INPUT naming the argument. */
export function ensurePageSize(name: string, value: number | null | undefined, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badInput(`${name} must be between 0 and ${max}, got ${value}`);
  }
}

/**
 * Opaque Relay cursors: base64url JSON holding the snapshot version a page was read at and a position, so
 * paging stays on one version while the table changes. A cursor that does not decode is BAD_USER_INPUT.
 */
import { badInput } from './errors.ts';

export interface CursorPosition {
  /** Snapshot version the connection was read at. */
  v: number;
  /** Zero-based offset of the row (or item) in the connection's order. */
  o: number;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor; throws a BAD_USER_INPUT GraphQLError when it is not one of ours. */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorPosition>;
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

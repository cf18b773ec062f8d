/**
 * Resume tokens. A cursor is the stream position *after* an event: for every partition of the topic, the last
 * offset the stream had processed (delivered or filtered out) when the event was emitted; the event's own
 * partition and offset are one of its entries. Resuming after a cursor replays, per partition, every offset above
 * its entry, so nothing is missed and nothing repeated whatever the interleaving of partitions. Opaque to
 * clients: base64url of `c1.<offset of partition 0>.<offset of partition 1>...` (-1 = before the first offset).
 */
import { GraphQLError } from 'graphql';
import { STREAM_ERROR_CODES } from '../constants.ts';

/** Last processed offset per partition (index = partition number; -1 = nothing processed yet). */
export type Positions = readonly number[];

const PREFIX = 'c1.';
const MAX_PARTITIONS = 10_000;

export function encodeCursor(positions: Positions): string {
  return Buffer.from(PREFIX + positions.join('.'), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor.
 * @throws GraphQLError BAD_USER_INPUT when the text is not a cursor of this gateway.
 */
export function decodeCursor(cursor: string): number[] {
  const bad = () => new GraphQLError('after: not a valid logEvents cursor', { extensions: { code: STREAM_ERROR_CODES.badUserInput } });
  if (typeof cursor !== 'string' || cursor.length > 200_000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) throw bad();
  const parts = text.slice(PREFIX.length).split('.');
  if (parts.length === 0 || parts.length > MAX_PARTITIONS) throw bad();
  const offsets = parts.map((p) => (/^-?\d{1,16}$/.test(p) ? Number(p) : NaN));
  if (offsets.some((o) => !Number.isSafeInteger(o) || o < -1)) throw bad();
  return offsets;
}

/** True when `a` is at or past `b` in every partition `b` knows. */
export function reached(a: Positions, b: Positions): boolean {
  for (let p = 0; p < b.length; p++) if ((a[p] ?? -1) < (b[p] ?? -1)) return false;
  return true;
}

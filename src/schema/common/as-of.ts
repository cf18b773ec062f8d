/** `AsOfInput { version | timestamp }`: time travel on every table field. Exactly one of the two may be set. */
import { badInput } from '../../resolvers/errors.ts';
import type { Builder } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';
import type { AsOf } from '../../sources/table-catalog.ts';

export const addAsOfInput = perBuilder((builder: Builder) =>
  builder.inputType('AsOfInput', {
    description: 'Read the table as of a version, or as of the latest commit at or before a timestamp.',
    fields: (t) => ({ version: t.int(), timestamp: t.field({ type: 'DateTime' }) }),
  }),
);

/** Converts the input, refusing both fields at once and negative versions (BAD_USER_INPUT). */
export function toAsOf(input: { version?: number | null; timestamp?: Date | null } | null | undefined): AsOf | undefined {
  if (!input) return undefined;
  const hasVersion = input.version !== null && input.version !== undefined;
  const hasTimestamp = input.timestamp !== null && input.timestamp !== undefined;
  if (hasVersion && hasTimestamp) throw badInput('asOf takes a version or a timestamp, not both');
  if (hasVersion && input.version! < 0) throw badInput(`asOf.version must be >= 0, got ${input.version}`);
  if (hasVersion) return { version: input.version! };
  if (hasTimestamp) return { timestamp: input.timestamp! };
  return undefined;
}

/**
 * Per-file statistics (PROTOCOL.md "Per-file Statistics"): `add.stats` is a JSON string (numRecords, minValues,
 * maxValues, nullCount keyed by physical column); checkpoints may carry it as the struct `stats_parsed` instead.
 * Parsed lazily and cached, since a big table's stats cost more to parse than the rest of its log.
 */
import type { Add, FileStats } from '../log/actions.ts';

const cache = new WeakMap<Add, FileStats | null>();

/**
 * The file's statistics, or undefined when it has none or they are unreadable (the caller then must not prune
 * the file). `add.statsParsed` wins over the `stats` string when both are set. Results are cached per Add object.
 */
export function fileStats(add: Add): FileStats | undefined {
  if (add.statsParsed) return add.statsParsed;
  if (typeof add.stats !== 'string' || add.stats.length === 0) return undefined;
  const hit = cache.get(add);
  if (hit !== undefined) return hit ?? undefined;
  let parsed: FileStats | null = null;
  try {
    const v: unknown = JSON.parse(add.stats);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) parsed = v as FileStats;
  } catch {
    parsed = null;
  }
  cache.set(add, parsed);
  return parsed ?? undefined;
}

/**
 * Table properties writers honour (PROTOCOL.md "Table Properties" and the reference implementation's
 * `delta.*` keys): checkpoint interval, deleted-file retention for VACUUM, and the number of columns with
 * statistics. Durations are Spark interval strings ("interval 7 days") or short forms ("168h", "30m").
 */
import type { Metadata } from '../log/actions.ts';
import { DeltaError } from '../errors.ts';

const UNIT_MS: Record<string, number> = {
  ms: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/**
 * Parses "interval 7 days", "1 week", "168h" or "90m" into milliseconds.
 * @throws DeltaError INVALID_ARGUMENT for anything else
 */
export function parseDuration(text: string): number {
  const m = /^\s*(?:interval\s+)?(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? UNIT_MS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new DeltaError('INVALID_ARGUMENT', `"${text}" is not a duration (e.g. 168h, 7d, interval 7 days)`);
  return Number(m[1]) * unit;
}

/** `delta.checkpointInterval`: a checkpoint is written at every version divisible by it. Default 10. */
export function checkpointInterval(metadata: Metadata): number {
  const n = Number(metadata.configuration['delta.checkpointInterval'] ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

/** `delta.deletedFileRetentionDuration` in ms: how long removed files stay for time travel. Default 7 days. */
export function deletedFileRetentionMs(metadata: Metadata): number {
  const v = metadata.configuration['delta.deletedFileRetentionDuration'];
  return v ? parseDuration(v) : 7 * 86_400_000;
}

/** `delta.dataSkippingNumIndexedCols`: leaf columns with statistics, -1 for all. Default 32. */
export function statsColumnCount(metadata: Metadata): number {
  const n = Number(metadata.configuration['delta.dataSkippingNumIndexedCols'] ?? 32);
  return Number.isInteger(n) && n >= -1 ? n : 32;
}

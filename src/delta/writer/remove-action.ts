/**
 * Log actions for files already in the table (PROTOCOL.md "Add File and Remove File"): the remove of a live
 * file, and an add re-written to the log without the parsed stats our reader attaches to it.
 */
import type { Add, Remove } from '../log/actions.ts';

/** The remove action of a live file, carrying its partition values, size and stats (extendedFileMetadata). */
export function removeOf(add: Add, now: number, dataChange: boolean): Remove {
  return {
    path: add.path,
    deletionTimestamp: now,
    dataChange,
    extendedFileMetadata: true,
    partitionValues: add.partitionValues,
    size: add.size,
    ...(add.stats ? { stats: add.stats } : {}),
  };
}

/** `add` as it goes into the log: `statsParsed` is reader state, not part of the action. */
export function logAdd(add: Add, dataChange: boolean): Add {
  const { statsParsed: _parsed, ...rest } = add;
  return { ...rest, dataChange };
}

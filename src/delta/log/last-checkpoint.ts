/**
 * The `_last_checkpoint` file (PROTOCOL.md "Last Checkpoint File"): a JSON hint naming the most recent checkpoint.
 * It may be stale (a writer crashed before updating it) or corrupt, so it is only ever a hint: the listing of
 * `_delta_log/` decides, and an unreadable hint is treated as absent.
 */
import type { DeltaStorage } from '../storage.ts';
import { LAST_CHECKPOINT_PATH } from './log-path.ts';

/** The fields of `_last_checkpoint` the reader uses. */
export interface LastCheckpointHint {
  version: number;
  /** Number of actions in the checkpoint. */
  size?: number;
  /** Number of parts of a multi-part checkpoint. */
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
  /** Path of the v2 checkpoint when one was written (`v2Checkpoint.path`). */
  v2CheckpointPath?: string;
}

/** Parses `_last_checkpoint` text; undefined when it is not valid JSON or has no non-negative integer version. */
export function parseLastCheckpoint(text: string): LastCheckpointHint | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const version = r.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) return undefined;
  const hint: LastCheckpointHint = { version };
  if (isCount(r.size)) hint.size = r.size;
  if (isCount(r.parts) && r.parts > 0) hint.parts = r.parts;
  if (isCount(r.sizeInBytes)) hint.sizeInBytes = r.sizeInBytes;
  if (isCount(r.numOfAddFiles)) hint.numOfAddFiles = r.numOfAddFiles;
  const v2 = r.v2Checkpoint as Record<string, unknown> | undefined;
  if (v2 && typeof v2 === 'object' && typeof v2.path === 'string') hint.v2CheckpointPath = v2.path;
  return hint;
}

/** Reads the hint; never throws (a missing, unreadable or corrupt file gives undefined). */
export async function loadLastCheckpoint(storage: DeltaStorage): Promise<LastCheckpointHint | undefined> {
  try {
    const bytes = await storage.read(LAST_CHECKPOINT_PATH);
    return parseLastCheckpoint(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

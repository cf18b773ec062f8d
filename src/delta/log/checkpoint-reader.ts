/**
 * Checkpoints (PROTOCOL.md "Checkpoints", "Sidecar Files", "V2 Spec"): the table state at a version as parquet
 * (classic single file, or multi-part) or as a UUID-named v2 checkpoint in JSON or parquet whose `sidecar` actions
 * point at parquet files under `_delta_log/_sidecars/` holding the file actions. Read through the ParquetReader seam.
 */
import type { Action, Add, Sidecar } from './actions.ts';
import { readCommit } from './commit-reader.ts';
import { DeltaError, isDeltaError } from '../errors.ts';
import { SIDECAR_DIR } from './log-path.ts';
import type { CheckpointFiles } from './log-segment.ts';
import type { ParquetReader } from '../parquet-reader.ts';
import type { DeltaStorage } from '../storage.ts';

/** Checkpoint columns replay needs; `remove` is left out because checkpoint removes are tombstones only. */
const CHECKPOINT_COLUMNS = ['add', 'metaData', 'protocol', 'txn', 'domainMetadata', 'sidecar'];
const SIDECAR_COLUMNS = ['add'];

/**
 * Reads a checkpoint's actions (adds, protocol, metadata, txns, domain metadata), following sidecars.
 * @throws DeltaError CORRUPT_LOG naming the checkpoint file when it (or a sidecar) cannot be read or is malformed.
 */
export async function readCheckpoint(storage: DeltaStorage, reader: ParquetReader, cp: CheckpointFiles): Promise<Action[]> {
  const first = cp.files[0]!;
  const names = cp.files.map((f) => f.meta.path).join(', ');
  try {
    let actions: Action[];
    if (first.ext === 'json') actions = await readCommit(storage, first.meta.path);
    else actions = rowsToActions(await reader.readRows(cp.files.map((f) => storage.resolve(f.meta.path)), CHECKPOINT_COLUMNS));
    const sidecars: Sidecar[] = [];
    const out: Action[] = [];
    for (const a of actions) {
      if ('sidecar' in a) sidecars.push(a.sidecar);
      else if (!('remove' in a) && !('commitInfo' in a)) out.push(a);
    }
    if (sidecars.length > 0) {
      const locations = sidecars.map((s) => storage.resolve(sidecarPath(s.path)));
      for (const a of rowsToActions(await reader.readRows(locations, SIDECAR_COLUMNS))) out.push(a);
    }
    return out;
  } catch (e) {
    if (isDeltaError(e) && e.code !== 'IO_ERROR') throw e;
    throw new DeltaError('CORRUPT_LOG', `cannot read checkpoint ${names}: ${(e as Error).message}`, { cause: e });
  }
}

/** A sidecar's location relative to the table root (its path is relative to `_delta_log/_sidecars/` unless absolute). */
export function sidecarPath(path: string): string {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path) || path.startsWith('/') ? path : `${SIDECAR_DIR}/${path}`;
}

/** Maps checkpoint rows (one action per row, other columns null) to actions. */
export function rowsToActions(rows: Record<string, unknown>[]): Action[] {
  const out: Action[] = [];
  for (const row of rows) {
    const add = row.add as Record<string, unknown> | null | undefined;
    if (add) {
      if (add.path != null) out.push({ add: normalizeAdd(add) });
      continue;
    }
    for (const col of CHECKPOINT_COLUMNS) {
      const v = row[col];
      if (v != null && col !== 'add') {
        out.push({ [col]: dropNulls(v as Record<string, unknown>) } as unknown as Action);
        break;
      }
    }
  }
  return out;
}

function normalizeAdd(raw: Record<string, unknown>): Add {
  const add = dropNulls(raw);
  if (add.partitionValues == null) add.partitionValues = {};
  const parsed = add.stats_parsed;
  if (add.stats == null && parsed && typeof parsed === 'object') add.statsParsed = parsed;
  delete add.stats_parsed;
  delete add.partitionValues_parsed;
  return add as unknown as Add;
}

/** Parquet gives every absent optional field as null; actions leave them out. Shallow: nested nulls are data. */
function dropNulls(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== null) out[k] = o[k];
  return out;
}

/**
 * Log listing (delta-kernel-rs `list_log_files`): the files directly under `_delta_log/`, parsed by name and
 * sorted by version. Files that are not log files are skipped, never an error; a table without any commit or
 * checkpoint is not a Delta table.
 */
import { DeltaError } from '../errors.ts';
import { LOG_DIR, parseLogFileName, type LogFile } from './log-path.ts';
import type { DeltaStorage } from '../storage.ts';

const KIND_ORDER: Record<LogFile['kind'], number> = {
  lastCheckpoint: 0,
  checkpoint: 1,
  multipartCheckpoint: 2,
  v2Checkpoint: 3,
  compaction: 4,
  commit: 5,
  crc: 6,
};

/**
 * Lists and parses `_delta_log/`, sorted by version, then kind, then part. `_last_checkpoint` is left out (read it
 * with loadLastCheckpoint).
 * @throws DeltaError TABLE_NOT_FOUND when the folder holds no commit and no checkpoint.
 */
export async function listLogFiles(storage: DeltaStorage): Promise<LogFile[]> {
  const metas = await storage.list(LOG_DIR);
  const files: LogFile[] = [];
  for (const meta of metas) {
    const parsed = parseLogFileName(meta.path.slice(meta.path.lastIndexOf('/') + 1));
    if (parsed && parsed.kind !== 'lastCheckpoint') files.push({ ...parsed, meta });
  }
  files.sort(compareLogFiles);
  if (!files.some((f) => f.kind === 'commit' || isCheckpointKind(f.kind))) {
    throw new DeltaError('TABLE_NOT_FOUND', `no Delta table at ${storage.root}: ${LOG_DIR}/ holds no commit or checkpoint`);
  }
  return files;
}

/** True for the three checkpoint naming schemes. */
export function isCheckpointKind(kind: LogFile['kind']): boolean {
  return kind === 'checkpoint' || kind === 'multipartCheckpoint' || kind === 'v2Checkpoint';
}

function compareLogFiles(a: LogFile, b: LogFile): number {
  return a.version - b.version || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.parts ?? 0) - (b.parts ?? 0) ||
    (a.part ?? 0) - (b.part ?? 0) || (a.meta.path < b.meta.path ? -1 : a.meta.path > b.meta.path ? 1 : 0);
}

/**
 * Log file names (PROTOCOL.md "Delta Log Entries", "Checkpoints", "Log Compaction Files", "Last Checkpoint File",
 * "Version Checksum File"): every file directly under `_delta_log/` is named by a zero-padded 20-digit version.
 * Parsing is total: a name that is not a log file (temp files, `_staged_commits/`, junk) gives undefined.
 */
import type { FileMeta } from '../storage.ts';

export const LOG_DIR = '_delta_log';
export const LAST_CHECKPOINT_PATH = `${LOG_DIR}/_last_checkpoint`;
export const SIDECAR_DIR = `${LOG_DIR}/_sidecars`;

export type LogFileKind =
  | 'commit'
  | 'checkpoint'
  | 'multipartCheckpoint'
  | 'v2Checkpoint'
  | 'crc'
  | 'compaction'
  | 'lastCheckpoint';

/** What a log file name says about itself. `version` is -1 for `_last_checkpoint`. */
export interface LogFileName {
  kind: LogFileKind;
  version: number;
  /** 1-based part number of a multi-part checkpoint. */
  part?: number;
  /** Number of parts of a multi-part checkpoint. */
  parts?: number;
  /** UUID of a UUID-named v2 checkpoint. */
  uuid?: string;
  /** Last version covered by a log compaction file (`version` is the first). */
  endVersion?: number;
  ext: 'json' | 'parquet' | 'crc' | '';
}

/** A listed log file: its parsed name plus its size and mtime. */
export interface LogFile extends LogFileName {
  meta: FileMeta;
}

const COMMIT = /^(\d{20})\.json$/;
const CLASSIC = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;
const V2 = /^(\d{20})\.checkpoint\.([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.(json|parquet)$/;
const CRC = /^(\d{20})\.crc$/;
const COMPACTION = /^(\d{20})\.(\d{20})\.compacted\.json$/;

/**
 * Parses a file name (the last path segment, or a path under `_delta_log/`). Returns undefined for anything that
 * is not a log file of this table, including files in sub-folders such as `_staged_commits/` or `.tmp/`.
 */
export function parseLogFileName(pathOrName: string): LogFileName | undefined {
  let name = pathOrName;
  if (name.startsWith(`${LOG_DIR}/`)) name = name.slice(LOG_DIR.length + 1);
  if (name.includes('/')) return undefined;
  if (name === '_last_checkpoint') return { kind: 'lastCheckpoint', version: -1, ext: '' };
  let m = COMMIT.exec(name);
  if (m) return { kind: 'commit', version: Number(m[1]), ext: 'json' };
  m = CLASSIC.exec(name);
  if (m) return { kind: 'checkpoint', version: Number(m[1]), ext: 'parquet' };
  m = MULTIPART.exec(name);
  if (m) {
    const part = Number(m[2]);
    const parts = Number(m[3]);
    if (part < 1 || part > parts) return undefined;
    return { kind: 'multipartCheckpoint', version: Number(m[1]), part, parts, ext: 'parquet' };
  }
  m = V2.exec(name);
  if (m) return { kind: 'v2Checkpoint', version: Number(m[1]), uuid: m[2]!, ext: m[3] as 'json' | 'parquet' };
  m = CRC.exec(name);
  if (m) return { kind: 'crc', version: Number(m[1]), ext: 'crc' };
  m = COMPACTION.exec(name);
  if (m) {
    const version = Number(m[1]);
    const endVersion = Number(m[2]);
    return endVersion >= version ? { kind: 'compaction', version, endVersion, ext: 'json' } : undefined;
  }
  return undefined;
}

/** Zero-pads a version to the 20 digits log file names use. */
export function padVersion(version: number): string {
  return String(version).padStart(20, '0');
}

/** `_delta_log/<v>.json` */
export function commitPath(version: number): string {
  return `${LOG_DIR}/${padVersion(version)}.json`;
}

/** `_delta_log/<v>.checkpoint.parquet` (classic single-file checkpoint) */
export function checkpointPath(version: number): string {
  return `${LOG_DIR}/${padVersion(version)}.checkpoint.parquet`;
}

/** `_delta_log/<v>.checkpoint.<part>.<parts>.parquet`, part 1-based and both padded to 10 digits. */
export function multipartCheckpointPath(version: number, part: number, parts: number): string {
  const p = (n: number) => String(n).padStart(10, '0');
  return `${LOG_DIR}/${padVersion(version)}.checkpoint.${p(part)}.${p(parts)}.parquet`;
}

/** `_delta_log/<v>.checkpoint.<uuid>.<ext>` (UUID-named v2 checkpoint) */
export function v2CheckpointPath(version: number, uuid: string, ext: 'json' | 'parquet'): string {
  return `${LOG_DIR}/${padVersion(version)}.checkpoint.${uuid}.${ext}`;
}

/** `_delta_log/<v>.crc` */
export function crcPath(version: number): string {
  return `${LOG_DIR}/${padVersion(version)}.crc`;
}

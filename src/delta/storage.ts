/**
 * The one I/O interface of the Delta layer (as delta-kernel-rs passes an engine's storage handler):
 * every log read, listing and write goes through a DeltaStorage rooted at one table's folder.
 * Paths are relative to the table root and use '/' separators.
 */

export interface FileMeta {
  /** Path relative to the table root, e.g. `_delta_log/00000000000000000000.json`. */
  path: string;
  size: number;
  /** Milliseconds since the epoch. */
  modificationTime: number;
}

export interface DeltaStorage {
  /** Human-readable root (a folder path or URL), for messages and for DuckDB locations. */
  readonly root: string;
  /** Files directly under `dir` (relative), sorted by path. A missing folder gives []. */
  list(dir: string): Promise<FileMeta[]>;
  /**
   * Every file under `dir` at any depth, sorted by path (VACUUM needs it to find files no commit names).
   * Optional: storages without it cannot be vacuumed.
   */
  listRecursive?(dir: string): Promise<FileMeta[]>;
  /** Whole file. Throws DeltaError IO_ERROR naming the path when it is missing or unreadable. */
  read(path: string): Promise<Uint8Array>;
  /**
   * Whole file at an absolute URI or path (deletion vectors stored with storageType `p`). Optional: without it
   * such deletion vectors are refused. Throws DeltaError IO_ERROR like `read`.
   */
  readAbsolute?(uri: string): Promise<Uint8Array>;
  /** Size and mtime, or undefined when absent. */
  stat(path: string): Promise<FileMeta | undefined>;
  /** Creates the file only if absent; returns false (never overwrites) when it already exists. */
  writeIfAbsent(path: string, data: Uint8Array): Promise<boolean>;
  /** Creates or replaces a file atomically (write to a temp name, then rename). */
  write(path: string, data: Uint8Array): Promise<void>;
  delete(path: string): Promise<void>;
  /** Location DuckDB can read (absolute local path or URL) for a relative path or absolute URI. */
  resolve(path: string): string;
}

/**
 * The seam through which the writer runs SQL (staging batches, writing parquet data files and checkpoints,
 * computing per-file statistics). The DuckDB adapter in src/sources implements it; src/delta never imports
 * DuckDB and never touches the local file system outside DeltaStorage.
 */

/** Scratch files that live as long as one session (staged batches, checkpoint parquet before upload). */
export interface ScratchSpace {
  /** Writes a scratch file and returns the location SQL can read it from. */
  write(name: string, data: string | Uint8Array): Promise<string>;
  /** The location for a scratch file SQL will write (e.g. COPY ... TO). */
  location(name: string): string;
  /** Reads back a scratch file. */
  read(name: string): Promise<Uint8Array>;
}

/** One connection's worth of SQL. Temp tables created in it must be dropped by their creator. */
export interface SqlSession {
  /** Runs one or more statements, discarding results. */
  run(sql: string): Promise<void>;
  /** Runs a query; values come back JSON-like (BIGINT and HUGEINT as strings, structs as objects). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  /** `COPY (select) TO location (FORMAT parquet, COMPRESSION zstd)`; creates local parent folders. */
  copyToParquet(selectSql: string, location: string): Promise<void>;
  readonly scratch: ScratchSpace;
}

/** Hands out sessions; everything a writer does for one write happens in one session. */
export interface SqlEngine {
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

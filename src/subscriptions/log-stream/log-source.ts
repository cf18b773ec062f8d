/**
 * The seam between the hub and where records come from: Kafka (sources/kafka-log-source.ts) or the in-process
 * demo stream (demo-stream.ts). Both number records by partition and offset, so cursors, replay and dedupe work
 * the same over either.
 */
import type { Positions } from './resume-token.ts';
import type { LogRecord } from './log-event.ts';

/** A per-subscriber reader of older records, from given positions onwards, that keeps reading new ones. */
export interface ReplayReader {
  /** The next records, in offset order per partition; [] after a short idle wait when there is nothing new. */
  read(): Promise<LogRecord[]>;
  close(): Promise<void>;
}

export interface LogRecordSource {
  /** For logs and errors, e.g. `kafka:logs` or `demo`. */
  readonly name: string;
  /**
   * Starts live delivery at the current end of every partition and resolves with the last offset per partition
   * before the first record `onRecords` will get (retries until the source is reachable or closed).
   * Records arrive in offset order per partition; a restart after a failure resumes where delivery stopped
   * (records may repeat: the hub dedupes by offset). The source waits for the promise `onRecords` returns before
   * handing over more (the hub yields to the event loop between chunks; it never waits for subscribers).
   */
  start(onRecords: (records: LogRecord[]) => void | Promise<void>): Promise<Positions>;
  /** A reader of every record after `after` (per partition); partitions missing from `after` start at their end. */
  openReplay(after: Positions): Promise<ReplayReader>;
  /** Per partition, the offset just before the first record whose timestamp is >= `timestampMs`. */
  positionsBefore(timestampMs: number): Promise<Positions>;
  close(): Promise<void>;
}

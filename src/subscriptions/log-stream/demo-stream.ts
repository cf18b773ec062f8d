/**
 * The embedded record source used when no KAFKA_BROKERS is configured: one synthetic partition (0) whose
 * offsets increase from 0, filled by a timer at `rate` events per second, keeping the newest `retention`
 * records in memory so cursors and `since:` work like over Kafka (older offsets are gone, like after retention).
 */
import { REPLAY_IDLE_CHECK_MS } from '../constants.ts';
import type { Positions } from './resume-token.ts';
import { encodeLogEvent, type LogRecord } from './log-event.ts';
import { createDemoEventGenerator } from './demo-events.ts';
import type { LogRecordSource, ReplayReader } from './log-source.ts';

export interface DemoStreamOptions {
  /** Events per second (> 0). */
  rate: number;
  /** Records kept for replay. */
  retention: number;
  /** Tick of the timer, ms (default 50). */
  tickMs?: number;
}

const READ_BATCH = 1_000;

export function createDemoStream(options: DemoStreamOptions): LogRecordSource & { append(value: Buffer, timestamp?: number): void } {
  const ring: LogRecord[] = [];
  let first = 0; // offset of ring[0]
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let sink: ((records: LogRecord[]) => void | Promise<void>) | undefined;
  const waiters = new Set<() => void>();
  const generate = createDemoEventGenerator();
  const tickMs = options.tickMs ?? 50;

  function append(value: Buffer, timestamp = Date.now()): LogRecord {
    const record: LogRecord = { partition: 0, offset: next++, timestamp, value };
    ring.push(record);
    if (ring.length > options.retention) {
      ring.splice(0, ring.length - options.retention);
      first = next - ring.length;
    }
    return record;
  }

  function emit(records: LogRecord[]): void {
    if (records.length === 0) return;
    void sink?.(records); // small batches: fanned out synchronously
    for (const w of [...waiters]) w();
  }

  let owed = 0;
  function tick(): void {
    owed += (options.rate * tickMs) / 1000;
    const batch: LogRecord[] = [];
    const now = Date.now();
    for (; owed >= 1; owed--) batch.push(append(Buffer.from(encodeLogEvent(generate(now)))));
    emit(batch);
  }

  function indexAfter(offset: number): number {
    return Math.max(0, offset + 1 - first);
  }

  return {
    name: 'demo',
    append: (value, timestamp) => emit([append(value, timestamp)]),
    async start(onRecords) {
      sink = onRecords;
      timer ??= setInterval(tick, tickMs);
      timer.unref();
      return [next - 1];
    },
    async openReplay(after: Positions): Promise<ReplayReader> {
      let position = after[0] ?? next - 1;
      let open = true;
      return {
        async read() {
          if (!open) return [];
          if (position >= next - 1) {
            await new Promise<void>((resolve) => {
              const done = () => (waiters.delete(done), clearTimeout(t), resolve());
              const t = setTimeout(done, REPLAY_IDLE_CHECK_MS);
              waiters.add(done);
            });
          }
          const i = indexAfter(position);
          const records = ring.slice(i, i + READ_BATCH);
          if (records.length > 0) position = records[records.length - 1]!.offset;
          return records;
        },
        async close() {
          open = false;
        },
      };
    },
    async positionsBefore(timestampMs) {
      let lo = 0;
      let hi = ring.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ring[mid]!.timestamp < timestampMs) lo = mid + 1;
        else hi = mid;
      }
      return [first + lo - 1];
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      sink = undefined;
      for (const w of [...waiters]) w();
    },
  };
}

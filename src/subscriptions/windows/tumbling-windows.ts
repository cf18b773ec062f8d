/**
 * Tumbling error-rate windows by event time. A window [start, start + size) closes once the watermark passes its
 * end; the watermark is max(newest event time seen, wall clock) minus the allowed lateness, so windows close in
 * quiet periods too, and an event up to `allowedLatenessMs` late still counts. Events for an already closed
 * window are counted as late and left out. Pure: the caller supplies the clock.
 */
import { ERROR_STATUS_MIN } from '../constants.ts';
import type { LogEventFields } from '../log-stream/log-event.ts';

export type WindowDimension = 'ENDPOINT' | 'SOURCE' | 'METHOD' | 'ALL';

/** One closed window for one value of the dimension. */
export interface WindowCount {
  windowStart: number;
  windowEnd: number;
  dimension: WindowDimension;
  key: string;
  requests: number;
  errors: number;
  /** errors / requests. */
  rate: number;
  /** Sum of response times (ms), for means. */
  responseTimeSum: number;
}

export function isErrorEvent(e: Pick<LogEventFields, 'status' | 'level'>): boolean {
  return e.status >= ERROR_STATUS_MIN || e.level === 'ERROR' || e.level === 'FATAL';
}

export function dimensionKey(e: LogEventFields, by: WindowDimension): string {
  return by === 'ENDPOINT' ? e.endpoint : by === 'SOURCE' ? e.source : by === 'METHOD' ? e.method : '*';
}

export interface TumblingWindows {
  add(e: LogEventFields): void;
  /** Closes the windows the watermark has passed at wall-clock `now`; their rows ordered by start, then key. */
  advance(now: number): WindowCount[];
  readonly lateEvents: number;
}

export function createTumblingWindows(sizeMs: number, by: WindowDimension, allowedLatenessMs: number): TumblingWindows {
  const open = new Map<number, Map<string, { requests: number; errors: number; rt: number }>>();
  let newestEvent = -Infinity;
  let closedUpTo = -Infinity; // every window ending at or before this is closed
  let late = 0;
  return {
    add(e) {
      const start = Math.floor(e.timestamp / sizeMs) * sizeMs;
      if (start + sizeMs <= closedUpTo) {
        late++;
        return;
      }
      newestEvent = Math.max(newestEvent, e.timestamp);
      let keys = open.get(start);
      if (!keys) open.set(start, (keys = new Map()));
      const key = dimensionKey(e, by);
      let c = keys.get(key);
      if (!c) keys.set(key, (c = { requests: 0, errors: 0, rt: 0 }));
      c.requests++;
      c.rt += e.responseTimeMs;
      if (isErrorEvent(e)) c.errors++;
    },
    advance(now) {
      const watermark = Math.max(newestEvent, now) - allowedLatenessMs;
      const out: WindowCount[] = [];
      for (const start of [...open.keys()].sort((a, b) => a - b)) {
        if (start + sizeMs > watermark) break;
        const keys = open.get(start)!;
        open.delete(start);
        for (const [key, c] of [...keys].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          out.push({ windowStart: start, windowEnd: start + sizeMs, dimension: by, key, requests: c.requests, errors: c.errors, rate: c.errors / c.requests, responseTimeSum: c.rt });
        }
      }
      closedUpTo = Math.max(closedUpTo, Math.floor(watermark / sizeMs) * sizeMs);
      return out;
    },
    get lateEvents() {
      return late;
    },
  };
}

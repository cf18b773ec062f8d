/**
 * The typed log event of the live stream and its decoder. A Kafka message value is one JSON object with the
 * demo `logs` table's columns (snake_case, as in the Delta table; camelCase is accepted too). Anything else
 * (not JSON, missing or mistyped fields, larger than the size limit) is a bad record: counted and skipped.
 */

/** Where a record sits in the stream: partition and offset (offsets are below 2^53). */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

/** A raw record from a stream source (Kafka or the in-process demo stream). */
export interface LogRecord extends RecordPosition {
  /** Broker (or demo) timestamp, epoch ms. */
  readonly timestamp: number;
  readonly value: Buffer | null;
}

export interface LogEventFields {
  /** Epoch ms. */
  readonly timestamp: number;
  readonly level: string;
  readonly source: string;
  readonly endpoint: string;
  readonly method: string;
  readonly status: number;
  readonly responseTimeMs: number;
  readonly userId: string | null;
  readonly sessionId: string;
  readonly message: string | null;
}

export interface LogEvent extends LogEventFields, RecordPosition {
  /** Opaque resume token (see cursor.ts). */
  readonly cursor: string;
  /** Offsets of this partition skipped right before this event (data lost by Kafka), else 0. */
  readonly gapBefore: number;
}

export type DecodeResult = { ok: true; fields: LogEventFields } | { ok: false; reason: string };

function text(o: Record<string, unknown>, ...names: string[]): string | null | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string') return v;
    if (v === null) return null;
  }
  return undefined;
}

function num(o: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
}

// Consecutive events mostly share their timestamp text (a producer stamps a whole batch): parse it once.
let lastTimestampText = '';
let lastTimestamp: number | undefined;

function timestampOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.getTime();
  if (typeof v !== 'string') return undefined;
  if (v === lastTimestampText) return lastTimestamp;
  // Delta/DuckDB text ("2024-05-01 12:00:00.123+00") as well as ISO-8601.
  const t = Date.parse(v.includes('T') ? v : v.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  lastTimestampText = v;
  lastTimestamp = Number.isNaN(t) ? undefined : t;
  return lastTimestamp;
}

/** Decodes one JSON object (a message value or a Delta row) into event fields; never throws. */
export function decodeLogObject(o: Record<string, unknown>): DecodeResult {
  const timestamp = timestampOf(o.timestamp);
  const level = text(o, 'level');
  const source = text(o, 'source');
  const endpoint = text(o, 'endpoint');
  const method = text(o, 'method');
  const status = num(o, 'status');
  const responseTimeMs = num(o, 'response_time_ms', 'responseTimeMs');
  const sessionId = text(o, 'session_id', 'sessionId');
  if (timestamp == null || level == null || source == null || endpoint == null || method == null || status == null || responseTimeMs == null || sessionId == null) {
    const missing = Object.entries({ timestamp, level, source, endpoint, method, status, responseTimeMs, sessionId })
      .filter(([, v]) => v === undefined || v === null)
      .map(([k]) => k);
    return { ok: false, reason: `missing or mistyped ${missing.join(', ')}` };
  }
  if (!Number.isInteger(status)) return { ok: false, reason: 'status is not an integer' };
  return {
    ok: true,
    fields: {
      timestamp, level, source, endpoint, method, status, responseTimeMs, sessionId,
      userId: text(o, 'user_id', 'userId') ?? null,
      message: text(o, 'message') ?? null,
    },
  };
}

/** Decodes a message value: JSON object within `maxBytes`. */
export function decodeLogRecord(value: Buffer | null, maxBytes: number): DecodeResult {
  if (value === null) return { ok: false, reason: 'empty value' };
  if (value.length > maxBytes) return { ok: false, reason: `oversized (${value.length} > ${maxBytes} bytes)` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, reason: 'not a JSON object' };
  return decodeLogObject(parsed as Record<string, unknown>);
}

/** The message value of an event, as produced to Kafka (snake_case, ISO timestamp). */
export function encodeLogEvent(e: LogEventFields): string {
  return JSON.stringify({
    timestamp: new Date(e.timestamp).toISOString(), level: e.level, source: e.source, endpoint: e.endpoint,
    method: e.method, status: e.status, response_time_ms: e.responseTimeMs, user_id: e.userId,
    session_id: e.sessionId, message: e.message,
  });
}

/**
 * A small web-log table with hand-checkable content, written by delta-rs (an independent Delta writer):
 * version 0 holds ids 1–6 (date 2024-05-01), version 1 appends ids 7–10 (date 2024-05-02).
 * `appendWeblogs` adds more rows as a new version (for paging across a concurrent append).
 */
import { runDeltaRsJson } from './delta-rs.ts';

export interface WeblogRow {
  id: number;
  ts: string;
  level: string;
  endpoint: string;
  status: number;
  response_time_ms: number;
  user_id: number | null;
  session_id: string | null;
  message: string | null;
  date: string;
}

const r = (id: number, ts: string, level: string, endpoint: string, status: number, rt: number, user: number | null, session: string | null, message: string | null): WeblogRow => ({
  id, ts, level, endpoint, status, response_time_ms: rt, user_id: user, session_id: session, message, date: ts.slice(0, 10),
});

export const WEBLOGS_V0: WeblogRow[] = [
  r(1, '2024-05-01T10:00:00Z', 'INFO', '/api/users', 200, 100, 1, 's1', 'ok'),
  r(2, '2024-05-01T10:01:00Z', 'ERROR', '/api/users', 500, 300, 1, 's1', 'boom'),
  r(3, '2024-05-01T10:02:00Z', 'INFO', '/api/orders', 201, 50, 2, 's2', 'created'),
  r(4, '2024-05-01T10:03:00Z', 'WARN', '/api/orders', 404, 20, 2, 's2', 'missing'),
  r(5, '2024-05-01T10:04:00Z', 'ERROR', '/api/orders', 503, 900, 3, 's3', 'unavailable'),
  r(6, '2024-05-01T10:05:00Z', 'INFO', '/api/users', 200, 120, 3, 's3', null),
];

export const WEBLOGS_V1: WeblogRow[] = [
  r(7, '2024-05-02T09:00:00Z', 'INFO', '/api/users', 200, 80, 1, 's4', 'ok'),
  r(8, '2024-05-02T09:10:00Z', 'ERROR', '/api/users', 500, 400, 1, 's4', 'boom again'),
  r(9, '2024-05-02T09:20:00Z', 'INFO', '/health', 200, 5, null, null, 'probe'),
  r(10, '2024-05-02T09:30:00Z', 'INFO', '/api/orders', 200, 60, 2, 's5', 'ok'),
];

const WRITE = `
import pyarrow as pa
from datetime import datetime
from deltalake import write_deltalake
schema = pa.schema([
  ("id", pa.int64()), ("ts", pa.timestamp("us", tz="UTC")), ("level", pa.string()), ("endpoint", pa.string()),
  ("status", pa.int32()), ("response_time_ms", pa.float64()), ("user_id", pa.int64()), ("session_id", pa.string()),
  ("message", pa.string()), ("date", pa.string()),
])
for batch in INPUT["batches"]:
  rows = [dict(r, ts=datetime.fromisoformat(r["ts"].replace("Z", "+00:00"))) for r in batch]
  table = pa.Table.from_pylist(rows, schema=schema)
  write_deltalake(INPUT["path"], table, mode="append", partition_by=["date"])
emit(True)
`;

/** Writes version 0 and 1 of the table at `path`. */
export async function writeWeblogs(path: string): Promise<void> {
  await runDeltaRsJson(WRITE, { path, batches: [WEBLOGS_V0, WEBLOGS_V1] });
}

/** Appends rows as one new version. */
export async function appendWeblogs(path: string, rows: WeblogRow[]): Promise<void> {
  await runDeltaRsJson(WRITE, { path, batches: [rows] });
}

export { r as weblogRow };

import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { SqlQuery } from '../../src/analytics/index.ts';

/** An in-memory DuckDB for the analytics tests: run builder output as a prepared statement, read JS values. */
export interface TestDuck {
  conn: DuckDBConnection;
  exec(sql: string): Promise<void>;
  run<T>(query: SqlQuery): Promise<T[]>;
  close(): void;
}

export async function openTestDuck(): Promise<TestDuck> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  return {
    conn,
    async exec(sql) {
      await conn.run(sql);
    },
    async run<T>(query: SqlQuery): Promise<T[]> {
      const prepared = await conn.prepare(query.sql);
      try {
        prepared.bind(query.params as DuckDBValue[]);
        const reader = await prepared.runAndReadAll();
        return reader.getRowObjectsJS() as T[];
      } finally {
        prepared.destroySync();
      }
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * 21 hand-written log rows plus one with a NULL timestamp (left out by every builder). The response time column
 * is named `resp "ms"` and the user column `user` so identifier quoting is exercised for real.
 */
export const LOGS_SQL = `
CREATE TABLE logs AS SELECT * FROM (VALUES
  (TIMESTAMP '2024-05-01 10:00:00', 'INFO',  200, '/a', 'web', 100.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:01:00', 'INFO',  200, '/a', 'web', 120.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:02:00', 'ERROR', 500, '/a', 'web', 300.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:03:00', 'INFO',  503, '/a', 'web', 500.0, 'u2', 's2'),
  (TIMESTAMP '2024-05-01 10:04:00', 'INFO',  200, '/a', 'web', 110.0, 'u2', 's2'),
  (TIMESTAMP '2024-05-01 10:20:00', 'ERROR', 200, '/a', 'api', 200.0, 'u2', 's3'),
  (TIMESTAMP '2024-05-01 10:21:00', 'INFO',  200, '/a', 'api', 130.0, 'u2', 's3'),
  (TIMESTAMP '2024-05-01 10:40:00', 'WARN',  404, '/a', 'api',  90.0, 'u3', 's4'),
  (TIMESTAMP '2024-05-01 10:05:00', 'INFO',  200, '/b', 'web',  50.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:06:00', 'INFO',  200, '/b', 'web',  60.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:07:00', 'INFO',  502, '/b', 'web', 700.0, 'u1', 's1'),
  (TIMESTAMP '2024-05-01 10:30:00', 'INFO',  200, '/b', 'api',  40.0, 'u3', 's4'),
  (TIMESTAMP '2024-05-01 10:31:00', 'INFO',  200, '/b', 'api',  70.0, 'u3', 's4'),
  (TIMESTAMP '2024-05-01 10:50:00', 'INFO',  200, '/b', 'api',  80.0, NULL, NULL),
  (TIMESTAMP '2024-05-01 10:10:00', 'INFO',  200, '/c', 'api',  10.0, 'u4', 's5'),
  (TIMESTAMP '2024-05-01 10:11:00', 'INFO',  200, '/c', 'api',  20.0, 'u4', 's5'),
  (TIMESTAMP '2024-05-01 10:12:00', 'INFO',  200, '/c', 'api',  30.0, 'u4', 's5'),
  (TIMESTAMP '2024-05-01 10:13:00', 'INFO',  200, '/c', 'api',  40.0, 'u4', 's5'),
  (TIMESTAMP '2024-05-01 11:30:00', 'error', 200, '/c', 'api',  NULL, 'u4', 's6'),
  (TIMESTAMP '2024-05-01 11:35:00', 'INFO',  200, '/c', 'api',  60.0, 'u4', 's6'),
  (TIMESTAMP '2024-05-01 09:59:00', 'INFO',  200, '/d', 'web',   5.0, 'u5', NULL),
  (NULL::TIMESTAMP,                 'INFO',  500, '/a', 'web', 999.0, 'u1', 's1')
) AS t(ts, level, status, endpoint, source, "resp ""ms""", "user", session)`;

export const LOGS_ROLES = {
  timestamp: 'ts',
  level: 'level',
  status: 'status',
  endpoint: 'endpoint',
  source: 'source',
  responseTime: 'resp "ms"',
  user: 'user',
  session: 'session',
};

/** A UTC instant on 2024-05-01, e.g. at('10:15') -> 2024-05-01T10:15:00Z. */
export function at(hhmm: string): Date {
  return new Date(`2024-05-01T${hhmm}:00Z`);
}

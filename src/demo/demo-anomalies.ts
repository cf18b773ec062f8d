/**
 * The anomalies the demo lake injects on purpose, at times derived only from the lake's first day and length,
 * so tests (and the anomaly analytics) can assert they are found. The schedule is also stored in the `logs`
 * table's properties (`demo.anomalies`) and in the commitInfo of the day that holds each one.
 */

/** One injected anomaly: a UTC time window and the traffic it affects. */
export interface DemoAnomaly {
  kind: 'error_burst' | 'latency_spike' | 'auth_failures';
  /** ISO-8601 UTC, inclusive. */
  start: string;
  /** ISO-8601 UTC, exclusive. */
  end: string;
  /** The source service whose requests are affected. */
  source: string;
  endpoint?: string;
  /** 0-based day of the lake the window falls on. */
  dayIndex: number;
  description: string;
}

interface Template {
  kind: DemoAnomaly['kind'];
  /** Which day: from the start (>= 0) or from the end (< 0), clamped into the lake. */
  day: number;
  startMinute: number;
  minutes: number;
  source: string;
  endpoint?: string;
  description: string;
}

/** The schedule, relative to the lake's days. */
export const DEMO_ANOMALY_SCHEDULE: readonly Template[] = [
  { kind: 'error_burst', day: 1, startMinute: 14 * 60, minutes: 30, source: 'payments-service', endpoint: '/api/checkout', description: '70% 5xx on checkout for 30 minutes' },
  { kind: 'latency_spike', day: -2, startMinute: 9 * 60 + 10, minutes: 20, source: 'search-service', endpoint: '/api/search', description: 'search latency x10 for 20 minutes' },
  { kind: 'auth_failures', day: -1, startMinute: 3 * 60, minutes: 15, source: 'auth-service', endpoint: '/api/login', description: '80% 401 on login for 15 minutes (credential stuffing)' },
];

const DAY_MS = 86_400_000;

/** The anomalies of a lake starting on `startDate` (YYYY-MM-DD, UTC) and spanning `days` days. */
export function demoAnomalies(startDate: string, days: number): DemoAnomaly[] {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  return DEMO_ANOMALY_SCHEDULE.map((t) => {
    const dayIndex = Math.min(days - 1, Math.max(0, t.day >= 0 ? t.day : days + t.day));
    const from = start + dayIndex * DAY_MS + t.startMinute * 60_000;
    return {
      kind: t.kind,
      start: new Date(from).toISOString(),
      end: new Date(from + t.minutes * 60_000).toISOString(),
      source: t.source,
      ...(t.endpoint ? { endpoint: t.endpoint } : {}),
      dayIndex,
      description: t.description,
    };
  });
}

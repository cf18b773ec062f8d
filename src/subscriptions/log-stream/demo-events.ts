/**
 * Realistic live log events for the embedded demo stream and `produce-demo`: the demo table's endpoints with
 * their traffic shares, owning services and log-normal latencies, a small error mix, and sessions of a few
 * requests each. Not deterministic (unlike the demo table): these are "now" events.
 */
import { DEMO_ENDPOINTS } from '../../demo/demo-logs.ts';
import type { LogEventFields } from './log-event.ts';

const STATUS_MESSAGES: Record<number, string> = {
  400: 'bad request: validation failed',
  401: 'authentication failed: invalid credentials',
  404: 'resource not found',
  500: 'unhandled exception in request handler',
  502: 'bad gateway: upstream closed the connection',
  503: 'service unavailable: circuit breaker open',
};

function gaussian(): number {
  return Math.sqrt(-2 * Math.log(Math.random() + 1e-12)) * Math.cos(2 * Math.PI * Math.random());
}

function pickEndpoint(): (typeof DEMO_ENDPOINTS)[number] {
  let u = Math.random();
  for (const e of DEMO_ENDPOINTS) {
    if (u < e[3]) return e;
    u -= e[3];
  }
  return DEMO_ENDPOINTS[0];
}

function pickStatus(endpoint: string): number {
  const u = Math.random();
  if (u < 0.004) return 500;
  if (u < 0.006) return 502;
  if (u < 0.008) return 503;
  if (endpoint === '/api/products/{id}' && u < 0.03) return 404;
  if (endpoint === '/api/login' && u < 0.05) return 401;
  if (u < 0.015) return 400;
  return endpoint === '/api/cart' ? 201 : 200;
}

/** Generates events; each session issues 1 to 12 requests before a new one starts. */
export function createDemoEventGenerator(): (timestamp: number) => LogEventFields {
  let session = '';
  let user: string | null = null;
  let left = 0;
  return (timestamp) => {
    if (left-- <= 0) {
      session = `sess-${Math.random().toString(16).slice(2, 18).padEnd(16, '0')}`;
      user = Math.random() < 0.1 ? null : `u${String(1 + Math.floor(5000 * Math.random() ** 2)).padStart(6, '0')}`;
      left = Math.floor(Math.random() * 12);
    }
    const [endpoint, method, source, , median, sigma] = pickEndpoint();
    const status = pickStatus(endpoint);
    const rt = Math.round(median * Math.exp(sigma * gaussian()) * 10) / 10;
    const level = status >= 500 ? 'ERROR' : status >= 400 || rt > 2000 ? 'WARN' : Math.random() < 0.05 ? 'DEBUG' : 'INFO';
    const message = STATUS_MESSAGES[status] ?? (rt > 2000 ? `slow request: ${method} ${endpoint} took ${rt} ms` : `${method} ${endpoint} ${status} in ${rt} ms`);
    return { timestamp, level, source, endpoint, method, status, responseTimeMs: rt, userId: user, sessionId: session, message };
  };
}

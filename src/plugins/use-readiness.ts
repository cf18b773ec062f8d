/**
 * `/ready`: 200 when every configured dependency answers within its time limit and the gateway is not
 * shutting down; 503 with the names of the failing dependencies otherwise (never their error text).
 */
import { useReadinessCheck, type Plugin } from 'graphql-yoga';
import type { ReadinessProbe } from '../sources/lifecycle.ts';
import type { Logger } from '../logger.ts';

export interface ReadinessOptions {
  probes: readonly ReadinessProbe[];
  timeoutMs: number;
  isShuttingDown: () => boolean;
  logger: Logger;
}

export function useReadiness({ probes, timeoutMs, isShuttingDown, logger }: ReadinessOptions): Plugin {
  return useReadinessCheck({
    endpoint: '/ready',
    async check({ fetchAPI }) {
      if (isShuttingDown()) return json(fetchAPI, 503, { ready: false, reason: 'shutting down' });
      const results = await Promise.all(
        probes.map(async (probe) => {
          try {
            await withTimeout(probe.check(), timeoutMs);
            return undefined;
          } catch (e) {
            logger.warn({ dependency: probe.name, err: (e as Error).message }, 'readiness check failed');
            return probe.name;
          }
        }),
      );
      const failing = results.filter((name): name is string => name !== undefined);
      if (failing.length > 0) return json(fetchAPI, 503, { ready: false, failing });
      return json(fetchAPI, 200, { ready: true, checked: probes.map((p) => p.name) });
    },
  });
}

function json(fetchAPI: { Response: typeof Response }, status: number, body: unknown): Response {
  return new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

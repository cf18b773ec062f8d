/**
 * The assembly point: `buildApp(deps)` wires configuration, sources, schema and plugins into one HTTP server
 * and returns `{ server, close }`. Nothing listens until the caller does; teardown runs in reverse order.
 */
import { createServer, type Server } from 'node:http';
import { createYoga } from 'graphql-yoga';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { buildSchema } from './schema/index.ts';
import type { GatewayContext } from './resolvers/context.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import type { Closeable, ReadinessProbe } from './sources/lifecycle.ts';
import { createRedisProbe } from './sources/redis-probe.ts';
import { createKafkaProbe } from './sources/kafka-probe.ts';
import { GATEWAY_VERSION } from './version.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
}

export interface App {
  server: Server;
  /** Marks the gateway not ready, drains HTTP under the shutdown deadline, then releases every source. */
  close(): Promise<void>;
}

export async function buildApp({ config, logger }: AppDeps): Promise<App> {
  const closeables: Closeable[] = [];
  const probes: ReadinessProbe[] = [];
  if (config.redis) {
    const probe = createRedisProbe(config.redis.url, config.readinessTimeoutMs);
    probes.push(probe);
    closeables.push(probe);
  }
  if (config.kafka) {
    const probe = createKafkaProbe(config.kafka.brokers, config.kafka.clientId, config.readinessTimeoutMs);
    probes.push(probe);
    closeables.push(probe);
  }

  let shuttingDown = false;
  const startedAt = Date.now();
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: buildSchema(),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: logger,
    context: () => ({ logger, startedAt, version: GATEWAY_VERSION }),
    plugins: [useReadiness({ probes, timeoutMs: config.readinessTimeoutMs, isShuttingDown: () => shuttingDown, logger })],
  });
  const server = createServer(yoga);

  async function close() {
    if (shuttingDown) return;
    shuttingDown = true;
    await drainHttp(server, config.shutdownTimeoutMs);
    for (const c of closeables.reverse()) {
      await c.close().catch((e: Error) => logger.warn({ err: e.message }, 'close failed'));
    }
  }
  return { server, close };
}

/** Stops accepting connections, lets in-flight requests finish, and cuts the rest at the deadline. */
function drainHttp(server: Server, deadlineMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

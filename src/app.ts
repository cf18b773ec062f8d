/**
 * The assembly point: `buildApp(deps)` wires configuration, sources, schema and plugins into one HTTP server
 * and returns `{ server, close }`. Nothing listens until the caller does; teardown runs in reverse order.
 */
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { GatewayContext, GatewayServices } from './resolvers/context.ts';
import { createRequestLoaders } from './resolvers/loaders.ts';
import { RequestTrace } from './resolvers/request-trace.ts';
import { createSchemaRegistry } from './schema/schema-registry.ts';
import { GRAPHIQL_TABS } from './schema/graphiql-tabs.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import { DEFAULT_LIMITS, useLimits } from './plugins/use-limits.ts';
import { useDeltaExtensions } from './plugins/use-delta-extensions.ts';
import { createMaskError } from './plugins/mask-errors.ts';
import { createYogaLogger } from './plugins/yoga-logger.ts';
import type { Closeable, ReadinessProbe } from './sources/lifecycle.ts';
import { createRedisProbe } from './sources/redis/redis-probe.ts';
import { waitUntilReady } from './sources/redis/redis-client.ts';
import { createKafkaProbe } from './sources/kafka/kafka-probe.ts';
import { createDuckDbEngine, type DuckDbEngine } from './sources/duckdb/duckdb-engine.ts';
import { createScanExecutor } from './sources/duckdb/scan-executor.ts';
import { createTableCatalog } from './sources/table-catalog.ts';
import { createCacheServices } from './sources/cache/cache-services.ts';
import { ensureDemoLake } from './demo/ensure-demo-lake.ts';
import { GATEWAY_VERSION } from './version.ts';
import { useRegistrySchema } from './plugins/use-registry-schema.ts';
import { createLogStreams } from './subscriptions/log-streams.ts';
import { createGraphQLWsServer } from './subscriptions/graphql-ws-server.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** A DuckDB engine to share (tests, benchmarks); created (and closed by close()) when absent. */
  engine?: DuckDbEngine;
}

export interface App {
  server: Server;
  services: GatewayServices;
  /** Marks the gateway not ready, drains HTTP under the shutdown deadline, then releases every source. */
  close(): Promise<void>;
}

export async function buildApp({ config, logger, engine: givenEngine }: AppDeps): Promise<App> {
  const closeables: Closeable[] = [];
  const probes: ReadinessProbe[] = [];
  const engine = givenEngine ?? (await createDuckDbEngine({ threads: config.duckdb.threads, memoryLimit: config.duckdb.memoryLimit }));
  if (!givenEngine) closeables.push(engine);
  if (config.kafka) {
    const probe = createKafkaProbe(config.kafka.brokers, config.kafka.clientId, config.readinessTimeoutMs);
    probes.push(probe);
    closeables.push(probe);
  }
  const lakeRoot = resolve(config.lakeRoot);
  // Embedded default: with no lake configured, serve a generated demo lake (created once, reused afterwards).
  if (config.lakeIsDefault && config.demoLake.enabled) {
    const demo = await ensureDemoLake(lakeRoot, { rows: config.demoLake.rows, days: config.demoLake.days, engine, logger });
    logger.info({ lake: lakeRoot, created: demo.created, rows: demo.rows, days: demo.days }, 'demo lake ready');
  }
  const catalog = createTableCatalog({
    lakeRoot,
    tablesFile: config.tablesFile,
    parquetReader: engine.parquetReader,
    refreshIntervalMs: config.catalogRefreshMs,
  });
  closeables.push(catalog);
  const cacheServices = createCacheServices(config, logger);
  closeables.push(cacheServices);
  if (cacheServices.client) {
    probes.unshift(createRedisProbe(cacheServices.client, config.readinessTimeoutMs));
    // Give the connection a moment before serving, so the first requests are cached like the rest; a Redis that
    // is down does not stop the start (queries then run on DuckDB until it answers).
    await waitUntilReady(cacheServices.client, config.readinessTimeoutMs).catch((e: Error) =>
      logger.warn({ err: e.message }, 'redis not ready at start; serving without it until it answers'),
    );
  }
  const services: GatewayServices = {
    logger,
    startedAt: Date.now(),
    version: GATEWAY_VERSION,
    catalog,
    engine,
    scans: createScanExecutor({ engine }),
    lakeRoot,
    limits: { maxPageSize: config.maxPageSize, queryTimeoutMs: config.queryTimeoutMs },
    cache: cacheServices.cache,
    records: cacheServices.records,
    adminEnabled: config.adminEnabled,
    // Live log stream: Kafka when KAFKA_BROKERS is set, else the in-process demo stream.
    streams: createLogStreams({ config: config.streams, kafka: config.kafka, logger }),
  };
  const registry = createSchemaRegistry({ catalog, logger, refreshIntervalMs: config.catalogRefreshMs });
  // The registry's schema for HTTP, SSE and graphql-ws operations alike (yoga's `schema: () => ...` is HTTP-only).
  const registrySchema = useRegistrySchema(() => registry.current());

  let shuttingDown = false;
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: createYogaLogger(logger),
    maskedErrors: { maskError: createMaskError(logger) },
    renderGraphiQL,
    graphiql: { title: 'delta-gateway', defaultTabs: GRAPHIQL_TABS },
    context: ({ request }): GatewayContext => ({
      ...services,
      loaders: createRequestLoaders(catalog),
      trace: new RequestTrace(),
      cacheBypass: request.headers.get('x-cache')?.toLowerCase() === 'bypass',
    }),
    plugins: [
      registrySchema,
      useReadiness({ probes, timeoutMs: config.readinessTimeoutMs, isShuttingDown: () => shuttingDown, logger }),
      ...useLimits({ ...DEFAULT_LIMITS, maxPageSize: config.maxPageSize }),
      useDeltaExtensions(),
    ],
  });
  const server = createServer(yoga);
  const graphqlWs = createGraphQLWsServer({ server, path: '/graphql', yoga, prepare: registrySchema.prepare, logger });

  async function close() {
    if (shuttingDown) return;
    shuttingDown = true;
    // Subscriptions first: sockets get 1001, SSE streams end with SHUTTING_DOWN, the Kafka consumer leaves.
    await graphqlWs.close().catch((e: Error) => logger.warn({ err: e.message }, 'graphql-ws close failed'));
    await services.streams?.close().catch((e: Error) => logger.warn({ err: e.message }, 'log stream close failed'));
    await drainHttp(server, config.shutdownTimeoutMs);
    for (const c of closeables.reverse()) {
      await c.close().catch((e: Error) => logger.warn({ err: e.message }, 'close failed'));
    }
  }
  return { server, services, close };
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

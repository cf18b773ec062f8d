/**
 * Starts the gateway through buildApp on 127.0.0.1:0 with an explicit environment and gives tests a GraphQL
 * client over real HTTP. Every gateway started is closed by `stopGateways()` (call it in afterEach/afterAll).
 */
import type { AddressInfo } from 'node:net';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { DuckDbEngine } from '../../src/sources/duckdb/duckdb-engine.ts';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  extensions?: Record<string, any>;
}

export interface TestGateway {
  url: string;
  app: App;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

const running: App[] = [];

export interface StartOptions {
  /** A DuckDB engine to share (buildApp then does not create, nor close, its own). */
  engine?: DuckDbEngine;
}

/** `env` overrides the test defaults (port 0, silent log, no demo lake, 2 s shutdown, 50 ms catalog refresh). */
export async function startGateway(env: Record<string, string>, opts: StartOptions = {}): Promise<TestGateway> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO_LAKE: 'false', SHUTDOWN_TIMEOUT_MS: '2000', CATALOG_REFRESH_MS: '50', ...env });
  // DG_TEST_LOG=debug shows the gateway's own log while debugging a test.
  const app = await buildApp({ config, logger: createLogger(process.env.DG_TEST_LOG ?? 'silent'), engine: opts.engine });
  running.push(app);
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    app,
    async gql(query, variables, headers) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GraphQLResponse, 'status'>;
      return { status: res.status, ...body } as never;
    },
  };
}

export async function stopGateways(): Promise<void> {
  for (const app of running.splice(0).reverse()) await app.close();
}

/**
 * Starts the gateway through buildApp on 127.0.0.1:0 with an explicit environment and gives tests a GraphQL
 * client over real HTTP. Every gateway started is closed by `stopGateways()` (call it in afterEach/afterAll),
 * or by the caller's cleanup list when one is given. `listenApp` is the bare build-and-listen, for benchmarks.
 */
import type { AddressInfo } from 'node:net';
import { buildApp, type App, type AppDeps } from '../../src/app.ts';
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
  /** http://127.0.0.1:PORT, the base of /graphql, /health and /ready. */
  url: string;
  /** ws://127.0.0.1:PORT/graphql, the graphql-ws endpoint. */
  wsUrl: string;
  app: App;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

const running: App[] = [];

export interface StartOptions {
  /** A DuckDB engine to share (buildApp then does not create, nor close, its own). */
  engine?: DuckDbEngine;
  /**
   * The caller's cleanup list: the gateway's close is pushed onto it (so it runs in the caller's order, e.g.
   * before a Redis the test started stops) instead of being left to `stopGateways()`.
   */
  cleanups?: Array<() => Promise<unknown>>;
}

/** buildApp listening on 127.0.0.1 at a free port; `url` is http://127.0.0.1:PORT. The caller closes the app. */
export async function listenApp(deps: AppDeps): Promise<{ app: App; url: string }> {
  const app = await buildApp(deps);
  try {
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    await app.close();
    throw e;
  }
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

/** `env` overrides the test defaults (port 0, silent log, no demo lake, 2 s shutdown, 50 ms catalog refresh). */
export async function startGateway(env: Record<string, string>, opts: StartOptions = {}): Promise<TestGateway> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DEMO_LAKE: 'false', SHUTDOWN_TIMEOUT_MS: '2000', CATALOG_REFRESH_MS: '50', ...env });
  // DG_TEST_LOG=debug shows the gateway's own log while debugging a test.
  const { app, url } = await listenApp({ config, logger: createLogger(process.env.DG_TEST_LOG ?? 'silent'), engine: opts.engine });
  if (opts.cleanups) opts.cleanups.push(() => app.close());
  else running.push(app);
  return {
    url,
    wsUrl: `${url.replace(/^http:/, 'ws:')}/graphql`,
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

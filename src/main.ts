/**
 * `serve`: the one main() that builds everything. Reads the config (a bad one prints every problem and
 * exits 1), builds the app, listens, and on SIGTERM/SIGINT shuts down gracefully.
 */
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { buildApp } from './app.ts';

export async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const app = await buildApp({ config, logger });
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => resolve());
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host}:${port}/graphql` }, 'delta-gateway listening');

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      app.close().then(
        () => resolve(0),
        (e: Error) => {
          logger.error({ err: e.message }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
}

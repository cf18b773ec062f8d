/** Bad settings are reported together, once, by loadConfig and by the `serve` command (exit 1, no stack). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The problems loadConfig reports for `env`, one line each; fails the test if it accepts the environment. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('throws one ConfigError listing every problem', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', REDIS_URL: 'not-a-url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('PORT="abc"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('REDIS_URL="not-a-url"'))).toBeDefined();
  });

  it('reports a bad REDIS_CLUSTER_NODES under its own name, in Redis Cluster terms', () => {
    const problems = problemsOf({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,not-a-node' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^REDIS_CLUSTER_NODES="127\.0\.0\.1:7000,not-a-node": .*Redis Cluster nodes as host:port/);
    expect(problems[0]).not.toMatch(/kafka|broker|9092/i);
    expect(loadConfig({ REDIS_CLUSTER_NODES: ' 127.0.0.1:7000, 127.0.0.1:7001 ' }).redisCluster).toEqual({ nodes: ['127.0.0.1:7000', '127.0.0.1:7001'] });
  });

  it('refuses host:port lists with a port outside 1..65535', () => {
    expect(problemsOf({ KAFKA_BROKERS: '127.0.0.1:99999' })).toEqual([
      'KAFKA_BROKERS="127.0.0.1:99999": must be a comma-separated list of Kafka brokers as host:port, e.g. 127.0.0.1:9092',
    ]);
    expect(problemsOf({ REDIS_CLUSTER_NODES: 'redis:0' })[0]).toMatch(/^REDIS_CLUSTER_NODES="redis:0": /);
  });

  it('checks DUCKDB_MEMORY_LIMIT and KAFKA_LOGS_TOPIC at start-up instead of failing later', () => {
    const problems = problemsOf({ DUCKDB_MEMORY_LIMIT: '4096', KAFKA_LOGS_TOPIC: 'logs topic' });
    expect(problems).toEqual([
      'KAFKA_LOGS_TOPIC="logs topic": must be a Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ -',
      'DUCKDB_MEMORY_LIMIT="4096": must be a size with a unit, e.g. 4GB or 512MiB (or none for no limit)',
    ]);
    for (const size of ['4GB', '512 MiB', '1.5gb', '2T', 'none', '-1']) {
      expect(loadConfig({ DUCKDB_MEMORY_LIMIT: size }).duckdb.memoryLimit).toBe(size);
    }
  });

  it('accepts an empty environment with the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', redis: undefined, kafka: undefined, lakeIsDefault: true });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('delta-gateway serve with a bad configuration', () => {
  it('exits 1 with one report naming both variables and no stack trace', async () => {
    const child = spawn(process.execPath, ['bin/delta-gateway.mjs', 'serve'], {
      cwd: root,
      // A minimal environment: nothing from the developer's shell leaks in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: 'abc', REDIS_URL: 'not-a-url' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

    expect(code).toBe(1);
    expect(output.match(/invalid configuration/g)).toHaveLength(1);
    expect(output).toMatch(/PORT="abc"/);
    expect(output).toMatch(/REDIS_URL="not-a-url"/);
    expect(output).not.toMatch(/^\s+at /m);
  }, 30_000);
});

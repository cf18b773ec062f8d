/**
 * vitest global setup: finds or starts the shared Redis, Kafka, delta-rs and a Redis Cluster, and provides their addresses
 * to tests (see ProvidedContext in services.ts). REDIS_URL, KAFKA_BROKERS and DELTA_RS_PYTHON in the
 * environment win; whatever is missing comes from `scripts/services up`. Services this run started are
 * stopped at teardown once no other concurrent test run holds a lease; services that were already running
 * are left alone.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import './services.ts';

const servicesScript = fileURLToPath(new URL('../../scripts/services', import.meta.url));

/** Runs scripts/services; its progress goes to our stderr, its KEY=VALUE lines are returned. */
function runServices(args: string[], env: Record<string, string> = {}): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [servicesScript, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`scripts/services ${args.join(' ')} exited with ${code} (its log tail is printed above)`));
        return;
      }
      const values: Record<string, string> = {};
      for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1).trim();
      }
      resolve(values);
    });
  });
}

function required(values: Record<string, string>, key: string): string {
  const value = values[key];
  if (!value) throw new Error(`scripts/services up did not report ${key}`);
  return value;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = {
    REDIS_URL: process.env.REDIS_URL?.trim(),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS?.trim(),
    DELTA_RS_PYTHON: process.env.DELTA_RS_PYTHON?.trim(),
    REDIS_CLUSTER_NODES: process.env.REDIS_CLUSTER_NODES?.trim(),
  };
  const missing = [
    given.REDIS_URL ? undefined : 'redis',
    given.KAFKA_BROKERS ? undefined : 'kafka',
    given.DELTA_RS_PYTHON ? undefined : 'deltars',
    given.REDIS_CLUSTER_NODES ? undefined : 'rediscluster',
  ].filter((s): s is string => s !== undefined);

  // The lease is this vitest process: if it dies without teardown, the next run sees a dead pid.
  const lease = String(process.pid);
  const started = missing.length > 0 ? await runServices(['up', ...missing], { SERVICES_LEASE: lease }) : {};
  const values = { ...started, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v)) } as Record<string, string>;

  project.provide('redisUrl', required(values, 'REDIS_URL'));
  project.provide(
    'kafkaBrokers',
    required(values, 'KAFKA_BROKERS').split(',').map((b) => b.trim()),
  );
  project.provide('deltaRsPython', required(values, 'DELTA_RS_PYTHON'));
  project.provide('servicesScript', servicesScript);
  project.provide('redisClusterNodes', required(values, 'REDIS_CLUSTER_NODES').split(',').map((n) => n.trim()));

  return async () => {
    if (missing.length > 0) await runServices(['release', lease]);
  };
}

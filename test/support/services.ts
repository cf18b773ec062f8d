/**
 * What tests get from the global setup (`inject('redisUrl')`, ...) and small helpers for tests that need
 * their own throwaway servers or have to wait for something to happen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT of the shared Redis (REDIS_URL, or started by scripts/services). */
    redisUrl: string;
    /** host:port list of the shared Kafka broker (KAFKA_BROKERS, or started by scripts/services). */
    kafkaBrokers: string[];
    /** Absolute path of a python with deltalake and pyarrow importable (DELTA_RS_PYTHON, or the venv). */
    deltaRsPython: string;
    /** Absolute path of scripts/services. */
    servicesScript: string;
    /** host:port seeds of a local 3-master Redis Cluster (REDIS_CLUSTER_NODES, or scripts/services). */
    redisClusterNodes: string[];
  }
}

/** A name no other test or run uses, for topics, consumer groups, key prefixes and temp tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

/**
 * Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`
 * (default 10 s) with the last error seen.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sends a raw PING and resolves true on +PONG; never throws. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

export interface ExtraRedis {
  url: string;
  port: number;
  /** Stops the server (TERM, then KILL after 5 s); safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a separate, throwaway redis-server on a spare port (no persistence), for tests that stop it on
 * purpose; `port` restarts one on the port of a stopped one, `args` adds server options. The caller must `stop()` it; the shared Redis is never touched.
 */
export async function startExtraRedis(options: { port?: number; args?: string[] } = {}): Promise<ExtraRedis> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}); install redis-server`))),
  );
  spawnError.catch(() => undefined);
  const stop = () => stopChild(child);
  try {
    await Promise.race([
      waitFor(async () => child.exitCode === null && (await redisPing(port)), { timeoutMs: 10_000, what: `redis-server on ${port}` }),
      spawnError,
    ]);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${output}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

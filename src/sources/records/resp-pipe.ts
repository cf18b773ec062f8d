/**
 * Redis "mass insertion" over a plain socket: the caller hands over ready-made RESP command bytes (built in
 * bulk, e.g. by DuckDB), the pipe writes them and reads the replies as they come, counting them and keeping the
 * first error, without building a command object per write. In-flight bytes (sent, not yet answered) are
 * bounded, so a slow Redis slows the producer instead of growing buffers. The socket is opened with the
 * connection settings of an ioredis client (host, port, TLS, user, password, db), on the master that owns `slotKey`
 * when the client is a Cluster.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../redis/redis-client.ts';

export interface RespPipe {
  /** Writes `commands` complete RESP commands; resolves once in-flight bytes are back under the bound. */
  send(payload: string | Buffer, commands: number): Promise<void>;
  /** Waits for every reply. @throws Error with Redis's message when any command failed. */
  finish(): Promise<{ replies: number; integerSum: number }>;
  close(): void;
}

export interface RespPipeOptions {
  /** Bound on bytes sent but not yet answered (default 8 MiB). */
  maxInFlightBytes?: number;
}

/** RESP encoding of one command from string arguments. */
export function respCommand(...args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

/** The connection options of the node that owns `slotKey` (a Cluster's master for its slot, else the client). */
async function nodeFor(client: RedisClient, slotKey: string): Promise<Redis['options']> {
  if (!(client instanceof Cluster)) return client.options;
  const slot = Number(await client.cluster('KEYSLOT', slotKey));
  const nodeKey = client.slots[slot]?.[0];
  const node = client.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
  if (!node) throw new Error(`no Redis Cluster master owns slot ${slot}`);
  return node.options;
}

/** Reads RESP replies from a byte stream: counts them, sums integer replies, keeps the first error. */
function createReplyReader() {
  let pending = Buffer.alloc(0);
  const state = { replies: 0, integerSum: 0, error: undefined as string | undefined };
  function feed(chunk: Buffer): void {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const eol = buf.indexOf('\r\n', pos);
      if (eol < 0) break;
      const type = buf[pos];
      const line = buf.toString('latin1', pos + 1, eol);
      let next = eol + 2;
      if (type === 0x24 /* $ */) {
        const len = Number(line);
        if (len >= 0) {
          if (buf.length < next + len + 2) break; // the bulk string is not complete yet
          next += len + 2;
        }
      } else if (type === 0x2a /* * */) {
        throw new Error('unexpected array reply in a RESP pipe');
      }
      if (type === 0x2d /* - */) state.error ??= buf.toString('utf8', pos + 1, eol);
      else if (type === 0x3a /* : */) state.integerSum += Number(line);
      state.replies++;
      pos = next;
    }
    pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : Buffer.alloc(0);
  }
  return { state, feed };
}

/** Opens a pipe to the node owning `slotKey`, authenticated and on the client's database. */
export async function openRespPipe(client: RedisClient, slotKey: string, opts: RespPipeOptions = {}): Promise<RespPipe> {
  const o = await nodeFor(client, slotKey);
  const maxInFlight = opts.maxInFlightBytes ?? 8 << 20;
  const [host, port] = [o.host ?? '127.0.0.1', o.port ?? 6379];
  const socket: Socket = o.tls ? connectTls({ ...o.tls, host, port }) : connectTcp({ host, port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once(o.tls ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  const reader = createReplyReader();
  // Commands sent, in order, with their byte sizes, so answered bytes can be released as replies arrive.
  const sent: { bytes: number; commands: number }[] = [];
  let sentCommands = 0;
  let inFlightBytes = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let acknowledged = 0; // replies already matched against `sent`
  socket.on('data', (chunk: Buffer) => {
    try {
      reader.feed(chunk);
    } catch (e) {
      failure ??= e as Error;
    }
    while (sent.length && reader.state.replies - acknowledged >= sent[0]!.commands) {
      const done = sent.shift()!;
      acknowledged += done.commands;
      inFlightBytes -= done.bytes;
    }
    notify();
  });
  let blocked = false; // the socket's buffer is full until 'drain'
  socket.on('drain', () => {
    blocked = false;
    notify();
  });
  socket.on('error', (e) => {
    failure ??= e;
    notify();
  });
  socket.on('close', () => {
    failure ??= new Error('Redis closed the connection during a bulk write');
    notify();
  });
  const waitFor = async (done: () => boolean) => {
    while (!done() && !failure) await new Promise<void>((r) => (wake = r));
  };

  const pipe: RespPipe = {
    async send(payload, commands) {
      if (failure) throw failure;
      const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      sent.push({ bytes, commands });
      sentCommands += commands;
      inFlightBytes += bytes;
      blocked = !socket.write(payload);
      await waitFor(() => !blocked && inFlightBytes <= maxInFlight);
      if (failure) throw failure;
    },
    async finish() {
      await waitFor(() => reader.state.replies >= sentCommands);
      if (reader.state.replies < sentCommands) throw failure!;
      if (reader.state.error) throw new Error(reader.state.error);
      return { replies: reader.state.replies, integerSum: reader.state.integerSum };
    },
    close() {
      socket.removeAllListeners('close');
      socket.destroy();
    },
  };
  const auth = o.password ? (o.username ? respCommand('AUTH', o.username, o.password) : respCommand('AUTH', o.password)) : '';
  const select = o.db ? respCommand('SELECT', String(o.db)) : '';
  if (auth || select) {
    await pipe.send(auth + select, (auth ? 1 : 0) + (select ? 1 : 0));
    await waitFor(() => reader.state.replies >= sentCommands);
    if (reader.state.error) {
      pipe.close();
      throw new Error(reader.state.error);
    }
  }
  return pipe;
}

/**
 * Clients of the live stream for tests: buildApp on port 0, a real graphql-ws client (ws as the websocket) and a
 * real SSE client (fetch with `accept: text/event-stream`, the stream parsed by hand), each collecting what it
 * receives. Everything started is registered on the caller's cleanup list.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startGateway, type TestGateway } from './gateway.ts';
import { waitFor } from './services.ts';

export type Cleanups = Array<() => Promise<unknown>>;

/** The gateway of support/gateway.ts with the default 500 ms catalog refresh, closed by `cleanups`. */
export function startStreamGateway(cleanups: Cleanups, env: Record<string, string>): Promise<TestGateway> {
  return startGateway({ CATALOG_REFRESH_MS: '500', ...env }, { cleanups });
}

/** Waits until the gateway's hub holds exactly `n` subscriptions. */
export function waitForSubscriptions(gw: TestGateway, n: number): Promise<boolean> {
  return waitFor(() => gw.app.services.streams!.hub.stats().subscriptions === n, { what: `${n} subscriptions` });
}

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; lastCursor?: string | null; [k: string]: unknown };
}

/** What one subscription received. */
export interface Collected<T> {
  items: T[];
  errors: GraphQLErrorShape[];
  done: boolean;
  closeCode?: number;
  stop(): void;
}

export interface WsClient {
  client: Client;
  socket(): WebSocket | undefined;
  closes: number[];
  subscribe<T>(query: string, variables?: Record<string, unknown>): Collected<T>;
}

/** A graphql-ws client (lazy: false, so the socket opens at once); retries disabled unless asked. */
export function wsClient(cleanups: Cleanups, url: string, opts: { retry?: boolean } = {}): WsClient {
  let current: WebSocket | undefined;
  const closes: number[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: opts.retry ? 5 : 0,
    shouldRetry: () => opts.retry === true,
    on: {
      connected: (s) => (current = s as WebSocket),
      closed: (e) => void closes.push((e as { code: number }).code),
    },
  });
  cleanups.push(async () => client.dispose());
  return {
    client,
    socket: () => current,
    closes,
    subscribe<T>(query: string, variables?: Record<string, unknown>) {
      const out: Collected<T> = { items: [], errors: [], done: false, stop: () => undefined };
      out.stop = client.subscribe<Record<string, T>>(
        { query, variables },
        {
          next: (r) => {
            if (r.errors) out.errors.push(...(r.errors as GraphQLErrorShape[]));
            const value = r.data ? Object.values(r.data)[0] : undefined;
            if (value != null) out.items.push(value as T);
          },
          error: (e) => {
            if (Array.isArray(e)) out.errors.push(...(e as GraphQLErrorShape[]));
            else if (e && typeof e === 'object' && 'code' in e) out.closeCode = (e as { code: number }).code;
            else out.errors.push({ message: String((e as Error)?.message ?? e) });
            out.done = true;
          },
          complete: () => void (out.done = true),
        },
      );
      return out;
    },
  };
}

/** GraphQL over SSE: POST with `accept: text/event-stream`, parsing `event: next|complete` blocks. */
export function sseSubscribe<T>(cleanups: Cleanups, base: string, query: string, variables?: Record<string, unknown>): Collected<T> & { status: Promise<number> } {
  const abort = new AbortController();
  const out: Collected<T> = { items: [], errors: [], done: false, stop: () => abort.abort() };
  cleanups.push(async () => abort.abort());
  const status = (async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: abort.signal,
    });
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
            if (event === 'complete') out.done = true;
            else if (data) {
              const r = JSON.parse(data) as { data?: Record<string, T>; errors?: GraphQLErrorShape[] };
              if (r.errors) out.errors.push(...r.errors);
              const value = r.data ? Object.values(r.data)[0] : undefined;
              if (value != null) out.items.push(value as T);
            }
          }
        }
      } catch {
        // aborted
      }
      out.done = true;
    })();
    return res.status;
  })();
  return Object.assign(out, { status });
}

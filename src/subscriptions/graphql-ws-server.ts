/**
 * graphql-ws on the gateway's HTTP server (same port, path `/graphql`), every operation going through yoga's
 * envelop (the recipe of the yoga docs), so schema, context, limits and error masking are the same as over HTTP
 * and SSE. Each socket is one StreamConnection (per-connection subscription limit); a socket so stalled that a
 * SLOW_CONSUMER error cannot be pulled within the grace period is closed (4029), then cut. Identical live
 * subscriptions share one execution (shared-subscriptions.ts). close() closes every socket with 1001 (going away).
 */
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { CLOSE_GOING_AWAY, CLOSE_SLOW_CONSUMER, SLOW_CONSUMER_GRACE_MS } from './constants.ts';
import type { LogStreams, StreamConnection } from './log-streams.ts';
import { createSharedSubscriptions, shareableOperation } from './shared-subscriptions.ts';

export interface GraphQLWsServerOptions {
  server: Server;
  path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  yoga: YogaServerInstance<any, any>;
  /** Resolves the current schema for a request (plugins/use-registry-schema.ts). */
  prepare(request: Request): Promise<void>;
  logger: Logger;
  /** Ping interval that detects dead peers (default 12 s, graphql-ws's). */
  keepAliveMs?: number;
}

export interface GraphQLWsServer {
  readonly sockets: number;
  /** Shared executions running (each serving one or more identical subscriptions). */
  readonly sharedGroups: number;
  close(): Promise<void>;
}

type Enveloped = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/** The upgrade request as a fetch Request, as yoga's context expects (headers, url). */
function toFetchRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, { headers });
}

function streamConnection(socket: WebSocket, logger: Logger): StreamConnection {
  return {
    key: socket,
    onSlowConsumer(stream) {
      setTimeout(() => {
        if (stream.length === 0) return; // the SLOW_CONSUMER error was pulled and sent
        logger.warn('socket stalled past a SLOW_CONSUMER drop; closing it');
        socket.close(CLOSE_SLOW_CONSUMER, 'SLOW_CONSUMER');
        setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
      }, SLOW_CONSUMER_GRACE_MS).unref();
    },
  };
}

export function createGraphQLWsServer(o: GraphQLWsServerOptions): GraphQLWsServer {
  // No per-message compression: frames are small and many, and deflate costs more CPU than it saves on loopback.
  const wss = new WebSocketServer({ server: o.server, path: o.path, perMessageDeflate: false });
  const connections = new WeakMap<WebSocket, StreamConnection>();
  const shared = createSharedSubscriptions();
  const disposable = useServer(
    {
      execute: (args) => ((args as ExecutionArgs).rootValue as Enveloped).execute(args as ExecutionArgs) as never,
      subscribe: (args) => ((args as ExecutionArgs).rootValue as Enveloped).subscribe(args as ExecutionArgs) as never,
      onSubscribe: async (ctx, id, params) => {
        const { socket, request: upgrade } = ctx.extra;
        let connection = connections.get(socket);
        if (!connection) connections.set(socket, (connection = streamConnection(socket, o.logger)));
        const request = toFetchRequest(upgrade);
        await o.prepare(request);
        const envelop = (c: StreamConnection) => o.yoga.getEnveloped({ ...ctx, req: upgrade, socket, request, params, connection: c });
        const enveloped = envelop(connection);
        let document;
        try {
          document = enveloped.parse(params.query);
        } catch (e) {
          if (e instanceof GraphQLError) return [e];
          throw e;
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const contextValue = await enveloped.contextFactory();
        const streams = (contextValue as { streams?: LogStreams }).streams;
        const operation = streams && shareableOperation(enveloped.schema, document, params.operationName, params.variables);
        const member = connection;
        const subscribe = !operation
          ? enveloped.subscribe
          : () => shared.join({
            operation, socket, id, hub: streams!.hub, bufferSize: streams!.config.bufferSize, connection: member,
            // The group's own execution: the same operation on the group's connection, through the same envelop.
            execute: async (c) => {
              const own = envelop(c);
              const args = { schema: own.schema, document, operationName: params.operationName, variableValues: params.variables };
              return (await own.subscribe({ ...args, contextValue: await own.contextFactory() })) as never;
            },
          });
        return {
          schema: enveloped.schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe },
        };
      },
    },
    wss,
    o.keepAliveMs,
  );
  return {
    get sockets() {
      return wss.clients.size;
    },
    get sharedGroups() {
      return shared.groups;
    },
    async close() {
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      await disposable.dispose();
    },
  };
}

/**
 * Serves the registry's current schema (rebuilt when tables change) to every operation: HTTP requests resolve it
 * while their request is parsed, and transports outside yoga's HTTP pipeline (graphql-ws) call `prepare(request)`
 * before `yoga.getEnveloped(...)`. Replaces yoga's `schema: () => ...` option, whose per-request lookup only works
 * for requests yoga parsed itself.
 */
import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export type RegistrySchemaPlugin = Plugin & {
  /** Resolves the current schema for a request built outside yoga's HTTP pipeline. */
  prepare(request: Request): Promise<void>;
};

export function useRegistrySchema(current: () => Promise<GraphQLSchema>): RegistrySchemaPlugin {
  const byRequest = new WeakMap<Request, GraphQLSchema>();
  const prepare = async (request: Request) => void byRequest.set(request, await current());
  return {
    prepare,
    onRequestParse({ request }) {
      return { onRequestParseDone: () => prepare(request) };
    },
    onEnveloped({ context, setSchema }) {
      const request = (context as { request?: Request } | undefined)?.request;
      const schema = request && byRequest.get(request);
      if (schema) setSchema(schema);
    },
  };
}

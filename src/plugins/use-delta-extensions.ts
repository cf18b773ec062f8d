/**
 * Adds `extensions.delta` to every query response: timing (total, planning, DuckDB), the table versions read,
 * and files scanned / skipped and rows scanned, from the request's trace.
 */
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../resolvers/context.ts';

export function useDeltaExtensions(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in (result as object)) return; // streams report per event, not here
          const single = result as { data?: unknown; errors?: unknown; extensions?: Record<string, unknown> };
          setResult({ ...single, extensions: { ...single.extensions, delta: args.contextValue.trace.toExtensions() } } as never);
        },
      };
    },
  };
}

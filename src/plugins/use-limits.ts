/**
 * Query limits against abusive operations: depth, aliases, directives, tokens and an estimated cost (graphql-armor).
 * Page sizes (`first`/`last`) are checked by the resolvers against MAX_PAGE_SIZE, DuckDB time by QUERY_TIMEOUT_MS.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';

export interface LimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_LIMITS: LimitOptions = { maxDepth: 12, maxAliases: 30, maxCost: 20_000, maxTokens: 5_000 };

export function useLimits(limits: LimitOptions = DEFAULT_LIMITS): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: 20 },
    maxTokens: { n: limits.maxTokens },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

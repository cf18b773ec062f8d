/**
 * Query limits against abusive operations: literal page sizes (`first`/`last` above MAX_PAGE_SIZE) are refused
 * at validation with BAD_USER_INPUT; depth, aliases, directives, tokens and estimated cost by graphql-armor,
 * whose rejections get the stable code QUERY_TOO_COMPLEX. DuckDB time is bounded by QUERY_TIMEOUT_MS.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, type ValidationContext, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface LimitOptions {
  maxPageSize: number;
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

export const DEFAULT_LIMITS: Omit<LimitOptions, 'maxPageSize'> = { maxDepth: 12, maxAliases: 30, maxCost: 50_000, maxTokens: 5_000 };

/** Armor's messages ("Syntax Error: Query Cost limit of ..."), recognised so they can carry a code. */
const ARMOR_MESSAGE = /^Syntax Error: (Query Cost limit|Query depth limit|Aliases limit|Directives limit|Token limit)/;

function pageSizeRule(max: number): ValidationRule {
  return (context) => ({
    Argument(node) {
      if ((node.name.value !== 'first' && node.name.value !== 'last') || node.value.kind !== Kind.INT) return;
      const value = Number(node.value.value);
      if (value < 0 || value > max) {
        context.reportError(new GraphQLError(`${node.name.value} must be between 0 and ${max}, got ${value}`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
      }
    },
  });
}

function withCode<E extends Error>(e: E): E | GraphQLError {
  const error = e as unknown as GraphQLError;
  if (error.extensions?.code || !ARMOR_MESSAGE.test(error.message)) return e;
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code: 'QUERY_TOO_COMPLEX' } });
}

function usePageSizeRule(max: number): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(pageSizeRule(max));
    },
    onParse() {
      // The token limit fails the parse itself; give that error its code too.
      return ({ result, replaceParseResult }) => {
        if (result instanceof Error && result.name === 'GraphQLError') replaceParseResult(withCode(result));
      };
    },
  };
}

/** Armor reports into the validation context (with a code) instead of throwing, so every rule still runs. */
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(withCode(error) as GraphQLError)],
};

export function useLimits(limits: LimitOptions): Plugin[] {
  return [
    usePageSizeRule(limits.maxPageSize),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, ...report },
      maxAliases: { n: limits.maxAliases, ...report },
      maxDirectives: { n: 20, ...report },
      maxTokens: { n: limits.maxTokens },
      costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...report },
      blockFieldSuggestion: { enabled: false },
    }) as Plugin,
  ];
}

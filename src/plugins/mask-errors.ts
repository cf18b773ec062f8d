/**
 * The one edge mapper from domain errors to client errors. An error whose `code` is in the public set keeps
 * its code (as `extensions.code`) and a message with file-system paths removed; anything else is logged
 * with its stack and replaced by "Unexpected error." with code INTERNAL_SERVER_ERROR.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';

/** Codes clients may see, and the client code each maps to. */
const PUBLIC_CODES: Readonly<Record<string, string>> = {
  TABLE_NOT_FOUND: 'TABLE_NOT_FOUND',
  VERSION_NOT_FOUND: 'VERSION_NOT_FOUND',
  TIMESTAMP_OUT_OF_RANGE: 'VERSION_NOT_FOUND',
  CORRUPT_LOG: 'CORRUPT_TABLE',
  CORRUPT_DATA: 'CORRUPT_TABLE',
  UNSUPPORTED_FEATURE: 'UNSUPPORTED_FEATURE',
  INVALID_ARGUMENT: 'BAD_USER_INPUT',
  SCHEMA_MISMATCH: 'BAD_USER_INPUT',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  CONCURRENT_MODIFICATION: 'CONCURRENT_MODIFICATION',
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  STREAM_UNAVAILABLE: 'STREAM_UNAVAILABLE',
};

/** The client code for an error, or undefined when it is an internal failure. */
export function publicCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? PUBLIC_CODES[code] : undefined;
}

/** Removes absolute paths: `/lake/t/_delta_log/0001.json` -> `_delta_log/0001.json`, other paths -> base name. */
export function stripPaths(message: string): string {
  return message
    .replace(/(?:file:\/\/)?(?:\/[^\s"'`/]+)+\/(_delta_log\/[^\s"'`]+)/g, '$1')
    .replace(/(?:file:\/\/)?(?:\/[^\s"'`/]+){2,}\/([^\s"'`/]+)/g, '$1');
}

/**
 * GraphQLError by name, not instanceof: graphql-js can be loaded twice (its ESM and CJS builds), and an error
 * from one copy is not an instance of the other's class.
 */
function isGraphQLError(e: unknown): e is GraphQLError {
  return e instanceof Error && e.name === 'GraphQLError';
}

/** yoga's `maskedErrors.maskError`. */
export function createMaskError(logger: Logger) {
  return (error: unknown, message: string): Error => {
    let original: unknown = error;
    while (isGraphQLError(original) && original.originalError) original = original.originalError;
    // Parse and validation errors, and errors resolvers raised as GraphQLError on purpose, go out as they are.
    if (isGraphQLError(original)) return original;
    const located = isGraphQLError(error) ? error : undefined;
    const where = { nodes: located?.nodes, path: located?.path };
    const code = publicCodeOf(original);
    if (code) {
      return new GraphQLError(stripPaths((original as Error).message), { ...where, extensions: { code } });
    }
    logger.error({ err: original, path: located?.path }, 'unexpected error');
    return new GraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}

/** Shared GraphQL error builders for resolvers and scalars. */
import { GraphQLError } from 'graphql';

/** A GraphQLError with `extensions.code` BAD_USER_INPUT (the client sent an unusable argument). */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Builds the GraphQL schema: imports each domain file (which registers its types) and asks Pothos for the result. */
import { builder } from './builder.ts';
import './about.ts';

export function buildSchema() {
  return builder.toSchema({ sortSchema: true });
}

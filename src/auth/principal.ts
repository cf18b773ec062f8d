/**
 * Who is asking: the principal that authentication yields for a request or a websocket connection. Every
 * surface (GraphQL, SQL, exports, the Postgres wire, Delta Sharing) works from one of these and the access the
 * policy gives it (access.ts), never from headers directly.
 */

export type PrincipalKind = 'apiKey' | 'jwt' | 'anonymous' | 'open';

export interface Principal {
  /** API key id, JWT `sub`, 'anonymous', or 'open' when no policy file is configured. */
  readonly id: string;
  readonly kind: PrincipalKind;
  /** Exactly one role; undefined only for the open gateway. An array claim yields its first known role. */
  readonly role: string | undefined;
  /** JWT claims, or an API key's `attributes`; row filters read them as `$claims.<name>`. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The principal of a gateway without a policy file: sees everything, as before authentication existed. */
export const OPEN_PRINCIPAL: Principal = Object.freeze({ id: 'open', kind: 'open', role: undefined, claims: Object.freeze({}) });

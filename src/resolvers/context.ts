/** The per-request GraphQL context: the long-lived services plus anything created per request (DataLoaders). */
import type { Logger } from '../logger.ts';

export interface GatewayContext {
  readonly logger: Logger;
  readonly startedAt: number;
  readonly version: string;
}

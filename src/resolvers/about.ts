/** Resolver for `about`. */
import type { GatewayContext } from './context.ts';

export function loadAbout(ctx: GatewayContext) {
  return { name: 'delta-gateway', version: ctx.version, uptimeSeconds: (Date.now() - ctx.startedAt) / 1000 };
}

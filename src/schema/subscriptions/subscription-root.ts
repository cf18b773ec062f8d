/**
 * The Subscription root type: live log events (log-events.ts) and the live analytics computed from them
 * (windows.ts). Served over graphql-ws (websocket, `/graphql`) and GraphQL over SSE (`Accept:
 * text/event-stream`), both through yoga's envelop. A stream that ends in an error (SLOW_CONSUMER,
 * SHUTTING_DOWN) delivers it as its last payload: resolving that payload throws the error, then the stream ends.
 */
import { StreamFault } from '../../subscriptions/log-stream/subscriber-queue.ts';
import type { Builder } from '../builder.ts';

/** Type names this folder owns (generated per-table types never reuse them). */
export const SUBSCRIPTION_TYPE_PREFIXES = ['LogEvent', 'ErrorRateWindow', 'AnomalyAlert', 'Stream'] as const;

/** The `t` a `builder.subscriptionField` callback receives, for argument helpers shared by several fields. */
export type SubscriptionFieldBuilder = Parameters<Parameters<Builder['subscriptionField']>[1]>[0];

export function addSubscriptionType(builder: Builder): void {
  builder.subscriptionType({ description: 'Live log events and analytics computed from the stream.' });
}

/** A stream's payload as the field's value; a StreamFault (the stream's last payload) throws its error. */
export function unwrapPayload<T>(payload: T | StreamFault): T {
  if (payload instanceof StreamFault) throw payload.error;
  return payload;
}

/**
 * Relay connections: `<Name>Connection { edges { cursor node } pageInfo totalCount }` and the shared PageInfo.
 * totalCount may be a thunk so that a COUNT(*) runs only when the client selects it.
 */
import type { ObjectRef } from '@pothos/core';
import type { Builder, GatewayTypes } from '../builder.ts';
import { perBuilder } from '../per-builder.ts';

/** A Relay connection type `<Name>Connection` with edges, pageInfo and totalCount. */
export function addConnection<T>(builder: Builder, name: string, node: ObjectRef<GatewayTypes, T>) {
  const PageInfo = pageInfoRef(builder);
  const Edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({ cursor: t.exposeString('cursor'), node: t.field({ type: node, resolve: (e) => e.node as never }) }),
  });
  const Connection = builder
    .objectRef<{ edges: { cursor: string; node: T }[]; pageInfo: PageInfoShape; totalCount?: number | (() => Promise<number>) }>(`${name}Connection`)
    .implement({
      fields: (t) => ({
        edges: t.field({ type: [Edge], resolve: (c) => c.edges }),
        pageInfo: t.field({ type: PageInfo, resolve: (c) => c.pageInfo }),
        totalCount: t.field({
          type: 'Long',
          resolve: async (c) => (typeof c.totalCount === 'function' ? c.totalCount() : c.totalCount ?? c.edges.length),
        }),
      }),
    });
  return { Connection, Edge };
}

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

const pageInfoRef = perBuilder((builder: Builder) =>
  builder.objectRef<PageInfoShape>('PageInfo').implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
      startCursor: t.exposeString('startCursor', { nullable: true }),
      endCursor: t.exposeString('endCursor', { nullable: true }),
    }),
  }),
);

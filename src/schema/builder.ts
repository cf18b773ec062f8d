/** The Pothos builder: the GraphQL context type, scalars and plugins. Every domain file adds to this builder. */
import SchemaBuilder from '@pothos/core';
import type { GatewayContext } from '../resolvers/context.ts';

export const builder = new SchemaBuilder<{ Context: GatewayContext }>({});

builder.queryType({ description: 'Delta tables, their versions and history, typed rows and log analytics.' });

/**
 * The printed SDL for a fixed set of tables, so any change to the public schema shows up in review.
 * After an intended change: npx vitest run -u test/graphql/schema-snapshot.test.ts
 */
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../src/delta/snapshot/schema.ts';
import { buildSchema } from '../../src/schema/index.ts';

const field = (name: string, type: unknown, nullable = true) => ({ name, type, nullable, metadata: {} });

const LOGS = parseSchema(JSON.stringify({
  type: 'struct',
  fields: [
    field('timestamp', 'timestamp', false), field('level', 'string'), field('status', 'integer'), field('response_time_ms', 'double'),
    field('user_id', 'long'), field('amount', 'decimal(12,2)'), field('day', 'date'), field('ok', 'boolean'),
    field('tags', { type: 'array', elementType: 'string', containsNull: true }),
    field('attrs', { type: 'map', keyType: 'string', valueType: 'string', valueContainsNull: true }),
    field('geo', { type: 'struct', fields: [field('lat', 'double'), field('lon', 'double')] }),
    field('weird name-1', 'string'),
  ],
}));

describe('GraphQL schema', () => {
  it('matches the reviewed SDL', async () => {
    const schema = buildSchema([{ name: 'logs', schema: LOGS }, { name: 'table', schema: LOGS }]);
    await expect(printSchema(schema)).toMatchFileSnapshot('./__snapshots__/schema.graphql');
  });
});

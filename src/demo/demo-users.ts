/**
 * The demo `users` dimension table: one row per user id the demo `logs` reference (`u000001` ...), with a name,
 * e-mail, country, plan and signup date, generated inside DuckDB from hashes so it is deterministic.
 */
import type { StructType } from '../delta/index.ts';
import { field, primitive } from '../delta/writer/index.ts';

/** Schema of the demo `users` table. */
export const USERS_SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    field('user_id', primitive('string'), false),
    field('name', primitive('string')),
    field('email', primitive('string')),
    field('country', primitive('string')),
    field('plan', primitive('string')),
    field('signup_date', primitive('date')),
  ],
};

/** How many users a lake of `rows` log rows has (1 per 200 rows, between 100 and 50,000). */
export function demoUserCount(rows: number): number {
  return Math.min(50_000, Math.max(100, Math.round(rows / 200)));
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Radia', 'Edsger', 'Frances', 'John', 'Sophie', 'Tim', 'Hedy', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Dijkstra', 'Allen', 'McCarthy', 'Wilson', 'Berners-Lee', 'Lamarr', 'Wirth'];
const COUNTRIES = ['US', 'US', 'US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA', 'NL', 'ES', 'AU', 'SE'];

const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

/** SQL producing the users table rows; `startDate` (YYYY-MM-DD) bounds signup dates from above. */
export function demoUsersSql(count: number, startDate: string): string {
  const pick = (xs: string[], salt: string) => `${list(xs)}[1 + (hash('users', '${salt}', i) % ${xs.length})::INTEGER]`;
  return `
    SELECT 'u' || lpad(CAST(i + 1 AS VARCHAR), 6, '0') AS user_id,
           first || ' ' || last AS name,
           lower(first) || '.' || lower(replace(last, '-', '')) || (i + 1) || '@example.com' AS email,
           country, plan, signup_date
    FROM (
      SELECT i,
             ${pick(FIRST, 'first')} AS first,
             ${pick(LAST, 'last')} AS last,
             ${pick(COUNTRIES, 'country')} AS country,
             CASE WHEN hash('users', 'plan', i) % 100 < 70 THEN 'free' WHEN hash('users', 'plan', i) % 100 < 93 THEN 'pro' ELSE 'enterprise' END AS plan,
             DATE '${startDate}' - CAST(1 + hash('users', 'signup', i) % 900 AS INTEGER) AS signup_date
      FROM range(${count}) r(i)
    )`;
}

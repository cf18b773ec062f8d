import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
const redis = new Redis(process.env.REDIS_URL!);
const key = `bench:baseline:${process.pid}`;
const data = JSON.parse(readFileSync('/tmp/payload.json', 'utf8'));
await redis.set(key, JSON.stringify(data.data.items));
const schema = createSchema({
  typeDefs: `
    enum SortDirection { ASC DESC }
    enum ItemsColumn { id name price qty ts day note }
    input ItemsOrderBy { field: ItemsColumn!, direction: SortDirection = ASC }
    type Item { id: String name: String price: Float qty: Int ts: String day: String note: String }
    type Edge { node: Item! }
    type Conn { edges: [Edge!]! }
    type Query { items(first: Int, orderBy: [ItemsOrderBy!]): Conn! }`,
  resolvers: { Query: { items: async () => JSON.parse((await redis.get(key))!) } },
});
const server = createServer(createYoga({ schema, logging: false, landingPage: false }));
server.listen(39123, '127.0.0.1', () => console.log('http://127.0.0.1:39123/graphql'));
let reqs = 0; let cpu0 = process.cpuUsage(); server.on('request', () => { if (reqs++ === 200) cpu0 = process.cpuUsage(); });
process.on('SIGINT', async () => { const c = process.cpuUsage(cpu0); console.log(`cpu us/req user ${(c.user/(reqs-200)).toFixed(0)} sys ${(c.system/(reqs-200)).toFixed(0)} reqs ${reqs}`); await redis.del(key); redis.disconnect(); process.exit(0); });

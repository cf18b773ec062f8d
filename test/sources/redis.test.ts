/** The shared Redis answers a real ioredis client: plain commands and a pipeline. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../support/services.ts';

describe('redis (real server)', () => {
  const prefix = `${uniqueName('test-redis')}:`;
  let client: Redis;

  beforeAll(async () => {
    client = new Redis(inject('redisUrl'), { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
  });

  afterAll(async () => {
    if (!client) return;
    // keyPrefix is not applied to KEYS patterns' results, so strip it before DEL (which adds it back).
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys.map((k) => k.slice(prefix.length)));
    await client.quit();
  });

  it('SET, GET and DEL round-trip', async () => {
    expect(await client.set('greeting', 'hello', 'EX', 60)).toBe('OK');
    expect(await client.get('greeting')).toBe('hello');
    expect(await client.ttl('greeting')).toBeGreaterThan(0);
    expect(await client.del('greeting')).toBe(1);
    expect(await client.get('greeting')).toBeNull();
  });

  it('runs a pipeline in order', async () => {
    const results = await client
      .pipeline()
      .set('counter', '0')
      .incr('counter')
      .incrby('counter', 41)
      .hset('hash', { a: '1', b: '2' })
      .hgetall('hash')
      .del('counter', 'hash')
      .exec();
    expect(results).not.toBeNull();
    const errors = results!.map(([err]) => err);
    expect(errors.every((e) => e === null)).toBe(true);
    expect(results!.map(([, value]) => value)).toEqual(['OK', 1, 42, 2, { a: '1', b: '2' }, 2]);
  });
});

/**
 * The Redis side of the query cache: the few operations it needs on the shared client (get with the lock, set
 * with expiry, a short lock with an owner token, and purge by pattern on every master). Every method may throw;
 * the cache turns failures into misses.
 */
import { purgeKeys, type RedisClient } from '../redis/redis-client.ts';

// KEYS[1] lock; ARGV[1] owner token, ARGV[2] ms. Extends the lock only while we still own it.
const REFRESH_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0";
// KEYS[1] lock; ARGV[1] token, ARGV[2] marker ('' deletes), ARGV[3] marker ms. Releases only our own lock.
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('del', KEYS[1]) end
redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1`;

export interface RedisTier {
  readonly client: RedisClient;
  /** The value and the lock in one round trip (both keys share the table's hash slot). */
  getWithLock(key: string, lockKey: string): Promise<[Buffer | null, string | null]>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  /** SET lockKey token NX PX ms; true when taken. */
  tryLock(lockKey: string, token: string, ms: number): Promise<boolean>;
  refreshLock(lockKey: string, token: string, ms: number): Promise<void>;
  /** Deletes our lock, or replaces it with `marker` for `markerMs` (tells waiters to compute themselves). */
  releaseLock(lockKey: string, token: string, marker?: string, markerMs?: number): Promise<void>;
  /** Deletes every key matching the glob `pattern` on every master; returns how many were removed. */
  purge(pattern: string): Promise<number>;
  close(): Promise<void>;
}

export function createRedisTier(client: RedisClient): RedisTier {
  return {
    client,
    async getWithLock(key, lockKey) {
      const [value, lock] = await client.mgetBuffer(key, lockKey);
      return [value ?? null, lock ? lock.toString() : null];
    },
    async set(key, value, ttlMs) {
      await client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async tryLock(lockKey, token, ms) {
      return (await client.set(lockKey, token, 'PX', ms, 'NX')) === 'OK';
    },
    async refreshLock(lockKey, token, ms) {
      await client.eval(REFRESH_LOCK, 1, lockKey, token, String(ms));
    },
    async releaseLock(lockKey, token, marker = '', markerMs = 1) {
      await client.eval(RELEASE_LOCK, 1, lockKey, token, marker, String(markerMs));
    },
    purge: (pattern) => purgeKeys(client, pattern),
    async close() {
      client.disconnect();
    },
  };
}

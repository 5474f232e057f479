import { PresenceError } from '../errors.js'
import type { CacheAdapter } from './types.js'

/** A MULTI pipeline, as ioredis returns it from `multi()`. */
export interface RedisMultiLike {
  incrby(key: string, delta: number): RedisMultiLike
  pexpire(key: string, ttlMs: number): RedisMultiLike
  exec(): Promise<Array<[Error | null, unknown]> | null>
}

/** The part of an ioredis client (`Redis` or `Cluster`) {@link redisCache} uses. */
export interface RedisLike {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<unknown>
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>
  del(key: string): Promise<number>
  multi(): RedisMultiLike
  /** ioredis's connection state (`'ready'`, `'reconnecting'`, `'end'`...). */
  readonly status?: string
}

/** Options of {@link redisCache}. */
export interface RedisCacheOptions {
  /**
   * Prepended to every key, so several apps (or environments) share one Redis.
   * @default 'presence:'
   */
  prefix?: string
}

/** ioredis states in which a command would only wait in the offline queue. */
const DOWN = new Set(['reconnecting', 'close', 'end'])

/**
 * A cache on Redis through an ioredis client you own (and close): values
 * with `SET key value PX ttl`, counters with `MULTI INCRBY PEXPIRE`. Several
 * app instances sharing the Redis share grants and online counters.
 *
 * While the connection is down, calls fail at once with `UNAVAILABLE`
 * instead of waiting in ioredis's offline queue; the server reports the
 * error through `onDecision` and lets the authorizer decide.
 *
 * @param redis - an ioredis `Redis` (or `Cluster`) instance.
 * @param options - the key prefix.
 * @returns a {@link CacheAdapter} (asynchronous, with `increment`).
 * @example
 * ```ts
 * import Redis from 'ioredis'
 * import { redisCache } from '@presence/server/cache'
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 })
 * const presence = createPresenceServer({
 *   signer,
 *   session,
 *   cache: redisCache(redis, { prefix: 'myapp:presence:' }),
 *   channels,
 * })
 * ```
 */
export function redisCache(
  redis: RedisLike,
  options: RedisCacheOptions = {},
): CacheAdapter & { increment(key: string, delta: number, ttlMs: number): Promise<number> } {
  const prefix = options.prefix ?? 'presence:'
  const ensureUp = () => {
    if (redis.status !== undefined && DOWN.has(redis.status)) {
      throw new PresenceError('UNAVAILABLE', `redisCache: the Redis connection is ${redis.status}`)
    }
  }
  const pxOf = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs))

  return {
    async get(key) {
      ensureUp()
      return redis.get(prefix + key)
    },
    async set(key, value, ttlMs) {
      ensureUp()
      if (!(ttlMs > 0)) {
        await redis.del(prefix + key)
        return
      }
      if (Number.isFinite(ttlMs)) await redis.set(prefix + key, value, 'PX', pxOf(ttlMs))
      else await redis.set(prefix + key, value)
    },
    async delete(key) {
      ensureUp()
      await redis.del(prefix + key)
    },
    async increment(key, delta, ttlMs) {
      ensureUp()
      const results = await redis
        .multi()
        .incrby(prefix + key, Math.trunc(delta))
        .pexpire(prefix + key, pxOf(ttlMs))
        .exec()
      const [error, value] = results?.[0] ?? [new Error('MULTI was discarded'), null]
      if (error)
        throw new PresenceError('UNAVAILABLE', 'redisCache: INCRBY failed', { cause: error })
      return Number(value)
    },
  }
}

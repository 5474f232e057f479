/**
 * Cache adapters: what is already known. A channel definition opts in with
 * `cache: { ttlMs, scope }`; the server stores the authorizer's grant (never a
 * signature, never a refusal) and bypasses a failing cache.
 * @module
 */
export { type MemoryCacheOptions, memoryCache } from './memory-cache.js'
export {
  type RedisCacheOptions,
  type RedisLike,
  type RedisMultiLike,
  redisCache,
} from './redis-cache.js'
export type { CacheAdapter } from './types.js'

/**
 * The `redisCache` case, for runtimes with a TCP client (ioredis): run
 * against a real `redis-server` the runner starts on loopback. Not bundled
 * into the Worker (workerd has no TCP socket ioredis can use).
 * @module
 */
import { redisCache } from '@presence/server/cache'
import Redis from 'ioredis'
import { type Case, equal } from './harness.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One case: round trip, per-entry TTL, increment and delete on a real Redis. */
export function redisCases(redisUrl: string): Case[] {
  return [
    {
      name: 'redisCache (ioredis, real redis-server): round trip, TTL, increment, delete',
      run: async () => {
        const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
        try {
          const cache = redisCache(redis, { prefix: `conformance:${Date.now()}:` })
          equal((await cache.get('absent')) ?? null, null, 'absent')
          await cache.set('k', 'ünïcødé ✓ 中文', 10_000)
          equal(await cache.get('k'), 'ünïcødé ✓ 中文', 'round trip')
          await cache.set('short', 's', 50)
          await sleep(200)
          equal((await cache.get('short')) ?? null, null, 'expired')
          equal(await cache.increment('n', 2, 10_000), 2, 'first increment')
          equal(await cache.increment('n', 3, 10_000), 5, 'second increment')
          await cache.delete('k')
          equal((await cache.get('k')) ?? null, null, 'deleted')
        } finally {
          redis.disconnect()
        }
      },
    },
  ]
}

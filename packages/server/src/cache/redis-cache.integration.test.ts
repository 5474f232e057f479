import { type RedisServer, startRedis, waitFor } from '@presence/testing'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPresenceError } from '../errors.js'
import { describeCacheAdapter } from './conformance.js'
import { redisCache } from './redis-cache.js'

describeCacheAdapter('redisCache (ioredis, real redis-server)', async () => {
  const server = await startRedis()
  const client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  return {
    cache: redisCache(client, { prefix: 'conformance:' }),
    async teardown() {
      client.disconnect()
      await server.stop()
    },
  }
})

describe('redisCache against a real redis-server', () => {
  let server: RedisServer
  let client: Redis
  beforeAll(async () => {
    server = await startRedis()
    client = new Redis(server.port, '127.0.0.1', {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    })
    client.on('error', () => {}) // connection errors during the planned outage are expected
  })
  afterAll(async () => {
    client.disconnect()
    await server.stop()
  })

  it('stores under the prefix with a millisecond TTL (SET PX)', async () => {
    const cache = redisCache(client, { prefix: 'app1:' })
    await cache.set('grant', 'v', 5_000)
    expect(await client.get('app1:grant')).toBe('v')
    const pttl = await client.pttl('app1:grant')
    expect(pttl).toBeGreaterThan(0)
    expect(pttl).toBeLessThanOrEqual(5_000)
  })

  it('keeps apps with different prefixes apart', async () => {
    const a = redisCache(client, { prefix: 'a:' })
    const b = redisCache(client, { prefix: 'b:' })
    await a.set('k', 'from-a', 5_000)
    expect(await b.get('k')).toBeNull()
    await b.delete('k')
    expect(await a.get('k')).toBe('from-a')
  })

  it('uses the default prefix presence:', async () => {
    await redisCache(client).set('k', 'v', 5_000)
    expect(await client.get('presence:k')).toBe('v')
  })

  it('fails fast with UNAVAILABLE while redis-server is down, and works again once it is back', async () => {
    const port = server.port
    const cache = redisCache(client, { prefix: 'outage:' })
    await cache.set('k', 'before', 60_000)
    await server.stop()
    await waitFor(() => client.status !== 'ready', { timeoutMs: 5_000, what: 'ioredis to notice' })
    const calls: Array<() => unknown> = [
      () => cache.get('k'),
      () => cache.set('k', 'x', 1000),
      () => cache.increment('n', 1, 1000),
    ]
    for (const call of calls) {
      const error = await Promise.resolve()
        .then(call)
        .catch((e: unknown) => e)
      expect(isPresenceError(error) && error.code).toBe('UNAVAILABLE')
    }
    server = await startRedis({ port })
    await waitFor(() => client.status === 'ready', {
      timeoutMs: 10_000,
      what: 'ioredis to reconnect',
    })
    expect(await cache.get('k')).toBeNull() // a fresh server without persistence
    await cache.set('k', 'after', 60_000)
    expect(await cache.get('k')).toBe('after')
  })
})

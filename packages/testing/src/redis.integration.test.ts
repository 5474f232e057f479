import Redis from 'ioredis'
import { describe, expect, it } from 'vitest'
import { startRedis } from './redis.js'

describe('redis test server', () => {
  it('starts, answers commands, restarts on the same port and stops', async () => {
    const redis = await startRedis()
    const client = new Redis(redis.port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
    })
    try {
      await client.connect()
      await client.set('k', 'v')
      expect(await client.get('k')).toBe('v')
      await redis.stop()
      await expect(client.get('k')).rejects.toThrow()
      const again = await startRedis({ port: redis.port })
      await again.stop()
    } finally {
      client.disconnect()
      await redis.stop()
    }
  })
})

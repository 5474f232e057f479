/**
 * The batch service's time limits under a real fault. redis-server is frozen
 * (SIGSTOP): the cache is bypassed after its own short limit, the profile
 * channel whose `user.online` needs Redis runs into its 2 s limit and gets
 * `TIMEOUT`, and the other channels of the same batch are served.
 */
import { type RedisServer, startRedis } from '@presence/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createApp, type PresenceApp } from './app.js'

let redis: RedisServer
let app: PresenceApp
let url: string
const decisions: Array<{ channel: string; code: string | null; cacheError?: Error }> = []

beforeAll(async () => {
  redis = await startRedis()
  app = createApp({
    pusher: { appId: 'app-id', key: 'app-key', secret: 'app-secret' },
    redis: redis.url,
    demo: true,
    defaultMetrics: false,
    debug: true,
    onDecision: (event) => decisions.push(event),
  })
  ;({ url } = await app.listen())
  await app.redis.ping()
})

afterAll(async () => {
  await redis?.process.signal('SIGCONT').catch(() => {})
  await app?.close()
  await redis?.stop()
})

it('a frozen Redis times out only the channel that needs it, at its 2 s limit', {
  timeout: 60_000,
}, async () => {
  await redis.process.signal('SIGSTOP')
  try {
    const channels = ['private-user@1', 'private-stream@42', 'presence-order@1001']
    const res = await fetch(
      `${url}/pusher/batch-authenticate?socket_id=1.2&channels=${channels.join(',')}`,
      { headers: { Authorization: 'Bearer token-bob' } },
    )
    expect(res.status).toBe(200)
    const body = (await res.json()) as Record<
      string,
      { auth?: string; error?: { code: string; message?: string } }
    >
    // private-user is a normal-priority private channel: 2000 ms (the batch service).
    expect(body['private-user@1']?.error?.code).toBe('TIMEOUT')
    expect(body['private-user@1']?.error?.message).toContain('2000 ms')
    expect(body['private-stream@42']?.auth).toMatch(/^app-key:/)
    expect(body['presence-order@1001']?.auth).toMatch(/^app-key:/)
    // The stream grant could not be read from (or written to) the frozen cache: reported, bypassed.
    const stream = decisions.find((d) => d.channel === 'private-stream@42')
    expect(stream?.cacheError).toBeInstanceOf(Error)
  } finally {
    await redis.process.signal('SIGCONT')
  }
})

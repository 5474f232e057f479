/**
 * The grant cache contract on a real redis-server shared by two app
 * instances (two servers, two ioredis connections), and with Redis frozen by
 * SIGSTOP: a frozen cache adds at most `limits.cacheTimeoutMs` to an answer,
 * never grants, and a write never delays an answer.
 */
import { type RedisServer, startRedis, waitFor } from '@presence/testing'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DecisionEvent } from '../pipeline/decision-event.js'
import { grantCacheKey } from '../pipeline/grant-cache.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { redisCache } from './redis-cache.js'

const CACHE_TIMEOUT_MS = 1000
/** Room for a loaded 2-core machine; read + authorize must also fit the channel's 2 s limit. */
const MARGIN_MS = 800
const PREFIX = 'two-apps:'

let redis: RedisServer
const clients: Redis[] = []
const acl = new Set<string>()
const calls: string[] = []
const events: DecisionEvent[] = []

function app(name: string) {
  const client = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  client.on('error', () => {})
  clients.push(client)
  const allowed = (user: string | null, channel: string) => acl.has(`${user}:${channel}`)
  return createPresenceServer({
    signer: createSigner({ key: 'app-key', secret: 'app-secret' }),
    session: (request) => {
      const user = request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    cache: redisCache(client, { prefix: PREFIX }),
    limits: { cacheTimeoutMs: CACHE_TIMEOUT_MS },
    onDecision: (event) => events.push(event),
    channels: {
      'private-doc@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: ({ user, channel }) => {
          calls.push(`${name} ${user.userId} ${channel.name}`)
          return allowed(user.userId, channel.name)
        },
      },
      'private-encrypted-doc@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: ({ user, channel }) => {
          calls.push(`${name} ${user.userId} ${channel.name}`)
          return allowed(user.userId, channel.name)
        },
      },
      'private-feed@{id}': {
        user: 'optional',
        cache: { ttlMs: 60_000, scope: 'channel' },
        authorize: ({ channel }) => {
          calls.push(`${name} * ${channel.name}`)
          return allowed(null, channel.name) && { events: [{ event: 'feed', data: name }] }
        },
      },
      'presence-room@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: ({ user, channel }) => {
          calls.push(`${name} ${user.userId} ${channel.name}`)
          return (
            allowed(user.userId, channel.name) && { user_id: user.userId, user_info: { via: name } }
          )
        },
      },
    },
  })
}

let a: ReturnType<typeof app>
let b: ReturnType<typeof app>

async function auth(server: ReturnType<typeof app>, user: string | null, channel: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (user) headers['x-user'] = user
  const started = performance.now()
  const response = await server.handlers.auth(
    new Request('http://localhost/auth', {
      method: 'POST',
      headers,
      body: new URLSearchParams({ socket_id: '1.2', channel_name: channel }),
    }),
  )
  const body = await response.json()
  return { status: response.status, body, ms: performance.now() - started }
}

const written = (key: string) =>
  waitFor(async () => (await clients[0]!.get(`${PREFIX}${key}`)) !== null, {
    timeoutMs: 5000,
    what: `${key} to be written`,
  })

beforeAll(async () => {
  redis = await startRedis()
  a = app('A')
  b = app('B')
})

afterAll(async () => {
  await redis?.process.signal('SIGCONT').catch(() => {})
  for (const client of clients) client.disconnect()
  await redis?.stop()
})

describe('grant cache v2 on a real redis-server, two app instances', () => {
  it("scope 'user': a grant made on A is served on B to the same user only", async () => {
    acl.add('alice:private-doc@1')
    expect((await auth(a, 'alice', 'private-doc@1')).status).toBe(200)
    await written(grantCacheKey('private-doc@1', 'alice'))
    calls.length = 0
    expect((await auth(b, 'alice', 'private-doc@1')).status).toBe(200)
    expect(calls).toEqual([]) // from the cache
    expect((await auth(b, 'bob', 'private-doc@1')).status).toBe(403)
    expect(calls).toEqual(['B bob private-doc@1'])
  })

  it('never folds names: private-encrypted-doc@1 asks its own authorizer on either app', async () => {
    calls.length = 0
    const encrypted = await auth(b, 'alice', 'private-encrypted-doc@1')
    expect(encrypted.status).toBe(403)
    expect(encrypted.body.shared_secret).toBeUndefined()
    expect(calls).toEqual(['B alice private-encrypted-doc@1'])
  })

  it("scope 'channel': one answer for every caller, across the two apps", async () => {
    acl.add('null:private-feed@1')
    const first = await auth(a, null, 'private-feed@1')
    expect(first.status).toBe(200)
    await written(grantCacheKey('private-feed@1', null))
    calls.length = 0
    const second = await auth(b, 'carol', 'private-feed@1')
    expect(second.body.events).toEqual([{ event: 'feed', data: 'A' }])
    expect(calls).toEqual([])
  })

  it('presence: every join runs its authorizer; a revocation on one app holds on the other', async () => {
    acl.add('alice:presence-room@1')
    expect((await auth(a, 'alice', 'presence-room@1')).status).toBe(200)
    await written(grantCacheKey('presence-room@1', 'alice'))
    expect(
      JSON.parse((await clients[1]!.get(`${PREFIX}${grantCacheKey('presence-room@1', 'alice')}`))!),
    ).toEqual({
      member: { user_id: 'alice', user_info: { via: 'A' } },
    })
    acl.delete('alice:presence-room@1')
    calls.length = 0
    expect((await auth(b, 'alice', 'presence-room@1')).status).toBe(403)
    expect(calls).toEqual(['B alice presence-room@1'])
  })

  it('with Redis frozen (SIGSTOP): reads cost at most cacheTimeoutMs, writes cost nothing, nothing is granted by the cache', async () => {
    acl.add('dave:private-doc@2')
    acl.add('dave:presence-room@2')
    await redis.process.signal('SIGSTOP')
    try {
      events.length = 0
      calls.length = 0
      // A cached definition: the read waits at most cacheTimeoutMs, then the authorizer decides.
      const read = await auth(a, 'dave', 'private-doc@2')
      expect(read.status).toBe(200)
      expect(read.ms).toBeLessThanOrEqual(CACHE_TIMEOUT_MS + MARGIN_MS)
      expect(calls).toEqual(['A dave private-doc@2'])
      // Refusals hold: a frozen cache never grants.
      const refused = await auth(b, 'erin', 'private-doc@2')
      expect(refused.status).toBe(403)
      // A presence join only writes (behind the answer): no cache time at all in the answer.
      const join = await auth(b, 'dave', 'presence-room@2')
      expect(join.status).toBe(200)
      expect(join.ms).toBeLessThan(CACHE_TIMEOUT_MS)
      // Telemetry reports the frozen cache (the write's event once its bound passes).
      await waitFor(() => events.filter((event) => event.cacheError).length >= 3, {
        timeoutMs: CACHE_TIMEOUT_MS + 5000,
        what: 'the cache errors to be reported',
      })
      expect(events.every((event) => !event.cached)).toBe(true)
    } finally {
      await redis.process.signal('SIGCONT')
    }
  }, 60_000)
})

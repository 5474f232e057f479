import { describe, expect, it } from 'vitest'
import type { CacheAdapter } from './cache/types.js'
import { deny } from './errors.js'
import type { DecisionEvent } from './options.js'
import { grantCacheKey } from './pipeline/grant-cache.js'
import { createPresenceServer } from './server.js'
import {
  ALICE,
  BOB,
  bearerSessions,
  form,
  mapCache,
  post,
  pusher,
  signer,
} from './server-fixture.js'

function setup(cache: CacheAdapter, cacheTimeoutMs = 100) {
  const calls: string[] = []
  const events: DecisionEvent[] = []
  let allowBob = true
  const presence = createPresenceServer({
    signer,
    session: bearerSessions(),
    cache,
    limits: { cacheTimeoutMs },
    clientId: (request) => request.headers.get('x-client-id'),
    onDecision: (event) => events.push(event),
    channels: {
      'private-stream@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        user: 'optional',
        authorize: ({ channel }) => {
          calls.push(channel.name)
          return { events: [{ event: 'stream.online', data: { n: calls.length } }] }
        },
      },
      'private-encrypted-stream@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        user: 'optional',
        authorize: ({ channel }) => {
          calls.push(channel.name)
          return { events: [{ event: 'stream.online', data: { n: calls.length } }] }
        },
      },
      'presence-room@{id}': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: ({ user, channel }) => {
          calls.push(channel.name)
          if (user.userId === 'bob' && !allowBob) return deny('BANNED')
          return { user_id: user.userId, user_info: { n: calls.length } }
        },
      },
      'private-locked': {
        cache: { ttlMs: 60_000, scope: 'user' },
        authorize: () => {
          calls.push('private-locked')
          return false
        },
      },
      'private-feed@{id}': {
        cache: { ttlMs: 60_000, scope: 'channel' },
        user: 'optional',
        authorize: ({ channel }) => {
          calls.push(channel.name)
          return { events: [{ event: 'feed.data', data: { n: calls.length } }] }
        },
      },
    },
  })
  const auth = (channel: string, headers: Record<string, string> = ALICE) =>
    presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: channel }), headers),
    )
  return {
    presence,
    calls,
    events,
    auth,
    denyBob: () => {
      allowBob = false
    },
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('grant cache', () => {
  it('keys by the full name and the user, encoded: never folded, never the client id', () => {
    expect(grantCacheKey('private-stream@1', 'u1')).not.toBe(
      grantCacheKey('private-encrypted-stream@1', 'u1'),
    )
    expect(grantCacheKey('private-stream@1', 'u1')).not.toBe(
      grantCacheKey('private-stream@1', null),
    )
    // A user id holding the separator of a naive key cannot reach another pair's key.
    expect(grantCacheKey('private-a', 'b","c')).not.toBe(grantCacheKey('private-a","b', 'c'))
    expect(grantCacheKey('private-stream@1', 'alice')).toBe(
      'presence:grant:v2:u:["private-stream@1","alice"]',
    )
  })

  it('serves a hit without calling the authorizer, with the cached events, freshly signed', async () => {
    const { auth, calls, events } = setup(mapCache())
    const first = await (await auth('private-stream@1')).json()
    await flush()
    const second = await (await auth('private-stream@1')).json()
    await flush()
    expect(calls).toEqual(['private-stream@1'])
    expect(second).toEqual(first)
    expect(second.auth).toBe(pusher.authorizeChannel('1.2', 'private-stream@1').auth)
    expect(events.map((event) => event.cached)).toEqual([false, true])
  })

  it('answers private-encrypted-X and private-X each from its own authorizer and key', async () => {
    const { auth, calls } = setup(mapCache())
    await auth('private-stream@1')
    await flush()
    const encrypted = await (await auth('private-encrypted-stream@1')).json()
    expect(calls).toEqual(['private-stream@1', 'private-encrypted-stream@1'])
    expect(encrypted).toMatchObject(pusher.authorizeChannel('1.2', 'private-encrypted-stream@1'))
  })

  it("scope 'user': a grant is never served to another user, nor to a caller without a session", async () => {
    const { auth, calls } = setup(mapCache())
    await auth('private-stream@1', ALICE)
    await flush()
    await auth('private-stream@1', BOB)
    await flush()
    await auth('private-stream@1', {})
    await flush()
    await auth('private-stream@1', {})
    expect(calls).toHaveLength(4)
  })

  it("scope 'channel': one answer for every caller, whatever the client id", async () => {
    const { auth, calls } = setup(mapCache())
    const anonymous = await (await auth('private-feed@1', { 'x-client-id': 'c1' })).json()
    await flush()
    const alice = await (await auth('private-feed@1', { ...ALICE, 'x-client-id': 'c2' })).json()
    expect(calls).toEqual(['private-feed@1'])
    expect(alice.events).toEqual(anonymous.events)
  })

  it('never serves a presence join from the cache, and writes its member data for webhooks', async () => {
    const cache = mapCache()
    const { auth, calls, denyBob } = setup(cache)
    const bob = await (await auth('presence-room@1', BOB)).json()
    await flush()
    expect(JSON.parse(bob.channel_data).user_id).toBe('bob')
    expect(
      JSON.parse((await cache.get(grantCacheKey('presence-room@1', 'bob'))) ?? 'null'),
    ).toEqual({
      member: { user_id: 'bob', user_info: { n: 1 } },
    })
    denyBob() // revoked: the next join runs the authorizer and is refused
    const again = await auth('presence-room@1', BOB)
    expect(again.status).toBe(403)
    expect((await again.json()).error.code).toBe('BANNED')
    expect(calls).toEqual(['presence-room@1', 'presence-room@1'])
  })

  it('never caches a refusal', async () => {
    const { auth, calls } = setup(mapCache())
    expect((await auth('private-locked')).status).toBe(403)
    await flush()
    expect((await auth('private-locked')).status).toBe(403)
    expect(calls).toEqual(['private-locked', 'private-locked'])
  })

  it('never skips the session check: a planted grant is not served without a session', async () => {
    const cache = mapCache()
    const { auth } = setup(cache)
    await cache.set(
      grantCacheKey('presence-room@1', 'alice'),
      '{"member":{"user_id":"alice"}}',
      60_000,
    )
    await cache.set(
      grantCacheKey('presence-room@1', null),
      '{"member":{"user_id":"alice"}}',
      60_000,
    )
    const response = await auth('presence-room@1', {})
    expect(response.status).toBe(401)
    expect(await response.text()).not.toContain('auth"')
  })

  it('bypasses a failing cache, lets the authorizer decide, and reports the failure', async () => {
    const broken: CacheAdapter = {
      get: () => {
        throw new Error('ECONNREFUSED')
      },
      set: async () => {
        throw new Error('ECONNREFUSED')
      },
      delete: () => {},
    }
    const { auth, calls, events } = setup(broken)
    const response = await auth('private-stream@1')
    expect(response.status).toBe(200)
    expect(calls).toEqual(['private-stream@1'])
    await flush()
    expect(events[0]?.cached).toBe(false)
    expect(events[0]?.cacheError?.message).toMatch(/cache (get|set) failed/)
  })

  it('bypasses a slow cache after the cache time limit; the answer never waits for a write', async () => {
    const slow: CacheAdapter = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: () => {},
    }
    const { auth, calls, events } = setup(slow, 20)
    const response = await auth('private-stream@1')
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
    // The event waits for the write (bounded by cacheTimeoutMs), the answer did not.
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(events[0]?.cacheError?.message).toMatch(/cache (get|set) exceeded 20 ms/)
  })

  it('drops writes beyond the in-flight bound and reports them', async () => {
    const events: DecisionEvent[] = []
    const hanging: CacheAdapter = {
      get: () => null,
      set: () => new Promise(() => {}),
      delete: () => {},
    }
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      cache: hanging,
      limits: { maxCacheWritesInFlight: 2, cacheTimeoutMs: 10_000 },
      onDecision: (event) => events.push(event),
      channels: {
        'private-x@{id}': { cache: { ttlMs: 1000, scope: 'user' }, authorize: () => true },
      },
    })
    for (const id of [1, 2, 3]) {
      const response = await presence.handlers.auth(
        post('/auth', form({ socket_id: '1.2', channel_name: `private-x@${id}` }), ALICE),
      )
      expect(response.status).toBe(200)
    }
    expect(events.map((event) => event.cacheError?.message)).toEqual([
      expect.stringContaining('2 writes already in flight'),
    ])
  })

  it('ignores garbage in the cache instead of trusting it', async () => {
    const cache = mapCache()
    const { auth, calls, events } = setup(cache)
    await cache.set(grantCacheKey('private-stream@1', 'alice'), '{"member":{"user_id":""}}', 60_000)
    const response = await auth('private-stream@1', ALICE)
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
    await flush()
    expect(events[0]?.cacheError?.message).toContain('not a grant')
  })
})

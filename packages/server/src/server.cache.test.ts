import { describe, expect, it } from 'vitest'
import type { CacheAdapter } from './cache/types.js'
import { grantCacheKey } from './cache-step.js'
import { parseChannel } from './channel.js'
import { deny } from './errors.js'
import type { DecisionEvent } from './options.js'
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
    onDecision: (event) => events.push(event),
    channels: {
      'private-stream@{id}': {
        cache: { ttlMs: 60_000 },
        user: 'optional',
        authorize: ({ channel }) => {
          calls.push(channel.name)
          return { events: [{ event: 'stream.online', data: { n: calls.length } }] }
        },
      },
      'private-encrypted-stream@{id}': {
        cache: { ttlMs: 60_000 },
        user: 'optional',
        authorize: ({ channel }) => {
          calls.push(channel.name)
          return { events: [{ event: 'stream.online', data: { n: calls.length } }] }
        },
      },
      'presence-room@{id}': {
        cache: { ttlMs: 60_000 },
        authorize: ({ user, channel }) => {
          calls.push(channel.name)
          if (user.userId === 'bob' && !allowBob) return deny('BANNED')
          return { user_id: user.userId, user_info: { n: calls.length } }
        },
      },
      'private-locked': {
        cache: { ttlMs: 60_000 },
        authorize: () => {
          calls.push('private-locked')
          return false
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

describe('grant cache', () => {
  it('folds encrypted- away and keys private grants by client id (ANON) and user', () => {
    const plain = grantCacheKey(parseChannel('private-stream@1'), null, null)
    expect(grantCacheKey(parseChannel('private-encrypted-stream@1'), null, null)).toBe(plain)
    expect(plain).toContain('private-stream@1|c:ANON')
    expect(grantCacheKey(parseChannel('private-stream@1'), 'c1', null)).not.toBe(plain)
    expect(grantCacheKey(parseChannel('private-stream@1'), null, 'u1')).not.toBe(plain)
    expect(grantCacheKey(parseChannel('presence-room@1'), 'c1', 'u1')).toBe(
      grantCacheKey(parseChannel('presence-room@1'), 'c2', 'u1'),
    )
  })

  it('serves a hit without calling the authorizer, with the cached events, freshly signed', async () => {
    const { auth, calls, events } = setup(mapCache())
    const first = await (await auth('private-stream@1')).json()
    const second = await (await auth('private-stream@1')).json()
    expect(calls).toEqual(['private-stream@1'])
    expect(second).toEqual(first)
    expect(second.auth).toBe(pusher.authorizeChannel('1.2', 'private-stream@1').auth)
    expect(events.map((event) => event.cached)).toEqual([false, true])
  })

  it('shares private-encrypted-stream@1 and private-stream@1 data, signing each name', async () => {
    const { auth, calls } = setup(mapCache())
    await auth('private-stream@1')
    const encrypted = await (await auth('private-encrypted-stream@1')).json()
    expect(calls).toEqual(['private-stream@1'])
    expect(encrypted).toMatchObject(pusher.authorizeChannel('1.2', 'private-encrypted-stream@1'))
    expect(encrypted.events).toEqual([{ event: 'stream.online', data: { n: 1 } }])
  })

  it('caches presence member data per user', async () => {
    const { auth, calls } = setup(mapCache())
    const alice = await (await auth('presence-room@1', ALICE)).json()
    const bob = await (await auth('presence-room@1', BOB)).json()
    const aliceAgain = await (await auth('presence-room@1', ALICE)).json()
    expect(calls).toHaveLength(2)
    expect(JSON.parse(alice.channel_data).user_id).toBe('alice')
    expect(JSON.parse(bob.channel_data).user_id).toBe('bob')
    expect(aliceAgain).toEqual(alice)
  })

  it('never caches a refusal', async () => {
    const { auth, calls, denyBob } = setup(mapCache())
    denyBob()
    expect((await auth('presence-room@1', BOB)).status).toBe(403)
    expect((await auth('presence-room@1', BOB)).status).toBe(403)
    expect((await auth('private-locked')).status).toBe(403)
    expect((await auth('private-locked')).status).toBe(403)
    expect(calls).toEqual([
      'presence-room@1',
      'presence-room@1',
      'private-locked',
      'private-locked',
    ])
  })

  it('never skips the session check: a cached presence grant is not served without a session', async () => {
    const cache = mapCache()
    const { auth } = setup(cache)
    await auth('presence-room@1', ALICE)
    // Plant a grant where an anonymous caller's key would be, too.
    await cache.set(
      grantCacheKey(parseChannel('presence-room@1'), null, null),
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
    expect(events[0]?.cached).toBe(false)
    expect(events[0]?.cacheError?.message).toMatch(/cache (get|set) failed/)
  })

  it('bypasses a slow cache after the cache time limit', async () => {
    const slow: CacheAdapter = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
      delete: () => {},
    }
    const { auth, calls, events } = setup(slow, 20)
    const started = performance.now()
    const response = await auth('private-stream@1')
    expect(performance.now() - started).toBeLessThan(1000)
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
    expect(events[0]?.cacheError?.message).toContain('exceeded 20 ms')
  })

  it('ignores garbage in the cache instead of trusting it', async () => {
    const cache = mapCache()
    const { auth, calls, events } = setup(cache)
    await cache.set(
      grantCacheKey(parseChannel('presence-room@1'), null, 'alice'),
      '{"member":{"user_id":""}}',
      60_000,
    )
    const response = await auth('presence-room@1', ALICE)
    expect(JSON.parse((await response.json()).channel_data).user_id).toBe('alice')
    expect(calls).toHaveLength(1)
    expect(events[0]?.cacheError?.message).toContain('not a grant')
  })
})

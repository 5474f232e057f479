import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryCache } from './cache/memory-cache.js'
import { readUserGeneration } from './cache/user-generation.js'
import { createRevokeUser } from './revocation.js'
import { createPresenceServer } from './server.js'
import { ALICE, BOB, bearerSessions, form, mapCache, post, signer } from './server-fixture.js'
import { systemTimers } from './timers.js'

// The REST side runs the real `pusher` SDK against a loopback HTTP server that records the
// calls and answers with the status a test sets.
let api: Server
let status = 200
const calls: string[] = []
let rest: Pusher

beforeAll(async () => {
  api = createServer((req, res) => {
    calls.push(`${req.method} ${req.url?.split('?')[0]}`)
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(status < 400 ? '{"ok":true}' : '{"error":"down"}')
  })
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
  const { port } = api.address() as AddressInfo
  rest = new Pusher({
    appId: 'app',
    key: 'key',
    secret: 'secret',
    host: '127.0.0.1',
    port: String(port),
    useTLS: false,
  })
})
afterAll(async () => {
  await new Promise<void>((resolve) => api.close(() => resolve()))
})

const read = (cache: ReturnType<typeof memoryCache>, userId: string, create = true) =>
  readUserGeneration(cache, userId, { create, timeoutMs: 100, timers: systemTimers })

describe('user grant generations', () => {
  it('are created once, read back, and moved by a revocation', async () => {
    const cache = memoryCache()
    expect(await read(cache, 'ann', false)).toBeNull()
    const first = await read(cache, 'ann')
    expect(first).toMatch(/^\d+$/)
    expect(await read(cache, 'ann')).toBe(first)
    status = 200
    await createRevokeUser({ cache, rest, timers: systemTimers })('ann')
    const second = await read(cache, 'ann')
    expect(second).not.toBe(first)
    // Another user is untouched.
    const bob = await read(cache, 'bob')
    await createRevokeUser({ cache, rest, timers: systemTimers })('ann')
    expect(await read(cache, 'bob')).toBe(bob)
  })

  it('never come back to an old value after the cache lost them', async () => {
    const cache = memoryCache()
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) {
      const generation = await read(cache, 'ann')
      expect(seen.has(generation as string)).toBe(false)
      seen.add(generation as string)
      cache.delete('presence:usergen:v1:["ann"]')
    }
  })

  it('read as null when the cache fails (the caller bypasses the cache)', async () => {
    const broken = {
      get: () => Promise.reject(new Error('down')),
      set: () => {},
      delete: () => {},
    }
    expect(
      await readUserGeneration(broken, 'ann', {
        create: true,
        timeoutMs: 50,
        timers: systemTimers,
      }),
    ).toBeNull()
  })
})

describe('revokeUser', () => {
  it('terminates the connections through the REST API and is idempotent', async () => {
    status = 200
    calls.length = 0
    const revoke = createRevokeUser({ cache: memoryCache(), rest, timers: systemTimers })
    expect(await revoke('user 7')).toEqual({
      userId: 'user 7',
      grants: 'revoked',
      connections: 'terminated',
    })
    expect(await revoke('user 7')).toMatchObject({ grants: 'revoked' })
    expect(calls).toEqual([
      'POST /apps/app/users/user%207/terminate_connections',
      'POST /apps/app/users/user%207/terminate_connections',
    ])
  })

  it('answers REVOKE_FAILED when the REST call fails, with the cache part applied', async () => {
    status = 500
    const cache = memoryCache()
    const before = await read(cache, 'ann')
    const revoke = createRevokeUser({ cache, rest, timers: systemTimers })
    await expect(revoke('ann')).rejects.toMatchObject({
      name: 'PresenceError',
      code: 'REVOKE_FAILED',
      status: 502,
      message: expect.stringMatching(
        /terminate_connections failed \(the cached grants are revoked\)/,
      ),
    })
    expect(await read(cache, 'ann')).not.toBe(before)
    status = 200
  })

  it('still revokes the cached grants without rest, and says what is missing', async () => {
    const cache = memoryCache()
    const before = await read(cache, 'ann')
    await expect(
      createRevokeUser({ cache, rest: undefined, timers: systemTimers })('ann'),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/rest:/) })
    expect(await read(cache, 'ann')).not.toBe(before)
  })

  it('reports a cache that fails, and still ends the connections', async () => {
    status = 200
    calls.length = 0
    const broken = {
      get: () => null,
      set: () => {},
      delete: () => {},
      increment: () => Promise.reject(new Error('down')),
    }
    await expect(
      createRevokeUser({ cache: broken, rest, timers: systemTimers })('ann'),
    ).rejects.toMatchObject({
      code: 'REVOKE_FAILED',
      message: expect.stringMatching(/cached grants could not be revoked/),
    })
    expect(calls).toHaveLength(1)
  })

  it('without a cache, only ends the connections; refuses an empty user id', async () => {
    status = 200
    const revoke = createRevokeUser({ cache: undefined, rest, timers: systemTimers })
    expect(await revoke('ann')).toMatchObject({ grants: 'no-cache' })
    await expect(revoke('')).rejects.toMatchObject({ code: 'BAD_REQUEST' })
  })
})

describe('presence.revokeUser on servers sharing a cache', () => {
  for (const [label, makeCache] of [
    ['memoryCache (increment)', () => memoryCache()],
    ['a cache without increment', () => mapCache()],
  ] as const) {
    it(`makes every cached grant of the user unusable at once (${label})`, async () => {
      status = 200
      const cache = makeCache()
      const runs: string[] = []
      const make = () =>
        createPresenceServer({
          signer,
          session: bearerSessions(),
          cache,
          rest,
          channels: {
            'private-doc@{id}': {
              authorize: ({ user, params }) => {
                runs.push(`${user.userId}:${params.id}`)
                return user.userId !== 'alice' || !revoked
              },
              cache: { ttlMs: 60_000, scope: 'user' },
            },
          },
        })
      let revoked = false
      const a = make()
      const b = make()
      const ask = (server: typeof a, headers: Record<string, string>) =>
        server.handlers.auth(
          post('/auth', form({ socket_id: '1.2', channel_name: 'private-doc@1' }), headers),
        )
      expect((await ask(a, ALICE)).status).toBe(200)
      expect((await ask(a, BOB)).status).toBe(200)
      // Written behind the answer: wait until B serves both from the cache.
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect((await ask(b, ALICE)).status).toBe(200)
      expect((await ask(b, BOB)).status).toBe(200)
      expect(runs).toEqual(['alice:1', 'bob:1'])

      revoked = true
      expect(await a.revokeUser('alice')).toMatchObject({ grants: 'revoked' })
      const refused = await ask(b, ALICE)
      expect(refused.status).toBe(403)
      expect(runs).toEqual(['alice:1', 'bob:1', 'alice:1'])
      // Bob's grant is untouched.
      expect((await ask(b, BOB)).status).toBe(200)
      expect(runs).toHaveLength(3)
    })
  }

  it('refuses a rest option that cannot terminate connections', () => {
    expect(() =>
      createPresenceServer({
        signer,
        session: bearerSessions(),
        channels: {},
        rest: {} as never,
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})

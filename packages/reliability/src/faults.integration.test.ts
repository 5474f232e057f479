/**
 * Faults (issue 11 §3), each with its outcome asserted, on real soketi,
 * real redis-server, real pusher-js through @presence/client.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { createPresenceServer, createSigner, type DecisionEvent } from '@presence/server'
import { redisCache } from '@presence/server/cache'
import { toNodeHandler } from '@presence/server/node'
import {
  type RedisServer,
  type SoketiServer,
  sleep,
  soketiChannelUsers,
  startRedis,
  startSoketi,
  waitFor,
} from '@presence/testing'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const servers: Server[] = []
async function serve(routes: Record<string, (req: never, res: never) => unknown>) {
  const http = createServer((req, res) => {
    const route = routes[(req.url ?? '/').split('?')[0] ?? '/']
    if (route) void route(req as never, res as never)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  servers.push(http)
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`
}
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

describe('soketi stopped and restarted under 20 subscribed clients', () => {
  let soketi: SoketiServer
  let base: string
  const clients: PresenceClient[] = []
  const batches: string[][] = []

  beforeAll(async () => {
    soketi = await startSoketi()
    const server = createPresenceServer({
      signer: createSigner({ key: soketi.key, secret: soketi.secret }),
      session: (r) => {
        const user = r.headers.get('x-user')
        return user ? { userId: user } : null
      },
      channels: {
        'presence-room-{id}': ({ user }) => ({
          user_id: user.userId,
          user_info: { n: user.userId },
        }),
      },
    })
    base = await serve({
      '/auth': toNodeHandler(server.handlers.auth),
      '/batch': toNodeHandler(server.handlers.batch),
    })
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await soketi?.stop()
  })

  it('all resubscribe and every store converges to soketi’s truth within 5 s of reconnecting: no ghosts, no duplicates', {
    timeout: 120_000,
  }, async () => {
    const rooms = ['presence-room-a', 'presence-room-b']
    // 20 connections, 10 users: each user holds two connections (two tabs) → one member each.
    for (let i = 0; i < 20; i++) {
      const user = `u${i % 10}`
      const client = createPresenceClient({
        pusher: { key: soketi.key, ...soketi.pusherJsOptions },
        auth: {
          endpoint: `${base}/auth`,
          batchEndpoint: `${base}/batch`,
          headers: { 'x-user': user },
          fetch: (input, init) => {
            batches.push((JSON.parse(String(init?.body)) as { channels: string[] }).channels)
            return fetch(input, init)
          },
        },
        user: { id: user },
      })
      clients.push(client)
      for (const room of rooms) client.subscribe(room)
    }
    const expected = Array.from({ length: 10 }, (_, i) => `u${i}`).sort()
    const converged = async () => {
      for (const room of rooms) {
        const truth = await soketiChannelUsers(soketi, room)
        if (JSON.stringify(truth) !== JSON.stringify(expected)) return false
        for (const c of clients) {
          const s = c.members(room).getSnapshot()
          if (s.status !== 'subscribed' || s.count !== truth.length) return false
          if (JSON.stringify([...s.members.keys()].sort()) !== JSON.stringify(truth)) return false
        }
      }
      return true
    }
    await waitFor(converged, { what: 'initial convergence', timeoutMs: 20_000 })

    const port = soketi.port
    await soketi.stop()
    await waitFor(() => clients.every((c) => c.connection.getSnapshot() !== 'connected'), {
      what: 'outage noticed',
    })
    // While its own connection is down, a client keeps its last members (status 'reconnecting')
    // and reconciles them as a diff after resubscribing, so nobody flickers out of the lists.
    await waitFor(
      () =>
        clients.every((c) => c.members('presence-room-a').getSnapshot().status === 'reconnecting'),
      { what: 'presence channels reconnecting' },
    )
    for (const c of clients)
      expect([...c.members('presence-room-a').getSnapshot().members.keys()].sort()).toEqual(
        expected,
      )
    batches.length = 0
    soketi = await startSoketi({ port })
    await waitFor(() => clients.every((c) => c.connection.getSnapshot() === 'connected'), {
      what: 'all reconnected',
      timeoutMs: 60_000,
    })
    const reconnectedAt = Date.now()
    await waitFor(converged, { what: 'convergence after restart', timeoutMs: 5_000 })
    expect(Date.now() - reconnectedAt).toBeLessThanOrEqual(5_000)
    // each client resubscribed both rooms in one batched request
    expect(batches).toHaveLength(20)
    for (const b of batches) expect([...b].sort()).toEqual(rooms)
    // and stays converged: no late ghost or duplicate arrives
    await sleep(500)
    expect(await converged()).toBe(true)
  })
})

describe('redis-server stopped during load', () => {
  let redis: RedisServer
  let ioredis: Redis
  let base: string
  const decisions: DecisionEvent[] = []
  let authorizerCalls = 0

  beforeAll(async () => {
    redis = await startRedis()
    ioredis = new Redis(redis.port, '127.0.0.1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 100,
      lazyConnect: false,
    })
    ioredis.on('error', () => {})
    // Connected before the load starts: with the offline queue off, commands sent while it is
    // still connecting fail, and on Node 24 the first 40 requests all came before it was ready.
    await waitFor(() => ioredis.status === 'ready', {
      what: 'ioredis connected',
      timeoutMs: 20_000,
    })
    const server = createPresenceServer({
      signer: createSigner({ key: 'k', secret: 's' }),
      session: (r) => {
        const user = r.headers.get('x-user')
        return user ? { userId: user } : null
      },
      cache: redisCache(ioredis, { prefix: 'fault:' }),
      onDecision: (e) => decisions.push(e),
      channels: {
        'private-doc-{id}': {
          cache: { ttlMs: 60_000, scope: 'user' },
          authorize: ({ user, params }) => {
            authorizerCalls++
            return params.id.startsWith(`${user.userId}-`)
          },
        },
      },
    })
    base = await serve({ '/batch': toNodeHandler(server.handlers.batch) })
  })
  afterAll(async () => {
    ioredis?.disconnect()
    await redis?.stop()
  })

  async function round(i: number) {
    // ada owns ada-*, bob owns bob-*: each asks for one of its own and one of the other's
    const user = i % 2 === 0 ? 'ada' : 'bob'
    const other = user === 'ada' ? 'bob' : 'ada'
    const own = `private-doc-${user}-${i % 5}`
    const foreign = `private-doc-${other}-${i % 5}`
    const res = await fetch(`${base}/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': user },
      body: JSON.stringify({ socket_id: `1.${i}`, channels: [own, foreign] }),
    })
    const body = (await res.json()) as Record<string, { auth?: string; error?: { code: string } }>
    return { status: res.status, own: body[own], foreign: body[foreign] }
  }

  it('keeps answering, grants nothing wrong, reports the cache error, and uses the cache again when redis returns', {
    timeout: 120_000,
  }, async () => {
    const results: Awaited<ReturnType<typeof round>>[] = []
    const load = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) results.push(await round(i))
    }
    await load(0, 40)
    expect(decisions.some((d) => d.cached)).toBe(true)

    const port = redis.port
    const stopping = redis.stop()
    await Promise.all([stopping, load(40, 60)])
    const duringOutage = decisions.length
    await load(100, 40)
    expect(decisions.slice(duringOutage).some((d) => d.cacheError !== undefined)).toBe(true)
    expect(decisions.slice(duringOutage).every((d) => !d.cached)).toBe(true)

    redis = await startRedis({ port })
    await waitFor(() => ioredis.status === 'ready', {
      what: 'ioredis reconnected',
      timeoutMs: 20_000,
    })
    const afterRecovery = decisions.length
    await load(140, 40)
    expect(decisions.slice(afterRecovery).some((d) => d.cached)).toBe(true)
    expect(decisions.slice(afterRecovery + 20).every((d) => d.cacheError === undefined)).toBe(true)

    // every answer arrived, every own channel signed, no foreign channel ever signed
    expect(results).toHaveLength(180)
    for (const r of results) {
      expect(r.status).toBe(200)
      expect(typeof r.own?.auth).toBe('string')
      expect(r.foreign?.auth).toBeUndefined()
      expect(r.foreign?.error?.code).toBe('CHANNEL_FORBIDDEN')
    }
    expect(authorizerCalls).toBeGreaterThan(0)
  })
})

describe('authorizers and session backends that fail', () => {
  let base: string
  let sessionDown = false
  beforeAll(async () => {
    const server = createPresenceServer({
      signer: createSigner({ key: 'k', secret: 's' }),
      session: (r) => {
        if (sessionDown) throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (password=hunter2)')
        const user = r.headers.get('x-user')
        return user ? { userId: user } : null
      },
      channels: {
        'private-hang-{id}': {
          timeoutMs: 300,
          authorize: ({ signal }) =>
            new Promise<boolean>((_, reject) =>
              signal.addEventListener('abort', () => reject(new Error('aborted'))),
            ),
        },
        'private-never-{id}': { timeoutMs: 300, authorize: () => new Promise<boolean>(() => {}) },
        'private-throw-{id}': () => {
          throw new Error('db exploded at /srv/app/secret-path.ts:12')
        },
        'private-ok-{id}': () => true,
      },
    })
    base = await serve({
      '/batch': toNodeHandler(server.handlers.batch),
      '/auth': toNodeHandler(server.handlers.auth),
    })
  })

  it('a hanging or throwing authorizer fails only its own channel', async () => {
    const channels = [
      'private-hang-1',
      'private-never-1',
      'private-throw-1',
      'private-ok-1',
      'private-ok-2',
    ]
    const started = Date.now()
    const res = await fetch(`${base}/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': 'ada' },
      body: JSON.stringify({ socket_id: '1.1', channels }),
    })
    const elapsed = Date.now() - started
    const body = (await res.json()) as Record<
      string,
      { auth?: string; error?: { code: string; status: number } }
    >
    expect(res.status).toBe(200)
    expect(body['private-hang-1']?.error).toEqual({ code: 'TIMEOUT', status: 403 })
    expect(body['private-never-1']?.error).toEqual({ code: 'TIMEOUT', status: 403 })
    expect(body['private-throw-1']?.error).toEqual({ code: 'INTERNAL', status: 500 })
    expect(typeof body['private-ok-1']?.auth).toBe('string')
    expect(typeof body['private-ok-2']?.auth).toBe('string')
    expect(JSON.stringify(body)).not.toMatch(/exploded|secret-path/)
    // bounded by the time limit, not by the hung promise
    expect(elapsed).toBeLessThan(10_000)
  })

  it('a failing session backend gives 503 UNAVAILABLE with a code, never a grant, never its error text', async () => {
    sessionDown = true
    try {
      const single = await fetch(`${base}/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-user': 'ada' },
        body: 'socket_id=1.1&channel_name=private-ok-1',
      })
      expect(single.status).toBe(503)
      const text = await single.text()
      expect(JSON.parse(text)).toEqual({ error: { code: 'UNAVAILABLE' } })
      const batch = await fetch(`${base}/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': 'ada' },
        body: JSON.stringify({ socket_id: '1.1', channels: ['private-ok-1', 'private-ok-2'] }),
      })
      const batchText = await batch.text()
      expect(batchText).not.toContain('"auth"')
      expect(batchText).not.toMatch(/hunter2|ECONNREFUSED/)
      expect(batch.status === 503 || batch.status === 200).toBe(true)
      if (batch.status === 200) {
        for (const entry of Object.values(
          JSON.parse(batchText) as Record<string, { error: { code: string } }>,
        ))
          expect(entry.error.code).toBe('UNAVAILABLE')
      } else {
        expect(JSON.parse(batchText)).toEqual({ error: { code: 'UNAVAILABLE' } })
      }
    } finally {
      sessionDown = false
    }
  })
})

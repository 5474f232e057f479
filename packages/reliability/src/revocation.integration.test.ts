/**
 * Revoking a user, end to end: real soketi with user authentication on, real redis-server
 * shared by two app instances, real pusher-js clients through @presence/client.
 *
 * A user signed in on two connections sits in 3 presence channels and holds 2 private grants
 * cached with scope 'user' (written by instance A). The app removes the user's access and calls
 * revokeUser on A: soketi lists the user in no channel within 1 s, instance B does not serve the
 * cached grants (the authorizer runs and refuses), the reconnecting clients are not admitted
 * again, and another member sees the leave.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { createPresenceServer, createSigner, type PresenceServer } from '@presence/server'
import { redisCache } from '@presence/server/cache'
import { toNodeHandler } from '@presence/server/node'
import {
  type RedisServer,
  type SoketiServer,
  soketiChannelUsers,
  startRedis,
  startSoketi,
  waitFor,
} from '@presence/testing'
import Redis from 'ioredis'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOMS = ['presence-room-1', 'presence-room-2', 'presence-room-3']
const DOCS = ['private-doc-1', 'private-doc-2']

let soketi: SoketiServer
let redisServer: RedisServer
/** Users the app lets into its channels; removing one is "the app removes the access". */
const access = new Set(['ann', 'bob'])
/** Authorizer runs per instance and channel, and the cache's part in each answer. */
const decisions: Array<{ instance: string; channel: string; outcome: string; cached: boolean }> = []
const authorizerRuns: Record<string, number> = { A: 0, B: 0 }

interface Instance {
  name: string
  presence: PresenceServer
  http: Server
  redis: Redis
  base: string
}
const instances: Instance[] = []
const clients: PresenceClient[] = []

async function startInstance(name: string): Promise<Instance> {
  const redis = new Redis(redisServer.port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    rest: new Pusher(soketi.pusherOptions),
    cache: redisCache(redis, { prefix: 'revocation-test:' }),
    session: (request) => {
      const user = request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    channels: {
      'presence-room-{id}': ({ user }) => {
        authorizerRuns[name] = (authorizerRuns[name] ?? 0) + 1
        return access.has(user.userId) ? { user_id: user.userId, user_info: {} } : false
      },
      'private-doc-{id}': {
        authorize: ({ user }) => {
          authorizerRuns[name] = (authorizerRuns[name] ?? 0) + 1
          return access.has(user.userId)
        },
        cache: { ttlMs: 60_000, scope: 'user' },
      },
    },
    onDecision: (event) =>
      decisions.push({
        instance: name,
        channel: event.channel,
        outcome: event.outcome,
        cached: event.cached,
      }),
  })
  const handler = toNodeHandler(presence.handler)
  const http = createServer((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/pusher`
  const instance = { name, presence, http, redis, base }
  instances.push(instance)
  return instance
}

/** The clients' `leaveGraceMs` (the default): how long a member who left stays listed. */
const LEAVE_GRACE_MS = 3000

function connect(user: string, instance: Instance): PresenceClient {
  const client = createPresenceClient({
    pusher: { key: soketi.key, ...soketi.pusherJsOptions },
    auth: { endpoint: instance.base, headers: { 'x-user': user } },
    user: { id: user },
    leaveGraceMs: LEAVE_GRACE_MS,
  })
  clients.push(client)
  return client
}

beforeAll(async () => {
  redisServer = await startRedis()
  soketi = await startSoketi({ userAuthentication: true })
  await startInstance('A')
  await startInstance('B')
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  for (const instance of instances) {
    instance.redis.disconnect()
    instance.http.closeAllConnections()
    await new Promise((resolve) => instance.http.close(resolve))
  }
  await soketi?.stop()
  await redisServer?.stop()
})

/** POSTs a batch for `channels` as `user` to an instance, as the client would. */
async function batch(instance: Instance, user: string, channels: string[]) {
  const response = await fetch(`${instance.base}/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': user },
    body: JSON.stringify({ socket_id: '123.456', channels }),
  })
  return (await response.json()) as Record<string, { auth?: string; error?: { code: string } }>
}

const roomsOf = async (user: string) => {
  const lists = await Promise.all(ROOMS.map((room) => soketiChannelUsers(soketi, room)))
  return ROOMS.filter((_, i) => lists[i]?.includes(user))
}

describe('revokeUser with real soketi, redis and two app instances', () => {
  it('ends the user everywhere within a second, and nothing lets them back in', async () => {
    const [a, b] = instances as [Instance, Instance]
    // ann on two connections, both through instance A; bob watches the rooms.
    const annTabs = [connect('ann', a), connect('ann', a)]
    const bob = connect('bob', a)
    for (const client of [...annTabs, bob]) {
      for (const room of ROOMS) client.subscribe(room)
    }
    for (const client of annTabs) for (const doc of DOCS) client.subscribe(doc)
    const all = [...ROOMS, ...DOCS]
    await waitFor(
      () =>
        annTabs.every(
          (c) =>
            c.signIn.getSnapshot().status === 'signed-in' &&
            all.every((n) => c.members(n).getSnapshot().status === 'subscribed'),
        ) && ROOMS.every((room) => bob.members(room).getSnapshot().members.has('ann')),
      { timeoutMs: 15_000, what: 'ann signed in twice, in 3 rooms and 2 docs; bob sees her' },
    )
    expect(await roomsOf('ann')).toEqual(ROOMS)

    // The 2 grants are cached by A (scope 'user') and shared: B serves them from the cache.
    await waitFor(
      async () => {
        const before = authorizerRuns.B
        const answer = await batch(b, 'ann', DOCS)
        return DOCS.every((doc) => answer[doc]?.auth) && authorizerRuns.B === before
      },
      { timeoutMs: 5_000, what: 'B serving the cached grants' },
    )

    const revokedSeen = annTabs.map(() => false)
    annTabs.forEach((client, i) => {
      client.signIn.subscribe(() => {
        if (client.signIn.getSnapshot().status === 'revoked') revokedSeen[i] = true
      })
    })

    // The app removes the access, then revokes.
    access.delete('ann')
    const started = performance.now()
    expect(await a.presence.revokeUser('ann')).toEqual({
      userId: 'ann',
      grants: 'revoked',
      connections: 'terminated',
    })
    let leftSoketiMs = 0
    let bobSawLeaveMs = 0
    await waitFor(
      async () => {
        if (!bobSawLeaveMs && ROOMS.every((r) => !bob.members(r).getSnapshot().members.has('ann')))
          bobSawLeaveMs = performance.now() - started
        if (!leftSoketiMs && (await roomsOf('ann')).length === 0)
          leftSoketiMs = performance.now() - started
        return leftSoketiMs > 0 && bobSawLeaveMs > 0
      },
      { timeoutMs: 5_000 + LEAVE_GRACE_MS, intervalMs: 10, what: 'ann out of every room' },
    )
    console.info(
      `revokeUser: soketi lists ann in no room after ${leftSoketiMs.toFixed(0)} ms; ` +
        `bob's member lists lose her after ${bobSawLeaveMs.toFixed(0)} ms`,
    )
    expect(leftSoketiMs).toBeLessThan(1000)
    // bob's client cannot tell a revocation from a network blip: its leave grace (3000 ms by
    // default) holds ann in his lists before she leaves them, so his view follows soketi's
    // within a second once the grace is over.
    expect(bobSawLeaveMs).toBeGreaterThanOrEqual(LEAVE_GRACE_MS)
    expect(bobSawLeaveMs).toBeLessThan(LEAVE_GRACE_MS + 1000)
    await waitFor(() => revokedSeen.every(Boolean), { what: 'both connections report revoked' })

    // B no longer serves the cached grants: its authorizer runs, and refuses.
    const runsBefore = authorizerRuns.B ?? 0
    const answer = await batch(b, 'ann', DOCS)
    for (const doc of DOCS) expect(answer[doc]?.error?.code, doc).toBe('CHANNEL_FORBIDDEN')
    expect(authorizerRuns.B).toBe(runsBefore + DOCS.length)
    expect(
      decisions.filter((d) => d.instance === 'B' && d.cached && d.outcome === 'allow').length,
    ).toBeGreaterThan(0)

    // The clients connect again (new socket ids), and are not admitted anywhere.
    await waitFor(
      () =>
        annTabs.every(
          (c) =>
            c.connection.getSnapshot() === 'connected' &&
            all.every((n) => c.members(n).getSnapshot().status === 'forbidden'),
        ),
      { timeoutMs: 10_000, what: 'ann reconnected and refused everywhere' },
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await roomsOf('ann')).toEqual([])
    for (const room of ROOMS) expect(bob.members(room).getSnapshot().members.has('ann')).toBe(false)
    // Revoking again is harmless.
    expect(await a.presence.revokeUser('ann')).toMatchObject({ grants: 'revoked' })
  })
})

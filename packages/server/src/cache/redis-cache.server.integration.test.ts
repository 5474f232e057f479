import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type RedisServer,
  type SoketiServer,
  startRedis,
  startSoketi,
  waitFor,
} from '@presence/testing'
import Redis from 'ioredis'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNodeHandler } from '../http/node.js'
import type { DecisionEvent } from '../options.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { redisCache } from './redis-cache.js'

// Issue 4, acceptance 2: the Redis cache inside the real pipeline. pusher-js clients
// subscribe through a real soketi; handlers.auth (via toNodeHandler) authorizes them with
// grants cached in a real redis-server, which the test stops and restarts mid-way.

let soketi: SoketiServer
let redisServer: RedisServer
let redis: Redis
let http: Server
let authUrl: string
const authorizerCalls: string[] = []
const decisions: DecisionEvent[] = []

beforeAll(async () => {
  redisServer = await startRedis()
  soketi = await startSoketi()
  // Fail fast while the server is away; reconnect quickly once it is back.
  redis = new Redis(redisServer.port, '127.0.0.1', {
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  })
  redis.on('error', () => {}) // connection errors during the planned outage are expected
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    session: () => null,
    cache: redisCache(redis, { prefix: 'acceptance:' }),
    onDecision: (event) => decisions.push(event),
    // A loaded 2-core CI machine can take longer than the 100 ms default for a loopback GET.
    limits: { cacheTimeoutMs: 1000 },
    channels: {
      'private-stream@{id}': {
        user: 'optional',
        // Anonymous callers: one answer for every caller of the channel.
        cache: { ttlMs: 60_000, scope: 'channel' },
        authorize: ({ params }) => {
          authorizerCalls.push(params.id)
          return !params.id.startsWith('secret')
        },
      },
    },
  })
  const auth = toNodeHandler(presence.handlers.auth)
  http = createServer((req, res) => void auth(req, res))
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  authUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/pusher/auth`
})

afterAll(async () => {
  redis?.disconnect()
  await new Promise((resolve) => http?.close(resolve))
  await soketi?.stop()
  await redisServer?.stop()
})

/** Subscribes a fresh pusher-js connection; resolves with the outcome soketi reports. */
async function subscribeOnce(channelName: string): Promise<'subscribed' | number> {
  const client = new PusherJs(soketi.key, {
    ...soketi.pusherJsOptions,
    channelAuthorization: { endpoint: authUrl, transport: 'ajax' },
  })
  try {
    const channel = client.subscribe(channelName)
    return await new Promise<'subscribed' | number>((resolve) => {
      channel.bind('pusher:subscription_succeeded', () => resolve('subscribed'))
      channel.bind('pusher:subscription_error', (error: { status?: number }) =>
        resolve(error.status ?? 0),
      )
    })
  } finally {
    client.disconnect()
  }
}

const lastDecision = (channel: string) => decisions.filter((d) => d.channel === channel).at(-1)

describe('redisCache in the auth pipeline (real redis-server, soketi, pusher-js)', () => {
  it('serves the second subscription to a cached private channel without calling the authorizer', async () => {
    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(authorizerCalls).toEqual(['1'])
    expect(lastDecision('private-stream@1')).toMatchObject({ outcome: 'allow', cached: false })
    // Written behind the answer: wait for it rather than assume it landed first.
    await waitFor(async () => (await redis.keys('acceptance:*')).length === 1, {
      timeoutMs: 5_000,
      what: 'the grant to be written',
    })

    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(authorizerCalls).toEqual(['1'])
    expect(lastDecision('private-stream@1')).toMatchObject({ outcome: 'allow', cached: true })
  })

  it('never caches a refusal: each attempt asks the authorizer again', async () => {
    expect(await subscribeOnce('private-stream@secret-1')).toBe(403)
    expect(await subscribeOnce('private-stream@secret-1')).toBe(403)
    expect(authorizerCalls.filter((id) => id === 'secret-1')).toHaveLength(2)
    expect(lastDecision('private-stream@secret-1')).toMatchObject({
      outcome: 'deny',
      code: 'CHANNEL_FORBIDDEN',
    })
  })

  it('with redis-server stopped: answers stay correct, decisions report the cache error, refusals hold', async () => {
    const port = redisServer.port
    await redisServer.stop()
    await waitFor(() => redis.status !== 'ready', {
      timeoutMs: 5_000,
      what: 'ioredis to see the outage',
    })

    const callsBefore = authorizerCalls.length
    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(authorizerCalls.length).toBe(callsBefore + 1) // the cache is bypassed; the authorizer decides
    const allowed = lastDecision('private-stream@1')
    expect(allowed).toMatchObject({ outcome: 'allow', cached: false })
    expect(allowed?.cacheError).toBeInstanceOf(Error)

    expect(await subscribeOnce('private-stream@secret-2')).toBe(403)
    const refused = lastDecision('private-stream@secret-2')
    expect(refused).toMatchObject({ outcome: 'deny', code: 'CHANNEL_FORBIDDEN', cached: false })
    expect(refused?.cacheError).toBeInstanceOf(Error)
    expect(
      decisions
        .filter((d) => d.channel.startsWith('private-stream@secret'))
        .every((d) => d.outcome === 'deny'),
    ).toBe(true)

    // Back up (empty: no persistence): the next subscription fills the cache, the one after hits it.
    redisServer = await startRedis({ port })
    await waitFor(() => redis.status === 'ready', {
      timeoutMs: 10_000,
      what: 'ioredis to reconnect',
    })
    const callsAfterOutage = authorizerCalls.length
    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(await subscribeOnce('private-stream@1')).toBe('subscribed')
    expect(authorizerCalls.length).toBe(callsAfterOutage + 1)
    expect(lastDecision('private-stream@1')).toMatchObject({ outcome: 'allow', cached: true })
    expect(lastDecision('private-stream@1')?.cacheError).toBeUndefined()
  })
})

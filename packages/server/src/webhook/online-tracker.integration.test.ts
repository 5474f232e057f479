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
import { redisCache } from '../cache/redis-cache.js'
import { toNodeHandler } from '../http/node.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { type OnlineTracker, onlineTracker } from './online-tracker.js'

// Two app instances share one redis-server. soketi is configured with one webhook entry per
// instance, and (as soketi does) posts the same signed body to both: each instance runs the
// tracker, deduplicated by signature, and both answer the same "online?".

const credentials = { appId: 'ot-app', key: 'ot-key', secret: 'ot-secret' }
let redisServer: RedisServer
let soketi: SoketiServer
const instances: Array<{
  http: Server
  redis: Redis
  online: OnlineTracker
  url: string
  hits: number
}> = []

async function startInstance() {
  const redis = new Redis(redisServer.port, '127.0.0.1', { maxRetriesPerRequest: 1 })
  const online = onlineTracker({ cache: redisCache(redis, { prefix: 'app:' }) })
  const presence = createPresenceServer({
    signer: createSigner({ key: credentials.key, secret: credentials.secret }),
    session: (request) => {
      const user = request.headers.get('x-user')
      return user ? { userId: user } : null
    },
    channels: { 'presence-lobby': ({ user }) => ({ user_id: user.userId, user_info: {} }) },
    webhooks: { online },
  })
  const auth = toNodeHandler(presence.handlers.auth)
  const webhook = toNodeHandler(presence.handlers.webhook)
  const instance = { http: createServer(), redis, online, url: '', hits: 0 }
  instance.http.on('request', (req, res) => {
    if (req.url === '/webhook') {
      instance.hits++
      void webhook(req, res)
    } else void auth(req, res)
  })
  await new Promise<void>((resolve) => instance.http.listen(0, '127.0.0.1', resolve))
  instance.url = `http://127.0.0.1:${(instance.http.address() as AddressInfo).port}`
  instances.push(instance)
  return instance
}

beforeAll(async () => {
  redisServer = await startRedis()
  const a = await startInstance()
  const b = await startInstance()
  soketi = await startSoketi({
    ...credentials,
    webhooks: [
      { url: `${a.url}/webhook`, event_types: ['member_added', 'member_removed'] },
      { url: `${b.url}/webhook`, event_types: ['member_added', 'member_removed'] },
    ],
  })
})

afterAll(async () => {
  await soketi?.stop()
  for (const instance of instances) {
    instance.redis.disconnect()
    await new Promise((resolve) => instance.http.close(resolve))
  }
  await redisServer?.stop()
})

function connect(userId: string, authUrl: string) {
  return new PusherJs(soketi.key, {
    ...soketi.pusherJsOptions,
    channelAuthorization: {
      endpoint: `${authUrl}/auth`,
      transport: 'ajax',
      headers: { 'X-User': userId },
    },
  })
}

describe('onlineTracker shared by two app instances through Redis', () => {
  it('both instances agree, and a body delivered to both counts once', async () => {
    const [a, b] = instances
    if (!a || !b) throw new Error('instances not started')
    const ann = connect('ann', a.url)
    const annSecond = connect('ann', b.url)
    try {
      const subscribed = (client: PusherJs) =>
        new Promise<void>((resolve, reject) => {
          const channel = client.subscribe('presence-lobby')
          channel.bind('pusher:subscription_succeeded', () => resolve())
          channel.bind('pusher:subscription_error', (e: unknown) =>
            reject(new Error(JSON.stringify(e))),
          )
        })
      await subscribed(ann)
      await waitFor(
        async () => (await a.online.isOnline('ann')) && (await b.online.isOnline('ann')),
        {
          timeoutMs: 10_000,
          what: 'ann online on both instances',
        },
      )
      // A second connection of the same user: soketi sends no member_added (ann is already a member).
      await subscribed(annSecond)
      await waitFor(() => a.hits >= 1 && b.hits >= 1, {
        timeoutMs: 10_000,
        what: 'both instances hit',
      })
      expect(await a.online.channelCount('ann')).toBe(1)
      expect(await b.online.channelCount('ann')).toBe(1)
      expect(await b.online.isOnlineIn('ann', 'presence-lobby')).toBe(true)
      // The join was delivered to both instances but counted once (deduplicated by signature).
      expect(await a.redis.get('app:online:c:presence-lobby:ann')).toBe('1')

      ann.disconnect()
      // ann still has a connection: still online.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await a.online.isOnline('ann')).toBe(true)

      annSecond.disconnect()
      await waitFor(
        async () => !(await a.online.isOnline('ann')) && !(await b.online.isOnline('ann')),
        {
          timeoutMs: 10_000,
          what: 'ann offline on both instances',
        },
      )
      expect(await a.online.channelCount('ann')).toBe(0)
      // Every delivery reached both instances (soketi posts the body to each entry).
      expect(a.hits).toBe(b.hits)
    } finally {
      ann.disconnect()
      annSecond.disconnect()
    }
  })
})

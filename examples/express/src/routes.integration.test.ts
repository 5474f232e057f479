/**
 * The batch service's HTTP surface over real HTTP: `GET /pusher/batch-authenticate`
 * with `X-Client-ID` and client hints, the single `POST /pusher/auth`, and
 * signatures equal to the `pusher` SDK's. No websocket server is needed here.
 */
import { type RedisServer, startRedis } from '@presence/testing'
import Pusher from 'pusher'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type PresenceApp } from './app.js'

const credentials = { appId: 'app-id', key: 'app-key', secret: 'app-secret' }
const sdk = new Pusher({ ...credentials, host: '127.0.0.1', useTLS: false })
const socketId = '1234.5678'

let redis: RedisServer
let app: PresenceApp
let url: string
const decisions: Array<{ channel: string; outcome: string; code: string | null }> = []

beforeAll(async () => {
  redis = await startRedis()
  app = createApp({
    pusher: credentials,
    redis: redis.url,
    demo: true,
    defaultMetrics: false,
    debug: false,
    onDecision: (event) => decisions.push(event),
  })
  ;({ url } = await app.listen())
})

afterAll(async () => {
  await app?.close()
  await redis?.stop()
})

type Entry = {
  auth?: string
  channel_data?: string
  events?: Array<{ event: string }>
  error?: { code: string; status: number; message?: string }
}

describe('GET /pusher/batch-authenticate (the comma-separated form)', () => {
  it('answers every channel, with client hints and pusher-identical signatures', async () => {
    const channels = [
      'private-stream@42',
      'presence-order@1001',
      'private-order@1002',
      'private-nope@1',
    ]
    const res = await fetch(
      `${url}/pusher/batch-authenticate?socket_id=${socketId}&channels=${channels.join(',')}`,
      { headers: { Authorization: 'Bearer token-bob', 'X-Client-ID': 'web-1' } },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('accept-ch')).toBe('DPR')
    expect(res.headers.get('accept-ch-lifetime')).toBe('3600')
    const body = (await res.json()) as Record<string, Entry>

    const stream = body['private-stream@42']!
    expect(stream.auth).toBe(sdk.authorizeChannel(socketId, 'private-stream@42').auth)
    expect(stream.events?.map((e) => e.event)).toContain('stream.online')

    const order = body['presence-order@1001']!
    const member = JSON.parse(order.channel_data!) as {
      user_id: string
      user_info: { role: string }
    }
    expect(member).toMatchObject({ user_id: '2', user_info: { name: 'bob', role: 'buyer' } })
    expect(order.auth).toBe(
      sdk.authorizeChannel(socketId, 'presence-order@1001', member as Pusher.PresenceChannelData)
        .auth,
    )

    // carol's order and an unknown feature: refused alone, codes only (production mode).
    expect(body['private-order@1002']).toEqual({ error: { code: 'ORDER_FORBIDDEN', status: 403 } })
    expect(body['private-nope@1']).toEqual({ error: { code: 'CHANNEL_UNKNOWN', status: 403 } })
  })

  it('serves public private channels to anonymous callers and refuses the personal ones', async () => {
    const res = await fetch(
      `${url}/pusher/batch-authenticate?socket_id=${socketId}&channels=private-goal@7,private-asset@302,private-chat@901`,
    )
    const body = (await res.json()) as Record<string, Entry>
    expect(body['private-goal@7']?.events).toEqual([
      {
        event: 'goal.updated',
        data: {
          id: '7',
          streamId: '42',
          title: 'New camera',
          target: 1000,
          progress: 420,
          status: 'started',
        },
      },
    ])
    expect(body['private-asset@302']?.error?.code).toBe('ASSET_FORBIDDEN')
    expect(body['private-chat@901']?.error).toEqual({ code: 'UNAUTHENTICATED', status: 401 })
  })
})

describe('POST /pusher/auth (one channel, pusher-js form)', () => {
  it('signs an allowed channel and answers 403 with the code for a refused one', async () => {
    const post = (channel: string, token: string) =>
      fetch(`${url}/pusher/auth`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ socket_id: socketId, channel_name: channel }),
      })
    const allowed = await post('private-chat@901', 'token-alice')
    expect(allowed.status).toBe(200)
    expect(((await allowed.json()) as Entry).auth).toBe(
      sdk.authorizeChannel(socketId, 'private-chat@901').auth,
    )
    const refused = await post('private-chat@901', 'token-eve')
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ error: { code: 'CHAT_FORBIDDEN' } })
    expect(decisions.at(-1)).toMatchObject({
      channel: 'private-chat@901',
      outcome: 'deny',
      code: 'CHAT_FORBIDDEN',
    })
  })
})

describe('POST /pusher/user-auth (pusher-js signin)', () => {
  it('signs the session user with their profile, as the pusher SDK would', async () => {
    const res = await fetch(`${url}/pusher/user-auth`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer token-carol',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ socket_id: socketId }),
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { auth: string; user_data: string }
    expect(JSON.parse(body.user_data)).toEqual({ id: '3', user_info: { name: 'carol' } })
    expect(body).toEqual(sdk.authenticateUser(socketId, { id: '3', user_info: { name: 'carol' } }))

    const anonymous = await fetch(`${url}/pusher/user-auth`, {
      method: 'POST',
      body: new URLSearchParams({ socket_id: socketId }),
    })
    expect(anonymous.status).toBe(401)
  })
})

import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import { SignJWT } from 'jose'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryCache } from '../cache/memory-cache.js'
import { toNodeHandler } from '../http/node.js'
import { createPresenceServer } from '../server.js'
import { bearerJwt } from '../session/bearer-jwt.js'
import { createSigner } from '../signer/signer.js'
import { onlineTracker } from './online-tracker.js'
import type { WebhookEvent } from './types.js'

// Issue 4, acceptance 3: webhooks sent by soketi itself reach the handlers, verified;
// tampered deliveries are refused.

const JWT_SECRET = 'webhook-integration-jwt-secret-0123456789'
const token = (userId: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .sign(new TextEncoder().encode(JWT_SECRET))

let soketi: SoketiServer
let http: Server
let base: string
const received: WebhookEvent[] = []
const deliveries: Array<{ status: number; body: string; signature: string }> = []
const online = onlineTracker({ cache: memoryCache() })

beforeAll(async () => {
  // The app server exists before soketi so soketi can be given its URL; the signer learns
  // soketi's credentials, which startSoketi lets us choose.
  const credentials = { appId: 'wh-app', key: 'wh-key', secret: 'wh-secret' }
  const presence = createPresenceServer({
    signer: createSigner({ key: credentials.key, secret: credentials.secret }),
    session: bearerJwt({ secret: JWT_SECRET }),
    channels: {
      'presence-room-{id}': ({ user }) => ({
        user_id: user.userId,
        user_info: { name: user.userId },
      }),
    },
    webhooks: {
      online,
      channel_occupied: (event) => void received.push(event),
      channel_vacated: (event) => void received.push(event),
      member_added: (event) => void received.push(event),
      member_removed: (event) => void received.push(event),
      client_event: (event) => void received.push(event),
    },
  })
  const auth = toNodeHandler(presence.handlers.auth)
  const webhook = toNodeHandler(presence.handlers.webhook)
  http = createServer((req, res) => {
    if (req.url === '/pusher/webhook') {
      // Record what soketi sent (raw), then let the real handler answer.
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('finish', () =>
        deliveries.push({
          status: res.statusCode,
          body: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['x-pusher-signature']),
        }),
      )
      void webhook(req, res)
    } else if (req.url === '/pusher/auth') void auth(req, res)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  soketi = await startSoketi({
    ...credentials,
    webhooks: [
      {
        url: `${base}/pusher/webhook`,
        event_types: [
          'channel_occupied',
          'channel_vacated',
          'member_added',
          'member_removed',
          'client_event',
        ],
      },
    ],
  })
})

afterAll(async () => {
  await soketi?.stop()
  await new Promise((resolve) => http?.close(resolve))
})

async function connect(userId: string) {
  const client = new PusherJs(soketi.key, {
    ...soketi.pusherJsOptions,
    channelAuthorization: {
      endpoint: `${base}/pusher/auth`,
      transport: 'ajax',
      headers: { Authorization: `Bearer ${await token(userId)}` },
    },
  })
  return client
}

function subscribed(channel: { bind: (e: string, f: (data: unknown) => void) => void }) {
  return new Promise<void>((resolve, reject) => {
    channel.bind('pusher:subscription_succeeded', () => resolve())
    channel.bind('pusher:subscription_error', (e: unknown) => reject(new Error(JSON.stringify(e))))
  })
}

const names = () =>
  received.map((e) => `${e.name}${'user_id' in e && e.user_id ? `:${e.user_id}` : ''}`)

describe('webhooks from a real soketi', () => {
  it('delivers channel_occupied, member_added, client_event, member_removed, channel_vacated, verified', async () => {
    const room = 'presence-room-1'
    const ann = await connect('ann')
    const bob = await connect('bob')
    try {
      const annRoom = ann.subscribe(room)
      await subscribed(annRoom)
      await waitFor(() => names().includes('member_added:ann'), {
        timeoutMs: 10_000,
        what: 'member_added ann',
      })
      await waitFor(() => names().includes('channel_occupied'), {
        timeoutMs: 10_000,
        what: 'channel_occupied',
      })
      // Sent together as two posts: either may land first.
      expect(names().slice(0, 2).sort()).toEqual(['channel_occupied', 'member_added:ann'])
      expect(await online.isOnline('ann')).toBe(true)
      expect(await online.isOnlineIn('ann', room)).toBe(true)

      const bobRoom = bob.subscribe(room)
      await subscribed(bobRoom)
      await waitFor(() => names().includes('member_added:bob'), {
        timeoutMs: 10_000,
        what: 'member_added bob',
      })
      expect(await online.isOnline('bob')).toBe(true)

      bobRoom.trigger('client-typing', { typing: true })
      await waitFor(() => received.some((e) => e.name === 'client_event'), {
        timeoutMs: 10_000,
        what: 'client_event',
      })
      expect(received.find((e) => e.name === 'client_event')).toMatchObject({
        channel: room,
        event: 'client-typing',
        user_id: 'bob',
      })

      ann.unsubscribe(room)
      await waitFor(() => names().includes('member_removed:ann'), {
        timeoutMs: 10_000,
        what: 'member_removed ann',
      })
      expect(await online.isOnline('ann')).toBe(false)
      expect(await online.isOnline('bob')).toBe(true)

      bob.disconnect()
      await waitFor(
        () => names().includes('channel_vacated') && names().includes('member_removed:bob'),
        {
          timeoutMs: 10_000,
          what: 'member_removed bob and channel_vacated',
        },
      )
      expect(await online.isOnline('bob')).toBe(false)
    } finally {
      ann.disconnect()
      bob.disconnect()
    }

    // Each webhook is its own HTTP post, so two sent together (on disconnect) may swap.
    expect(names().slice(0, 2).sort()).toEqual(['channel_occupied', 'member_added:ann'])
    expect(names().slice(2, 5)).toEqual([
      'member_added:bob',
      'client_event:bob',
      'member_removed:ann',
    ])
    expect(names().slice(5).sort()).toEqual(['channel_vacated', 'member_removed:bob'])
    expect(received.every((e) => e.channel === room)).toBe(true)
    expect(deliveries.length).toBeGreaterThan(0)
    expect(deliveries.every((d) => d.status === 200)).toBe(true)
  })

  it('refuses a replayed soketi delivery with a tampered body or signature (401)', async () => {
    const original = deliveries[0]
    expect(original).toBeDefined()
    if (!original) return
    const post = (body: string, signature: string) =>
      fetch(`${base}/pusher/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pusher-key': soketi.key,
          'x-pusher-signature': signature,
        },
        body,
      })
    const before = received.length
    const tamperedBody = original.body.replace('presence-room-1', 'presence-room-2')
    expect(tamperedBody).not.toBe(original.body)
    expect((await post(tamperedBody, original.signature)).status).toBe(401)
    const flipped = original.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'))
    expect((await post(original.body, flipped)).status).toBe(401)
    expect(
      (
        await post(
          original.body,
          createHmac('sha256', 'not-the-secret').update(original.body).digest('hex'),
        )
      ).status,
    ).toBe(401)
    expect(received.length).toBe(before)
    // The untouched delivery still verifies (and the tracker ignores it as a redelivery).
    expect((await post(original.body, original.signature)).status).toBe(200)
  })
})

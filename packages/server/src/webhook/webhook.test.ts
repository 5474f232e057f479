import { createHmac } from 'node:crypto'
import Pusher from 'pusher'
import { describe, expect, it } from 'vitest'
import { memoryCache } from '../cache/memory-cache.js'
import { createWebhookHandler } from '../http/webhook-handler.js'
import { grantCacheKey } from '../pipeline/grant-cache.js'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { systemTimers } from '../timers.js'
import { onlineTracker } from './online-tracker.js'
import type { WebhookEvent } from './types.js'

const KEY = 'app-key'
const SECRET = 'app-secret'
const signer = createSigner({ key: KEY, secret: SECRET })

function delivery(
  body: string,
  overrides: { key?: string; signature?: string; method?: string; contentType?: string } = {},
) {
  const signature = overrides.signature ?? createHmac('sha256', SECRET).update(body).digest('hex')
  return new Request('http://localhost/api/pusher/webhook', {
    method: overrides.method ?? 'POST',
    headers: {
      'content-type': overrides.contentType ?? 'application/json',
      'x-pusher-key': overrides.key ?? KEY,
      'x-pusher-signature': signature,
    },
    ...(overrides.method === 'GET' ? {} : { body }),
  })
}

const payload = (events: unknown[], timeMs = Date.now()) =>
  JSON.stringify({ time_ms: timeMs, events })

function recorder() {
  const seen: Array<{ event: WebhookEvent; channel: string | null }> = []
  const push = (event: WebhookEvent, ctx: { channel: { name: string } | null }) => {
    seen.push({ event, channel: ctx.channel?.name ?? null })
  }
  return {
    seen,
    webhooks: {
      channel_occupied: push,
      channel_vacated: push,
      member_added: push,
      member_removed: push,
      client_event: push,
    },
  }
}

describe('handlers.webhook: verification (issue 4)', () => {
  const body = payload([{ name: 'channel_occupied', channel: 'presence-room' }])

  it('accepts a delivery signed with the app secret and dispatches it', async () => {
    const { seen, webhooks } = recorder()
    const handler = createWebhookHandler({ signer, webhooks })
    const response = await handler(delivery(body))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true, events: 1 })
    expect(seen).toEqual([
      { event: { name: 'channel_occupied', channel: 'presence-room' }, channel: 'presence-room' },
    ])
  })

  it('answers 401 for a tampered body, signature or key, and calls no handler', async () => {
    const { seen, webhooks } = recorder()
    const handler = createWebhookHandler({ signer, webhooks, debug: true })
    const signature = createHmac('sha256', SECRET).update(body).digest('hex')
    const tampered = [
      delivery(body.replace('presence-room', 'presence-roon'), { signature }),
      delivery(body, { signature: signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
      delivery(body, {
        signature: signature.toUpperCase() === signature ? 'x' : signature.toUpperCase(),
      }),
      delivery(body, {
        signature: createHmac('sha256', 'other-secret').update(body).digest('hex'),
      }),
      delivery(body, { key: 'other-key' }),
      delivery(body, { signature: '' }),
      delivery(`${body} `, { signature }),
    ]
    for (const request of tampered) {
      const response = await handler(request)
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'WEBHOOK_SIGNATURE_INVALID',
      )
    }
    const noHeaders = new Request('http://localhost/hook', { method: 'POST', body })
    expect((await handler(noHeaders)).status).toBe(401)
    expect(seen).toEqual([])
  })

  it('answers 400 for a signed body that is not a webhook', async () => {
    const handler = createWebhookHandler({ signer })
    for (const bad of [
      'not json',
      '[]',
      '{"events":[]}',
      '{"time_ms":1,"events":{}}',
      payload([{ name: 'member_added', channel: 'presence-a' }]),
    ]) {
      const response = await handler(delivery(bad))
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'BAD_REQUEST',
      )
    }
  })

  it('answers 405 to anything but POST', async () => {
    const response = await createWebhookHandler({ signer })(delivery('', { method: 'GET' }))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })

  it('verifies with a pusher instance as the signer, like the pusher SDK would', async () => {
    const pusher = new Pusher({ appId: '1', key: KEY, secret: SECRET, host: '127.0.0.1' })
    const handler = createWebhookHandler({ signer: pusher })
    expect((await handler(delivery(body))).status).toBe(200)
    const sdk = pusher.webhook({
      headers: {
        'content-type': 'application/json',
        'x-pusher-key': KEY,
        'x-pusher-signature': createHmac('sha256', SECRET).update(body).digest('hex'),
      },
      rawBody: body,
    })
    expect(sdk.isValid()).toBe(true)
  })

  it('rejects a body too large before reading it all', async () => {
    const handler = createWebhookHandler({ signer, maxBodyBytes: 100 })
    const big = payload(
      Array.from({ length: 10 }, () => ({ name: 'channel_occupied', channel: 'presence-room' })),
    )
    const response = await handler(delivery(big))
    expect(response.status).toBe(413)
  })
})

describe('handlers.webhook: dispatch', () => {
  it('calls each typed handler in order and skips unknown event names', async () => {
    const { seen, webhooks } = recorder()
    const handler = createWebhookHandler({ signer, webhooks })
    const events = [
      { name: 'channel_occupied', channel: 'presence-chat@5' },
      { name: 'member_added', channel: 'presence-chat@5', user_id: 'u1' },
      {
        name: 'client_event',
        channel: 'presence-chat@5',
        event: 'client-typing',
        data: '{"on":true}',
        socket_id: '1.2',
        user_id: 'u1',
      },
      { name: 'subscription_count', channel: 'presence-chat@5', subscription_count: 1 },
      { name: 'member_removed', channel: 'presence-chat@5', user_id: 'u1' },
      { name: 'channel_vacated', channel: 'presence-chat@5' },
    ]
    const response = await handler(delivery(payload(events)))
    expect(await response.json()).toEqual({ ok: true, events: 5 })
    expect(seen.map((s) => s.event.name)).toEqual([
      'channel_occupied',
      'member_added',
      'client_event',
      'member_removed',
      'channel_vacated',
    ])
    expect(seen[2]?.event).toMatchObject({
      event: 'client-typing',
      data: '{"on":true}',
      user_id: 'u1',
    })
  })

  it('answers 500 when a handler throws, reports it, and still runs the other handlers', async () => {
    const errors: string[] = []
    const ran: string[] = []
    const handler = createWebhookHandler({
      signer,
      webhooks: {
        channel_occupied: () => {
          throw new Error('db down')
        },
        channel_vacated: ({ channel }) => {
          ran.push(channel)
        },
        onError: (error, event) => errors.push(`${event.name}: ${(error as Error).message}`),
      },
    })
    const response = await handler(
      delivery(
        payload([
          { name: 'channel_occupied', channel: 'private-a' },
          { name: 'channel_vacated', channel: 'private-b' },
        ]),
      ),
    )
    expect(response.status).toBe(500)
    expect(errors).toEqual(['channel_occupied: db down'])
    expect(ran).toEqual(['private-b'])
  })

  it('gives handlers the cache and the member data the auth pipeline cached (seed 001)', async () => {
    const cache = memoryCache()
    const key = grantCacheKey('presence-stream@7', 'u7')
    cache.set(
      key,
      JSON.stringify({ member: { user_id: 'u7', user_info: { name: 'Ann' } } }),
      60_000,
    )
    const infos: unknown[] = []
    const handler = createWebhookHandler({
      signer,
      cache,
      webhooks: {
        member_added: async (_event, ctx) => {
          expect(ctx.cache).toBe(cache)
          infos.push(await ctx.cachedMember())
        },
      },
    })
    await handler(
      delivery(
        payload([
          { name: 'member_added', channel: 'presence-stream@7', user_id: 'u7' },
          { name: 'member_added', channel: 'presence-stream@7', user_id: 'u8' },
        ]),
      ),
    )
    expect(infos).toEqual([{ user_id: 'u7', user_info: { name: 'Ann' } }, null])
  })

  it('refuses unknown handler names when created (typo guard)', () => {
    expect(() =>
      createWebhookHandler({ signer, webhooks: { member_add: () => {} } as never }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })
})

describe('createPresenceServer({ webhooks })', () => {
  it('serves handlers.webhook with the server signer and cache', async () => {
    const cache = memoryCache()
    const online = onlineTracker({ cache })
    const added: string[] = []
    const presence = createPresenceServer({
      signer,
      session: () => null,
      channels: { 'presence-room': () => false },
      cache,
      webhooks: {
        online,
        member_added: async (event, ctx) => {
          added.push(event.user_id)
          expect(await ctx.online?.isOnline(event.user_id)).toBe(true)
        },
      },
    })
    const body = payload([{ name: 'member_added', channel: 'presence-room', user_id: 'u1' }])
    expect((await presence.handlers.webhook(delivery(body))).status).toBe(200)
    expect(added).toEqual(['u1'])
    expect(await online.isOnline('u1')).toBe(true)
    expect((await presence.handlers.webhook(delivery(body, { key: 'nope' }))).status).toBe(401)
  })
})

describe('handlers.webhook: replays (a captured delivery is not accepted again)', () => {
  const MINUTE = 60_000
  const occupied = (timeMs?: number) =>
    payload([{ name: 'channel_occupied', channel: 'presence-room' }], timeMs)
  const codeOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string } }).error.code

  it('refuses a validly signed delivery dated outside 5 minutes with 401 WEBHOOK_EXPIRED', async () => {
    const { seen, webhooks } = recorder()
    const handler = createWebhookHandler({ signer, webhooks })
    for (const timeMs of [Date.UTC(2001, 0, 1), Date.now() - 6 * MINUTE, Date.now() + 6 * MINUTE]) {
      const response = await handler(delivery(occupied(timeMs)))
      expect(response.status).toBe(401)
      expect(await codeOf(response)).toBe('WEBHOOK_EXPIRED')
    }
    expect(seen).toEqual([])
    expect((await handler(delivery(occupied(Date.now() - 4 * MINUTE)))).status).toBe(200)
    expect(seen).toHaveLength(1)
  })

  it('reads the window from maxAgeMs and the clock from timers.epochMs', async () => {
    const { seen, webhooks } = recorder()
    let now = Date.UTC(2030, 5, 1)
    const handler = createWebhookHandler({
      signer,
      webhooks,
      maxAgeMs: 10_000,
      timers: { ...systemTimers, epochMs: () => now },
    })
    expect((await handler(delivery(occupied(now - 9_000)))).status).toBe(200)
    now += 60_000
    expect(await codeOf(await handler(delivery(occupied(now - 11_000))))).toBe('WEBHOOK_EXPIRED')
    expect(seen).toHaveLength(1)
  })

  it('runs every handler once for a delivery received twice (not only the online tracker)', async () => {
    const { seen, webhooks } = recorder()
    const handler = createWebhookHandler({ signer, webhooks })
    const body = payload([
      { name: 'channel_occupied', channel: 'presence-room' },
      { name: 'member_added', channel: 'presence-room', user_id: 'u1' },
      { name: 'client_event', channel: 'presence-room', event: 'client-x', data: '{}' },
    ])
    expect(await (await handler(delivery(body))).json()).toEqual({ ok: true, events: 3 })
    const again = await handler(delivery(body))
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ ok: true, events: 3, duplicate: true })
    expect(seen.map((s) => s.event.name)).toEqual([
      'channel_occupied',
      'member_added',
      'client_event',
    ])
  })

  it('de-duplicates across instances sharing a cache, and runs a failed delivery again', async () => {
    const cache = memoryCache()
    let failures = 1
    const ran: string[] = []
    const webhooks = {
      channel_vacated: ({ channel }: { channel: string }) => {
        if (failures-- > 0) throw new Error('db down')
        ran.push(channel)
      },
    }
    const a = createWebhookHandler({ signer, cache, webhooks })
    const b = createWebhookHandler({ signer, cache, webhooks })
    const body = payload([{ name: 'channel_vacated', channel: 'private-a' }])
    expect((await a(delivery(body))).status).toBe(500)
    // The sender retries the failed delivery: it runs again, on whichever instance gets it.
    expect((await b(delivery(body))).status).toBe(200)
    expect(await (await a(delivery(body))).json()).toMatchObject({ duplicate: true })
    expect(ran).toEqual(['private-a'])
  })

  it('answers 503 when the shared delivery log fails, and runs nothing', async () => {
    const { seen, webhooks } = recorder()
    const broken = {
      get: () => null,
      set: () => {},
      delete: () => {},
      increment: () => Promise.reject(new Error('redis down')),
    }
    const handler = createWebhookHandler({ signer, webhooks, cache: broken })
    const response = await handler(delivery(occupied()))
    expect(response.status).toBe(503)
    expect(seen).toEqual([])
  })

  it('takes limits.webhookMaxAgeMs in createPresenceServer', async () => {
    const presence = createPresenceServer({
      signer,
      session: () => null,
      channels: { 'presence-room': () => false },
      limits: { webhookMaxAgeMs: 1_000 },
    })
    const response = await presence.handlers.webhook(delivery(occupied(Date.now() - 5_000)))
    expect(response.status).toBe(401)
    expect(await codeOf(response)).toBe('WEBHOOK_EXPIRED')
  })
})

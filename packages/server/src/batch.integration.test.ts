import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SoketiServer, soketiChannelUsers, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TIMEOUT_MS } from './channel/registry.js'
import { toNodeHandler } from './http/node.js'
import type { DecisionEvent } from './options.js'
import { createPresenceServer } from './server.js'
import type { Session } from './session/types.js'
import { createSigner } from './signer/signer.js'

// Issue 3, acceptance 2: 20 channels through handlers.batch in one HTTP request with
// one session lookup; a never-resolving authorizer gets TIMEOUT within its limit
// + 100 ms, the other 19 are signed and subscribed.

let soketi: SoketiServer
let pusher: Pusher
let server: Server
let endpoint: string
let sessionLookups = 0
let httpRequests = 0
const clients: PusherJs[] = []
const decisions: DecisionEvent[] = []

beforeAll(async () => {
  soketi = await startSoketi()
  pusher = new Pusher(soketi.pusherOptions)
  const presence = createPresenceServer({
    signer: createSigner({ key: soketi.key, secret: soketi.secret }),
    onDecision: (event) => decisions.push(event),
    session: (request): Session | null => {
      sessionLookups++
      const header = request.headers.get('authorization')
      return header?.startsWith('Bearer ') ? { userId: header.slice(7) } : null
    },
    channels: {
      'private-feed@{id}': ({ params }) => ({
        events: [{ event: 'feed.state', data: { id: params.id } }],
      }),
      'presence-room@{id}': ({ user }) => ({ user_id: user.userId }),
      // Never answers: the default 2000 ms limit applies.
      'private-stuck': () => new Promise<boolean>(() => {}),
    },
  })
  const batch = toNodeHandler(presence.handlers.batch)
  server = createServer((req, res) => {
    httpRequests++
    void batch(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/batch`
})

afterAll(async () => {
  for (const client of clients) client.disconnect()
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await soketi?.stop()
})

type Callback = (error: Error | null, data: { auth: string } | null) => void

/**
 * A test-local batching customHandler: the subscriptions of one tick go out
 * as one POST { socket_id, channels } and the answers fan back out.
 */
function batchingHandler(
  bearer: string,
  onFlush: (elapsedMs: number, body: Record<string, unknown>) => void,
) {
  let pending: Array<{ channelName: string; socketId: string; callback: Callback }> = []
  const flush = async () => {
    const batch = pending
    pending = []
    const started = performance.now()
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({
        socket_id: batch[0]!.socketId,
        channels: batch.map((item) => item.channelName),
      }),
    })
    const body = (await response.json()) as Record<
      string,
      { auth?: string; error?: { code: string } }
    >
    onFlush(performance.now() - started, body)
    for (const { channelName, callback } of batch) {
      const entry = body[channelName]
      if (entry?.auth) callback(null, entry as { auth: string })
      else callback(new Error(entry?.error?.code ?? 'MISSING'), null)
    }
  }
  return (params: { channelName: string; socketId: string }, callback: Callback) => {
    if (pending.length === 0) setTimeout(() => void flush(), 0)
    pending.push({ ...params, callback })
  }
}

describe('acceptance 2: batch through handlers.batch', () => {
  it('authorizes 20 channels in one request and one session lookup; the stuck one times out alone', async () => {
    const flushes: Array<{ elapsedMs: number; body: Record<string, unknown> }> = []
    const client = new PusherJs(soketi.key, {
      ...soketi.pusherJsOptions,
      channelAuthorization: {
        customHandler: batchingHandler('ada', (elapsedMs, body) =>
          flushes.push({ elapsedMs, body }),
        ),
      } as never,
    })
    clients.push(client)
    await new Promise<void>((resolve) => client.connection.bind('connected', resolve))
    const names = [
      ...Array.from({ length: 10 }, (_, i) => `private-feed@${i}`),
      ...Array.from({ length: 9 }, (_, i) => `presence-room@${i}`),
      'private-stuck',
    ]
    const before = { sessionLookups, httpRequests }
    const outcomes = names.map((name) => {
      const channel = client.subscribe(name)
      return new Promise<{ name: string; ok: boolean }>((resolve) => {
        channel.bind('pusher:subscription_succeeded', () => resolve({ name, ok: true }))
        channel.bind('pusher:subscription_error', () => resolve({ name, ok: false }))
      })
    })
    const results = await Promise.all(outcomes)

    expect(httpRequests - before.httpRequests).toBe(1)
    expect(sessionLookups - before.sessionLookups).toBe(1)
    expect(flushes).toHaveLength(1)
    const { elapsedMs, body } = flushes[0]!
    expect(body['private-stuck']).toEqual({ error: { code: 'TIMEOUT', status: 403 } })
    // The channel's own decision time, as the server measured it: its limit + 100 ms at most.
    // (The HTTP round trip seen by the client adds the other channels and the loaded
    // machine's scheduling, so it only gets a sanity bound.)
    const stuck = decisions.find((d) => d.channel === 'private-stuck')
    expect(stuck).toMatchObject({ outcome: 'deny', code: 'TIMEOUT', status: 403 })
    expect(stuck!.durationMs).toBeLessThan(DEFAULT_TIMEOUT_MS + 100)
    expect(stuck!.durationMs).toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 5)
    expect(elapsedMs).toBeGreaterThanOrEqual(DEFAULT_TIMEOUT_MS - 5)
    expect(elapsedMs).toBeLessThan(DEFAULT_TIMEOUT_MS + 1000)
    expect(body['private-feed@3']).toMatchObject({
      events: [{ event: 'feed.state', data: { id: '3' } }],
    })
    expect(results.filter((result) => result.ok).map((result) => result.name)).toEqual(
      names.slice(0, 19),
    )
    expect(results.find((result) => result.name === 'private-stuck')).toEqual({
      name: 'private-stuck',
      ok: false,
    })

    // The 19 are really subscribed on soketi: members are listed, events arrive.
    await waitFor(
      async () => (await soketiChannelUsers(soketi, 'presence-room@4')).includes('ada'),
      {
        timeoutMs: 5000,
        what: 'ada in presence-room@4 on soketi',
      },
    )
    const received = new Promise((resolve) =>
      client.channel('private-feed@7')!.bind('ping', resolve),
    )
    await pusher.trigger('private-feed@7', 'ping', { ok: true })
    expect(await received).toEqual({ ok: true })
  })
})

import { describe, expect, it } from 'vitest'
import { createPresenceServer } from './server.js'
import { ALICE, bearerSessions, form, post, pusher, signer } from './server-fixture.js'

function server(extra: { debug?: boolean; concurrency?: number } = {}) {
  const session = bearerSessions()
  const calls: string[] = []
  let inFlight = 0
  let maxInFlight = 0
  const presence = createPresenceServer({
    signer,
    session,
    debug: extra.debug ?? false,
    limits: { concurrency: extra.concurrency ?? 16 },
    channels: {
      'private-stream@{id}': async ({ params }) => {
        calls.push(params.id)
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 5))
        inFlight--
        return params.id !== 'no'
      },
      'private-hang': { timeoutMs: 50, authorize: () => new Promise<boolean>(() => {}) },
      'private-crash': () => {
        throw new Error('boom')
      },
      'presence-room@{id}': ({ user }) => ({ user_id: user.userId }),
    },
  })
  return { presence, session, calls, maxInFlight: () => maxInFlight }
}

const get = (query: string, headers: Record<string, string> = ALICE) =>
  new Request(`http://app.test/batch?${query}`, { headers })

describe('handlers.batch', () => {
  it('answers GET ?socket_id&channels=a,b (seed 001) with one entry per channel and one session lookup', async () => {
    const { presence, session } = server()
    const response = await presence.handlers.batch(
      get('socket_id=1.2&channels=private-stream@1,presence-room@2,private-stream@no'),
    )
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body).toEqual({
      'private-stream@1': pusher.authorizeChannel('1.2', 'private-stream@1'),
      'presence-room@2': pusher.authorizeChannel('1.2', 'presence-room@2', {
        user_id: 'alice',
        user_info: {},
      }),
      'private-stream@no': { error: { code: 'CHANNEL_FORBIDDEN', status: 403 } },
    })
    expect(session.calls).toBe(1)
  })

  it('takes repeated channels params verbatim (names holding commas)', async () => {
    const { presence } = server()
    const body = await (
      await presence.handlers.batch(
        get('socket_id=1.2&channels=private-stream@a,b&channels=private-stream@c'),
      )
    ).json()
    expect(Object.keys(body)).toEqual(['private-stream@a,b', 'private-stream@c'])
  })

  it('answers POST JSON { socket_id, channels }', async () => {
    const { presence } = server()
    const body = await (
      await presence.handlers.batch(
        post('/batch', { socket_id: '1.2', channels: ['private-stream@1'] }, ALICE),
      )
    ).json()
    expect(body).toEqual({ 'private-stream@1': pusher.authorizeChannel('1.2', 'private-stream@1') })
  })

  it("answers pusher-js-auth's form (channel_name[i]) in its { status, data } shape", async () => {
    const { presence } = server()
    const payload = `socket_id=1.2&channel_name[0]=${encodeURIComponent('private-stream@1')}&channel_name[1]=private-stream%40no&channel_name[2]=private-unknown`
    const body = await (await presence.handlers.batch(post('/batch', payload, ALICE))).json()
    expect(body).toEqual({
      'private-stream@1': { status: 200, data: pusher.authorizeChannel('1.2', 'private-stream@1') },
      'private-stream@no': { status: 403, data: { error: { code: 'CHANNEL_FORBIDDEN' } } },
      'private-unknown': { status: 403, data: { error: { code: 'CHANNEL_UNKNOWN' } } },
    })
  })

  it('answers every name, __proto__ and constructor included (the answer map has no prototype)', async () => {
    const { presence } = server()
    const names = ['__proto__', 'constructor', 'toString', 'private-stream@1', 'hasOwnProperty']
    const response = await presence.handlers.batch(
      post('/batch', { socket_id: '1.2', channels: names }, ALICE),
    )
    const text = await response.text()
    const body = JSON.parse(text)
    expect(Object.keys(body)).toEqual(names)
    // JSON.parse makes "__proto__" an own data property; read it as one, not through the accessor.
    expect(Object.getOwnPropertyDescriptor(body, '__proto__')?.value).toEqual({
      error: { code: 'BAD_REQUEST', status: 400 },
    })
    expect(body['private-stream@1']).toEqual(pusher.authorizeChannel('1.2', 'private-stream@1'))
  })

  it('starts longer-limit channels first (presence, priority high), request order otherwise', async () => {
    const order: string[] = []
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      limits: { concurrency: 1 },
      channels: {
        'private-doc@{id}': ({ channel }) => Boolean(order.push(channel.name)),
        'private-live@{id}': {
          priority: 'high',
          authorize: ({ channel }) => Boolean(order.push(channel.name)),
        },
        'private-slow@{id}': {
          timeoutMs: 3000,
          authorize: ({ channel }) => Boolean(order.push(channel.name)),
        },
        'presence-room@{id}': ({ user, channel }) => {
          order.push(channel.name)
          return { user_id: user.userId }
        },
      },
    })
    const channels = [
      'private-doc@1',
      'private-slow@1',
      'private-doc@2',
      'presence-room@1',
      'private-live@1',
    ]
    const response = await presence.handlers.batch(
      post('/batch', { socket_id: '1.2', channels }, ALICE),
    )
    expect(Object.keys(await response.json())).toEqual(channels) // answered in request order
    expect(order).toEqual([
      'presence-room@1',
      'private-live@1',
      'private-slow@1',
      'private-doc@1',
      'private-doc@2',
    ])
  })

  it('answers duplicate channels once', async () => {
    const { presence, calls } = server()
    const body = await (
      await presence.handlers.batch(
        post(
          '/batch',
          {
            socket_id: '1.2',
            channels: ['private-stream@1', 'private-stream@1', 'private-stream@2'],
          },
          ALICE,
        ),
      )
    ).json()
    expect(Object.keys(body)).toEqual(['private-stream@1', 'private-stream@2'])
    expect(calls.sort()).toEqual(['1', '2'])
  })

  it('refuses a bad channel alone, and times out one channel without affecting the others', async () => {
    const { presence } = server()
    const started = performance.now()
    const body = await (
      await presence.handlers.batch(
        post(
          '/batch',
          {
            socket_id: '1.2',
            channels: ['private-hang', 'private-crash', 'bad name', 'news', 'private-stream@1'],
          },
          ALICE,
        ),
      )
    ).json()
    expect(performance.now() - started).toBeLessThan(1000)
    expect(body['private-hang']).toEqual({ error: { code: 'TIMEOUT', status: 403 } })
    expect(body['private-crash']).toEqual({ error: { code: 'INTERNAL', status: 500 } })
    expect(body['bad name']).toEqual({ error: { code: 'BAD_REQUEST', status: 400 } })
    expect(body.news).toEqual({ error: { code: 'BAD_REQUEST', status: 400 } })
    expect(body['private-stream@1']).toEqual(pusher.authorizeChannel('1.2', 'private-stream@1'))
  })

  it('answers 401 per channel without a session, 200 overall', async () => {
    const { presence } = server()
    const response = await presence.handlers.batch(
      get('socket_id=1.2&channels=private-stream@1,private-nope', {}),
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      'private-stream@1': { error: { code: 'UNAUTHENTICATED', status: 401 } },
      'private-nope': { error: { code: 'UNAUTHENTICATED', status: 401 } },
    })
  })

  it('never asks the session store when no channel name is valid', async () => {
    const { presence, session } = server()
    const response = await presence.handlers.batch(get('socket_id=1.2&channels=news,bad%20name'))
    expect(response.status).toBe(200)
    expect(session.calls).toBe(0)
  })

  it('fails the whole batch with 503 when the session adapter throws', async () => {
    const presence = createPresenceServer({
      signer,
      session: async () => {
        throw new Error('session store down')
      },
      channels: { 'private-stream@{id}': () => true },
    })
    const response = await presence.handlers.batch(
      get('socket_id=1.2&channels=private-stream@1,private-stream@2'),
    )
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: { code: 'UNAVAILABLE' } })
  })

  it('bounds concurrency', async () => {
    const state = server({ concurrency: 3 })
    const channels = Array.from({ length: 12 }, (_, i) => `private-stream@${i}`)
    await state.presence.handlers.batch(post('/batch', { socket_id: '1.2', channels }, ALICE))
    expect(state.calls).toHaveLength(12)
    expect(state.maxInFlight()).toBe(3)
  })

  it('caps channels per request at 100 with 413 TOO_MANY_CHANNELS', async () => {
    const { presence, calls } = server()
    const channels = Array.from({ length: 101 }, (_, i) => `private-stream@${i}`)
    const response = await presence.handlers.batch(
      post('/batch', { socket_id: '1.2', channels }, ALICE),
    )
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: { code: 'TOO_MANY_CHANNELS' } })
    expect(calls).toHaveLength(0)
    const hundred = await presence.handlers.batch(
      post('/batch', { socket_id: '1.2', channels: channels.slice(0, 100) }, ALICE),
    )
    expect(hundred.status).toBe(200)
  })

  it.each([
    ['GET without socket_id', get('channels=private-stream@1')],
    ['GET without channels', get('socket_id=1.2')],
    ['GET with empty channels', get('socket_id=1.2&channels=')],
    ['JSON channels not strings', post('/batch', { socket_id: '1.2', channels: [1] }, ALICE)],
    [
      'JSON bad socket id',
      post('/batch', { socket_id: 12, channels: ['private-stream@1'] }, ALICE),
    ],
    [
      'form bad socket id',
      post('/batch', form({ socket_id: 'x', 'channel_name[0]': 'private-a' }), ALICE),
    ],
  ])('fails the whole request with 400 for %s', async (_name, request) => {
    const response = await server().presence.handlers.batch(request)
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('BAD_REQUEST')
  })

  it('puts message and trace in batch entries in debug mode', async () => {
    const { presence } = server({ debug: true })
    const body = await (
      await presence.handlers.batch(get('socket_id=1.2&channels=private-stream@no'))
    ).json()
    const entry = body['private-stream@no'].error
    expect(entry.code).toBe('CHANNEL_FORBIDDEN')
    expect(entry.status).toBe(403)
    expect(entry.message).toContain('refused the channel')
    expect(entry.trace.map((step: { check: string }) => step.check)).toEqual([
      'shape',
      'name',
      'session',
      'lookup',
      'user',
      'authorizer',
    ])
  })
})

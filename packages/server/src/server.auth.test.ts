import { describe, expect, it, vi } from 'vitest'
import { deny } from './errors.js'
import { createPresenceServer } from './server.js'
import { ALICE, bearerSessions, form, post, pusher, signer } from './server-fixture.js'

function server(debug = false) {
  const session = bearerSessions()
  const sessions = new Map([
    ['s1', { tenantId: 'acme', userId: 'alice' }],
    ['s2', { tenantId: 'acme', userId: 'bob' }],
  ])
  const presence = createPresenceServer({
    signer,
    session,
    debug,
    channels: {
      'presence-messenger': ({ user }) => ({
        user_id: user.userId,
        user_info: { name: user.userId },
      }),
      'private-stream@{streamId}': ({ params }) => params.streamId !== 'closed',
      'private-encrypted-stream@{streamId}': () => true,
      'private-session-{sessionId}': ({ user, params }) => {
        const doc = sessions.get(params.sessionId)
        if (!doc || doc.tenantId !== user.tenantId)
          return deny('SESSION_NOT_FOUND', `no ${params.sessionId}`)
        return doc.userId === user.userId || deny('USER_MISMATCH')
      },
      'private-public-feed': { user: 'optional', authorize: ({ user }) => user === null || true },
      'private-crash': () => {
        throw new Error('db password=hunter2 leaked in message')
      },
    },
  })
  return { presence, session }
}

const auth = (channel: string, headers: Record<string, string> = ALICE, debug = false) =>
  server(debug).presence.handlers.auth(
    post('/auth', form({ socket_id: '123.456', channel_name: channel }), headers),
  )

describe('handlers.auth', () => {
  it('signs a private channel exactly like pusher.authorizeChannel', async () => {
    const response = await auth('private-stream@42')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.text()).toBe(
      JSON.stringify(pusher.authorizeChannel('123.456', 'private-stream@42')),
    )
  })

  it('signs presence member data and encrypted shared secrets', async () => {
    const presence = await (await auth('presence-messenger')).json()
    expect(presence).toEqual(
      pusher.authorizeChannel('123.456', 'presence-messenger', {
        user_id: 'alice',
        user_info: { name: 'alice' },
      }),
    )
    const encrypted = await (await auth('private-encrypted-stream@1')).json()
    expect(encrypted).toEqual(pusher.authorizeChannel('123.456', 'private-encrypted-stream@1'))
    expect(encrypted.shared_secret).toBeTypeOf('string')
  })

  it('accepts a JSON body', async () => {
    const response = await server().presence.handlers.auth(
      post('/auth', { socket_id: '1.2', channel_name: 'private-stream@1' }, ALICE),
    )
    expect(await response.json()).toEqual(pusher.authorizeChannel('1.2', 'private-stream@1'))
  })

  it('answers 401 without a session for known and unknown channels alike (anonymous callers learn nothing)', async () => {
    for (const channel of ['presence-messenger', 'private-unknown@1']) {
      const response = await auth(channel, {})
      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })
    }
  })

  it('lets anonymous callers reach user: optional definitions', async () => {
    const response = await auth('private-public-feed', {})
    expect(response.status).toBe(200)
  })

  it.each([
    ['private-unknown@1', 403, 'CHANNEL_UNKNOWN'],
    ['private-stream@closed', 403, 'CHANNEL_FORBIDDEN'],
    ['private-session-s9', 403, 'SESSION_NOT_FOUND'],
    ['private-session-s2', 403, 'USER_MISMATCH'],
    ['private-crash', 500, 'INTERNAL'],
    ['news', 400, 'BAD_REQUEST'],
    ['private-bad name', 400, 'BAD_REQUEST'],
  ])('%s → %i %s with only the code in production', async (channel, status, code) => {
    const response = await auth(channel)
    expect(response.status).toBe(status)
    const text = await response.text()
    expect(JSON.parse(text)).toEqual({ error: { code } })
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('auth')
  })

  it('adds the message and the ordered trace in debug mode, never a stack', async () => {
    const response = await auth('private-session-s2', ALICE, true)
    const body = await response.json()
    expect(body.error.code).toBe('USER_MISMATCH')
    expect(body.error.message).toBe('USER_MISMATCH')
    expect(body.error.trace.map((step: { check: string }) => step.check)).toEqual([
      'shape',
      'name',
      'session',
      'lookup',
      'user',
      'authorizer',
    ])
    expect(body.error.trace.at(-1)).toMatchObject({ check: 'authorizer', outcome: 'fail' })
    const unknown = await (await auth('private-unknown@1', ALICE, true)).json()
    expect(unknown.error.message).toContain("'private-unknown@{id}'")
    expect(unknown.error.trace.at(-1)).toMatchObject({ check: 'lookup', outcome: 'fail' })
    const crash = await (await auth('private-crash', ALICE, true)).text()
    expect(crash).not.toContain('    at ')
  })

  it.each([
    [form({ channel_name: 'private-stream@1' }), 'socket_id is missing'],
    [form({ socket_id: 'abc', channel_name: 'private-stream@1' }), 'not a Pusher socket id'],
    [form({ socket_id: '1.2' }), 'channel_name is missing'],
  ])('answers 400 BAD_REQUEST for %s', async (body, message) => {
    const response = await server(true).presence.handlers.auth(post('/auth', body, ALICE))
    expect(response.status).toBe(400)
    const json = await response.json()
    expect(json.error).toMatchObject({ code: 'BAD_REQUEST' })
    expect(json.error.message).toContain(message)
  })

  it('reads a POST without content type as a form', async () => {
    const response = await server().presence.handlers.auth(
      new Request('http://app.test/auth', {
        method: 'POST',
        headers: ALICE,
        body: new Blob([form({ socket_id: '1.2', channel_name: 'private-stream@1' })]),
      }),
    )
    expect(response.status).toBe(200)
  })

  it('refuses other content types with 400 UNSUPPORTED_MEDIA_TYPE and bad JSON with 400', async () => {
    const xml = await server().presence.handlers.auth(
      post('/auth', 'socket_id=1.2', { ...ALICE, 'content-type': 'text/xml' }),
    )
    expect(xml.status).toBe(400)
    expect(await xml.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } })
    const badJson = await server().presence.handlers.auth(
      post('/auth', '{"socket_id":', { ...ALICE, 'content-type': 'application/json' }),
    )
    expect(badJson.status).toBe(400)
    const array = await server().presence.handlers.auth(
      post('/auth', '[1]', { 'content-type': 'application/json' }),
    )
    expect(array.status).toBe(400)
  })

  it('refuses bodies over 64 KB with 413 PAYLOAD_TOO_LARGE, streamed or declared', async () => {
    const big = form({
      socket_id: '1.2',
      channel_name: 'private-stream@1',
      pad: 'x'.repeat(70_000),
    })
    const response = await server().presence.handlers.auth(post('/auth', big, ALICE))
    expect(response.status).toBe(413)
    expect(await response.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE' } })
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)))
        controller.close()
      },
    })
    const streamed = await server().presence.handlers.auth(
      new Request('http://app.test/auth', {
        method: 'POST',
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )
    expect(streamed.status).toBe(413)
  })

  it('answers 503 UNAVAILABLE when the session adapter throws', async () => {
    const presence = createPresenceServer({
      signer,
      session: () => {
        throw new Error('redis down')
      },
      channels: { 'private-a': () => true },
    })
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-a' })),
    )
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: { code: 'UNAVAILABLE' } })
  })

  it('checks the name before the session (DESIGN order): a bad name is 400 even when the session store is down', async () => {
    const presence = createPresenceServer({
      signer,
      session: () => {
        throw new Error('redis down')
      },
      channels: { 'private-a': () => true },
    })
    for (const channel of ['private-bad name', 'news']) {
      const response = await presence.handlers.auth(
        post('/auth', form({ socket_id: '1.2', channel_name: channel })),
      )
      expect(response.status).toBe(400)
    }
  })

  it('answers 405 with Allow for other methods', async () => {
    const response = await server().presence.handlers.auth(new Request('http://app.test/auth'))
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('gives a timed-out authorizer 403 TIMEOUT and aborts its signal', async () => {
    const aborted = vi.fn()
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      debug: true,
      channels: {
        'private-slow': {
          timeoutMs: 30,
          authorize: ({ signal }) =>
            new Promise<boolean>(() => {
              signal.addEventListener('abort', () => aborted(signal.reason.code))
            }),
        },
      },
    })
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-slow' }), ALICE),
    )
    expect(response.status).toBe(403)
    const body = await response.json()
    expect(body.error.code).toBe('TIMEOUT')
    expect(body.error.message).toContain('30 ms')
    expect(body.error.trace.at(-1)).toMatchObject({ check: 'timeout', outcome: 'fail' })
    expect(aborted).toHaveBeenCalledWith('TIMEOUT')
  })

  it('uses injected timers for time limits', async () => {
    let fire: (() => void) | undefined
    let limit = 0
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      timers: {
        now: () => 0,
        setTimeout: (callback, ms) => {
          fire = callback
          limit = ms
          return 1
        },
        clearTimeout: () => {},
      },
      channels: { 'presence-room': () => new Promise(() => {}) },
    })
    const pending = presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'presence-room' }), ALICE),
    )
    await vi.waitFor(() => expect(fire).toBeDefined())
    expect(limit).toBe(4000)
    fire!()
    expect((await pending).status).toBe(403)
  })

  it('refuses presence data over the limits with USER_DATA_INVALID naming the limit', async () => {
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      debug: true,
      channels: { 'presence-big': () => ({ user_id: 'u', user_info: { bio: 'x'.repeat(3000) } }) },
    })
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'presence-big' }), ALICE),
    )
    expect(response.status).toBe(500)
    const body = await response.json()
    expect(body.error.code).toBe('USER_DATA_INVALID')
    expect(body.error.message).toContain('maxChannelDataBytes')
  })

  it('accepts a pusher instance as signer', async () => {
    const presence = createPresenceServer({
      signer: pusher as never,
      session: bearerSessions(),
      channels: { 'private-a': () => true },
    })
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-a' }), ALICE),
    )
    expect(await response.json()).toEqual(pusher.authorizeChannel('1.2', 'private-a'))
  })
})

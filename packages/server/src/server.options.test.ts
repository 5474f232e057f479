import { describe, expect, it } from 'vitest'
import type { DecisionEvent } from './options.js'
import { createPresenceServer } from './server.js'
import { ALICE, bearerSessions, form, post, pusher, signer } from './server-fixture.js'
import { signerFromPusher } from './signer/from-pusher.js'
import { createSigner } from './signer/signer.js'

const EXTENSION = 'chrome-extension://fknlbepfifidngnngmbogjpmllkcadoo'

describe('cors', () => {
  const presence = createPresenceServer({
    signer,
    session: bearerSessions(),
    cors: { origins: ['https://app.example.com', EXTENSION], allowHeaders: ['X-Client-ID'] },
    channels: { 'private-a': () => true },
  })

  it('answers a preflight from a listed origin (chrome-extension included)', async () => {
    const response = await presence.handlers.auth(
      new Request('http://app.test/auth', {
        method: 'OPTIONS',
        headers: { origin: EXTENSION, 'access-control-request-method': 'POST' },
      }),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(EXTENSION)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Authorization, Content-Type, X-Client-ID',
    )
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('vary')).toBe('Origin')
  })

  it('gives no CORS grant to other origins, on preflight or answer', async () => {
    const preflight = await presence.handlers.auth(
      new Request('http://app.test/auth', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example' },
      }),
    )
    expect(preflight.status).toBe(405)
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    const answer = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-a' }), {
        ...ALICE,
        origin: 'https://app.example.com.evil',
      }),
    )
    expect(answer.headers.get('access-control-allow-origin')).toBeNull()
    expect(answer.headers.get('vary')).toBe('Origin')
  })

  it('grants listed origins on answers, errors included', async () => {
    const ok = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-a' }), {
        ...ALICE,
        origin: 'https://app.example.com',
      }),
    )
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    const refused = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-b' }), { origin: EXTENSION }),
    )
    expect(refused.status).toBe(401)
    expect(refused.headers.get('access-control-allow-origin')).toBe(EXTENSION)
  })

  it('rejects wildcard and malformed origins at creation', () => {
    for (const origins of [
      ['*'],
      ['https://*.example.com'],
      ['https://app.example.com*'],
      ['*://app.example.com'],
      ['https://app.example.com/'],
      ['https://app.example.com/path'],
      ['app.example.com'],
      ['https://app example.com'],
      ['null'],
      [''],
      [42],
    ]) {
      expect(() =>
        createPresenceServer({
          signer,
          session: bearerSessions(),
          cors: origins as string[],
          channels: {},
        }),
      ).toThrowError(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringMatching(/exact origin/),
        }),
      )
    }
  })

  it('rejects cors options that are not an array of origins, or an object with one', () => {
    for (const cors of [
      'https://app.example.com',
      { origins: 'https://app.example.com' },
      { origins: undefined },
      {},
      null,
      { origins: ['https://app.example.com'], credentials: 'yes' },
      { origins: ['https://app.example.com'], allowHeaders: 'X-Client-ID' },
      { origins: ['https://app.example.com'], maxAgeSeconds: -1 },
    ]) {
      expect(() =>
        createPresenceServer({
          signer,
          session: bearerSessions(),
          cors: cors as never,
          channels: {},
        }),
      ).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    }
  })

  it('accepts exact origins with ports and extension ids', () => {
    expect(() =>
      createPresenceServer({
        signer,
        session: bearerSessions(),
        cors: ['http://localhost:3000', 'https://app.example.com', EXTENSION],
        channels: {},
      }),
    ).not.toThrow()
  })
})

describe('responseHeaders, clientId, onDecision, retain', () => {
  it('adds response headers, passes the client id and reports every decision', async () => {
    const events: DecisionEvent[] = []
    const seen: Array<string | null> = []
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      responseHeaders: { 'Accept-CH': 'DPR', 'Accept-CH-Lifetime': '3600' },
      clientId: (request) => request.headers.get('x-client-id'),
      onDecision: (event) => {
        events.push(event)
        throw new Error('a broken listener changes nothing')
      },
      channels: {
        'private-stream@{id}': ({ clientId, params }) => {
          seen.push(clientId)
          return params.id === '1'
        },
      },
    })
    const response = await presence.handlers.batch(
      new Request(
        'http://app.test/b?socket_id=1.2&channels=private-stream@1,private-stream@2,private-x',
        {
          headers: { ...ALICE, 'x-client-id': 'client-7' },
        },
      ),
    )
    expect(response.headers.get('accept-ch')).toBe('DPR')
    expect(response.headers.get('accept-ch-lifetime')).toBe('3600')
    expect(seen).toEqual(['client-7', 'client-7'])
    expect(
      [...events]
        .sort((a, b) => a.channel.localeCompare(b.channel))
        .map(({ channel, outcome, code, status, cached, type, feature, userId, handler }) => ({
          channel,
          outcome,
          code,
          status,
          cached,
          type,
          feature,
          userId,
          handler,
        })),
    ).toEqual([
      {
        channel: 'private-stream@1',
        outcome: 'allow',
        code: null,
        status: 200,
        cached: false,
        type: 'private',
        feature: 'stream',
        userId: 'alice',
        handler: 'batch',
      },
      {
        channel: 'private-stream@2',
        outcome: 'deny',
        code: 'CHANNEL_FORBIDDEN',
        status: 403,
        cached: false,
        type: 'private',
        feature: 'stream',
        userId: 'alice',
        handler: 'batch',
      },
      {
        channel: 'private-x',
        outcome: 'deny',
        code: 'CHANNEL_UNKNOWN',
        status: 403,
        cached: false,
        type: 'private',
        feature: 'x',
        userId: 'alice',
        handler: 'batch',
      },
    ])
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('merges retained events of the authorizer, the definition and the server, in that order', async () => {
    const presence = createPresenceServer({
      signer,
      session: bearerSessions(),
      retain: [({ channel }) => [{ event: 'all.senders', data: channel.name }]],
      channels: {
        'private-stream@{id}': {
          authorize: () => ({ events: [{ event: 'from.authorizer', data: 1 }] }),
          retain: [
            ({ params }) => [{ event: 'stream.online', data: { id: params.id } }],
            async () => [{ event: 'goal.updated', data: null }],
          ],
        },
        'private-bad': { authorize: () => true, retain: [() => 'nope' as never] },
      },
    })
    const response = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-stream@9' }), ALICE),
    )
    const body = await response.json()
    expect(body).toEqual({
      ...pusher.authorizeChannel('1.2', 'private-stream@9'),
      events: [
        { event: 'from.authorizer', data: 1 },
        { event: 'stream.online', data: { id: '9' } },
        { event: 'goal.updated', data: null },
        { event: 'all.senders', data: 'private-stream@9' },
      ],
    })
    const bad = await presence.handlers.auth(
      post('/auth', form({ socket_id: '1.2', channel_name: 'private-bad' }), ALICE),
    )
    expect(bad.status).toBe(500)
  })
})

describe('handlers.userAuth', () => {
  const presence = createPresenceServer({
    signer,
    session: bearerSessions(),
    userData: (session) => ({ id: session.userId, tenant: session.tenantId }),
    channels: {},
  })

  it('signs the user like pusher.authenticateUser', async () => {
    const response = await presence.handlers.userAuth(
      post('/user-auth', form({ socket_id: '1.2' }), ALICE),
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(
      JSON.stringify(pusher.authenticateUser('1.2', { id: 'alice', tenant: 'acme' })),
    )
  })

  it('answers 401 without a session and 400 without a socket id', async () => {
    expect((await presence.handlers.userAuth(post('/u', form({ socket_id: '1.2' })))).status).toBe(
      401,
    )
    expect((await presence.handlers.userAuth(post('/u', form({}), ALICE))).status).toBe(400)
  })

  // A 100 KB user_data was signed: sign-in data has a documented cap (8 KB by default).
  it('refuses user_data past 8 KB with USER_DATA_INVALID, signing nothing', async () => {
    const sized = (bytes: number) =>
      createPresenceServer({
        signer,
        session: bearerSessions(),
        userData: (session) => ({ id: session.userId, bio: 'x'.repeat(bytes) }),
        channels: {},
        debug: true,
      })
    const big = await sized(100_000).handlers.userAuth(
      post('/user-auth', form({ socket_id: '1.2' }), ALICE),
    )
    expect(big.status).toBe(500)
    const { error } = (await big.json()) as { error: { code: string; message: string } }
    expect(error.code).toBe('USER_DATA_INVALID')
    expect(error.message).toMatch(/maxUserDataBytes/)
    // Just under the cap ({"id":"alice","bio":"…"} is 23 bytes plus the bio) is signed.
    const fits = await sized(8192 - 23).handlers.userAuth(
      post('/user-auth', form({ socket_id: '1.2' }), ALICE),
    )
    expect(fits.status).toBe(200)
    const over = await sized(8192 - 22).handlers.userAuth(
      post('/user-auth', form({ socket_id: '1.2' }), ALICE),
    )
    expect(over.status).toBe(500)
  })

  it('takes the cap from the signer (maxUserDataBytes), a pusher instance included', () => {
    const small = createSigner({ key: 'k', secret: 's', maxUserDataBytes: 20 })
    expect(() => small.signUser('1.2', { id: 'alice', name: 'Alice Liddell' })).toThrow(
      expect.objectContaining({ code: 'USER_DATA_INVALID' }),
    )
    expect(() =>
      signerFromPusher(pusher).signUser('1.2', { id: 'a', blob: 'x'.repeat(9000) }),
    ).toThrow(expect.objectContaining({ code: 'USER_DATA_INVALID' }))
  })
})

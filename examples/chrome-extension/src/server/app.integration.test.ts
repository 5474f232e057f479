/**
 * Seed 002's branches against the real backend (Express on loopback, SQLite, real JWTs and
 * cookies), without a browser. Each `describe` is one line of seed 002's route or checklist.
 */
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import { type Backend, createBackend } from './app.js'
import { DEMO } from './demo-data.js'
import { mintAccessToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens.js'

const { users, organizations, sessions } = DEMO
const JWT_SECRET = 'test-jwt-secret-0123456789abcdef'
const COOKIE_SECRET = 'test-cookie-secret'
const SOCKET_ID = '1234.5678'

interface ErrorBody {
  error: { code: string; message?: string; trace?: Array<{ check: string; outcome: string }> }
}

let soketi: SoketiServer
let backend: Backend
let server: { url: string; close(): Promise<void> }
let quiet: Backend
let quietServer: { url: string; close(): Promise<void> }

beforeAll(async () => {
  soketi = await startSoketi()
  backend = createBackend({
    pusher: soketi.pusherOptions,
    jwtSecret: JWT_SECRET,
    cookieSecret: COOKIE_SECRET,
    debug: true,
  })
  server = await backend.listen()
  // The same backend as in production: no messages, no traces, no dev routes.
  quiet = createBackend({
    pusher: soketi.pusherOptions,
    jwtSecret: JWT_SECRET,
    cookieSecret: COOKIE_SECRET,
    debug: false,
  })
  quietServer = await quiet.listen()
})

afterAll(async () => {
  await server?.close()
  await quietServer?.close()
  await soketi?.stop()
})

const aliceToken = () => backend.mintToken(users.alice, organizations.acme)
const sessionChannel = (id: string) => `private-session-${id}`

async function auth(
  channel: string,
  options: { token?: string; cookie?: string; origin?: string; base?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.cookie) headers.cookie = options.cookie
  if (options.origin) headers.origin = options.origin
  const response = await fetch(`${options.base ?? server.url}/api/pusher/auth`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ socket_id: SOCKET_ID, channel_name: channel }),
  })
  return { response, body: (await response.json()) as Record<string, unknown> & ErrorBody }
}

describe('a session the caller owns (the route succeeds)', () => {
  it('signs private-session-<id> exactly like pusher.authorizeChannel and hands over the current state', async () => {
    const { response, body } = await auth(sessionChannel(sessions.alice), {
      token: await aliceToken(),
    })
    expect(response.status).toBe(200)
    const reference = new Pusher(soketi.pusherOptions).authorizeChannel(
      SOCKET_ID,
      sessionChannel(sessions.alice),
    )
    expect(body.auth).toBe(reference.auth)
    expect(body.events).toEqual([
      {
        event: 'session-updated',
        data: expect.objectContaining({
          sessionId: sessions.alice,
          title: 'Alice: onboarding call',
        }),
      },
    ])
  })
})

describe('check (1), channel format: only private-session-<id> is served', () => {
  it.each(['private-sessions-abc', 'private-other-1', 'presence-session-abc'])(
    '%s → 403 CHANNEL_UNKNOWN, with a trace naming the failed lookup',
    async (channel) => {
      const { response, body } = await auth(channel, { token: await aliceToken() })
      expect(response.status).toBe(403)
      expect(body.error.code).toBe('CHANNEL_UNKNOWN')
      expect(body.error.trace?.find((step) => step.check === 'lookup')?.outcome).toBe('fail')
    },
  )

  it('an invalid channel name → 400 BAD_REQUEST', async () => {
    const { response, body } = await auth('private-session-<script>', { token: await aliceToken() })
    expect(response.status).toBe(400)
    expect(body.error.code).toBe('BAD_REQUEST')
  })
})

describe('check (2), empty sessionId', () => {
  it('private-session- (nothing after the prefix) matches no pattern: 403 CHANNEL_UNKNOWN before the database', async () => {
    const { response, body } = await auth('private-session-', { token: await aliceToken() })
    expect(response.status).toBe(403)
    expect(body.error.code).toBe('CHANNEL_UNKNOWN')
    const checks = body.error.trace?.map((step) => `${step.check}:${step.outcome}`)
    expect(checks).toContain('lookup:fail')
    expect(checks).not.toContain('authorizer:fail')
  })
})

describe('check (3a), SESSION_NOT_FOUND', () => {
  it('an id that does not exist', async () => {
    const { response, body } = await auth(sessionChannel('sess-nope'), {
      token: await aliceToken(),
    })
    expect(response.status).toBe(403)
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain('tenantId=org-acme')
  })

  it("another tenant's session (Carol's personal tenant)", async () => {
    const { response, body } = await auth(sessionChannel(sessions.carol), {
      token: await aliceToken(),
    })
    expect(response.status).toBe(403)
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
  })

  it("seed 002's bug: her own session stored with tenantId = userId while she resolves to her org", async () => {
    const { body } = await auth(sessionChannel(sessions.alicePersonal), {
      token: await aliceToken(),
    })
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain(`tenantId=${organizations.acme}`)
    // The same token without an active organization resolves to the user and finds it.
    const personal = await auth(sessionChannel(sessions.alicePersonal), {
      token: await backend.mintToken(users.alice),
    })
    expect(personal.response.status).toBe(200)
  })

  it('the trace shows the session passed and the authorizer failed', async () => {
    const { body } = await auth(sessionChannel(sessions.carol), { token: await aliceToken() })
    const checks = body.error.trace?.map((step) => `${step.check}:${step.outcome}`)
    expect(checks).toContain('session:pass')
    expect(checks).toContain('lookup:pass')
    expect(checks).toContain('authorizer:fail')
  })
})

describe('check (3b), USER_MISMATCH', () => {
  it("another user's session in the same organization", async () => {
    const { response, body } = await auth(sessionChannel(sessions.bob), {
      token: await aliceToken(),
    })
    expect(response.status).toBe(403)
    expect(body.error.code).toBe('USER_MISMATCH')
    expect(body.error.message).toContain(`doc.userId=${users.bob}`)
  })

  it('its owner is allowed', async () => {
    const { response } = await auth(sessionChannel(sessions.bob), {
      token: await backend.mintToken(users.bob, organizations.acme),
    })
    expect(response.status).toBe(200)
  })
})

describe('checklist (1), no session → 401 UNAUTHENTICATED, not 403', () => {
  it('no Authorization header and no cookie', async () => {
    const { response, body } = await auth(sessionChannel(sessions.alice))
    expect(response.status).toBe(401)
    expect(body.error.code).toBe('UNAUTHENTICATED')
  })

  it('an unknown channel without a session also answers 401 (the registry is not revealed)', async () => {
    const { response } = await auth('private-other-1')
    expect(response.status).toBe(401)
  })

  it.each([
    [
      'a token signed with another secret',
      () =>
        mintAccessToken(new TextEncoder().encode('another-secret-0123456789abcdef'), {
          userId: users.alice,
        }),
    ],
    [
      'an expired token',
      () =>
        mintAccessToken(new TextEncoder().encode(JWT_SECRET), {
          userId: users.alice,
          expiresInSeconds: -60,
        }),
    ],
    ['a token for a user the database does not know', () => backend.mintToken('user-mallory')],
    ['a non-JWT token', async () => 'not-a-jwt'],
  ])('%s', async (_name, makeToken) => {
    const { response, body } = await auth(sessionChannel(sessions.alice), {
      token: await makeToken(),
    })
    expect(response.status).toBe(401)
    expect(body.error.code).toBe('UNAUTHENTICATED')
  })

  it('a token with the wrong scheme ("Token <jwt>") is no session', async () => {
    const response = await fetch(`${server.url}/api/pusher/auth`, {
      method: 'POST',
      headers: { authorization: `Token ${await aliceToken()}` },
      body: new URLSearchParams({
        socket_id: SOCKET_ID,
        channel_name: sessionChannel(sessions.alice),
      }),
    })
    expect(response.status).toBe(401)
  })

  it('tokens carry our issuer and audience', async () => {
    const [, payload] = (await aliceToken()).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    expect(claims).toMatchObject({
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: users.alice,
      org: organizations.acme,
    })
  })
})

describe('Bearer vs cookie: firstOf(bearerJwt, cookie)', () => {
  it('the web app cookie alone works (active organization from the cookie session)', async () => {
    const { response } = await auth(sessionChannel(sessions.alice), {
      cookie: backend.loginCookie(users.alice, organizations.acme),
    })
    expect(response.status).toBe(200)
  })

  it('a cookie session without an active organization resolves to the user tenant', async () => {
    const cookie = backend.loginCookie(users.alice)
    expect((await auth(sessionChannel(sessions.alice), { cookie })).body.error.code).toBe(
      'SESSION_NOT_FOUND',
    )
    expect((await auth(sessionChannel(sessions.alicePersonal), { cookie })).response.status).toBe(
      200,
    )
  })

  it('the Bearer token wins over the cookie', async () => {
    const { body } = await auth(sessionChannel(sessions.alice), {
      token: await backend.mintToken(users.bob, organizations.acme),
      cookie: backend.loginCookie(users.alice, organizations.acme),
    })
    expect(body.error.code).toBe('USER_MISMATCH')
  })

  it('an invalid token falls through to the cookie', async () => {
    const { response } = await auth(sessionChannel(sessions.alice), {
      token: 'garbage',
      cookie: backend.loginCookie(users.alice, organizations.acme),
    })
    expect(response.status).toBe(200)
  })

  it('a forged cookie is no session', async () => {
    const real = backend.loginCookie(users.alice, organizations.acme)
    const forged = `${real.slice(0, -3)}AAA`
    expect((await auth(sessionChannel(sessions.alice), { cookie: forged })).response.status).toBe(
      401,
    )
  })
})

describe('cross-tenant: withTenant only accepts an organization the user belongs to', () => {
  it("Carol claiming Acme in her token stays in her own tenant and cannot reach Acme's sessions", async () => {
    const token = await backend.mintToken(users.carol, organizations.acme)
    const { body } = await auth(sessionChannel(sessions.alice), { token })
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain(`tenantId=${users.carol}`)
    expect((await auth(sessionChannel(sessions.carol), { token })).response.status).toBe(200)
  })

  it('sessions created through the API land in the tenant auth resolves to (checklist 3)', async () => {
    const token = await aliceToken()
    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'created from the extension' }),
    })
    expect(created.status).toBe(201)
    const { session } = (await created.json()) as { session: { sessionId: string } }
    expect(backend.db.findSessionById(session.sessionId)?.tenantId).toBe(organizations.acme)
    expect((await auth(sessionChannel(session.sessionId), { token })).response.status).toBe(200)
  })
})

describe('checklist (4), CORS: exactly the extension origin', () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/api/pusher/auth`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })

  it('the extension origin gets a preflight grant for POST with Authorization', async () => {
    const response = await preflight(EXTENSION_ORIGIN)
    expect(response.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN)
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    )
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it.each(['https://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'])(
    '%s gets no grant, on the preflight nor on the answer',
    async (origin) => {
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull()
      const { response } = await auth(sessionChannel(sessions.alice), {
        token: await aliceToken(),
        origin,
      })
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
    },
  )

  it('the polling endpoint follows the same rule', async () => {
    const get = (origin: string) =>
      fetch(`${server.url}/api/sessions/${sessions.alice}`, { headers: { origin } })
    expect((await get(EXTENSION_ORIGIN)).headers.get('access-control-allow-origin')).toBe(
      EXTENSION_ORIGIN,
    )
    expect(
      (await get('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull()
  })
})

describe('dev routes (debug mode): tokens and cookies for the demo users', () => {
  it('POST /api/dev/token mints a Bearer token the auth route accepts', async () => {
    const response = await fetch(`${server.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: users.alice, organizationId: organizations.acme }),
    })
    const { accessToken } = (await response.json()) as { accessToken: string }
    expect(
      (await auth(sessionChannel(sessions.alice), { token: accessToken })).response.status,
    ).toBe(200)
  })

  it('POST /api/dev/login sets a cookie the auth route accepts', async () => {
    const response = await fetch(`${server.url}/api/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: users.bob, organizationId: organizations.acme }),
    })
    expect(response.status).toBe(204)
    const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? ''
    expect(cookie).toMatch(/^presence_sid=/)
    expect((await auth(sessionChannel(sessions.bob), { cookie })).response.status).toBe(200)
  })

  it('refuses unknown users', async () => {
    const response = await fetch(`${server.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'user-mallory' }),
    })
    expect(response.status).toBe(400)
  })
})

describe('debug mode off (production)', () => {
  it('answers the code only: no message, no trace', async () => {
    const { response, body } = await auth(sessionChannel(sessions.bob), {
      token: await aliceToken(),
      base: quietServer.url,
    })
    expect(response.status).toBe(403)
    expect(body.error).toEqual({ code: 'USER_MISMATCH' })
  })

  it('serves no dev routes', async () => {
    const response = await fetch(`${quietServer.url}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: users.alice }),
    })
    expect(response.status).toBe(404)
  })
})

describe('the polling endpoint GET /api/sessions/:id', () => {
  const get = async (id: string, token?: string) => {
    const response = await fetch(`${server.url}/api/sessions/${id}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & ErrorBody,
    }
  }

  it("lets a member of the tenant read a colleague's session the channel refuses", async () => {
    const { status, body } = await get(sessions.bob, await aliceToken())
    expect(status).toBe(200)
    expect(body.session).toMatchObject({ sessionId: sessions.bob })
  })

  it('answers 404 SESSION_NOT_FOUND across tenants and 401 without a session', async () => {
    expect((await get(sessions.carol, await aliceToken())).body.error.code).toBe(
      'SESSION_NOT_FOUND',
    )
    expect((await get(sessions.alice)).status).toBe(401)
  })
})

describe('session updates reach the channel (PATCH → pusher.trigger → soketi)', () => {
  it('a pusher-js client authorized with the Bearer token receives session-updated', async () => {
    const token = await aliceToken()
    const client = new PusherJs(soketi.key, {
      ...soketi.pusherJsOptions,
      channelAuthorization: {
        endpoint: `${server.url}/api/pusher/auth`,
        transport: 'ajax',
        headers: { Authorization: `Bearer ${token}` },
      },
    })
    try {
      const channel = client.subscribe(sessionChannel(sessions.alice))
      const received: Array<{ title: string; version: number }> = []
      channel.bind('session-updated', (data: { title: string; version: number }) =>
        received.push(data),
      )
      await waitFor(() => channel.subscribed, { what: 'the subscription', timeoutMs: 10_000 })
      const response = await fetch(`${server.url}/api/sessions/${sessions.alice}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Alice: call moved to 3pm' }),
      })
      expect(response.status).toBe(200)
      await waitFor(() => received.some((event) => event.title === 'Alice: call moved to 3pm'), {
        what: 'the session-updated event',
      })
    } finally {
      client.disconnect()
    }
  })

  it('only the owner may update (PATCH by a colleague → 403 USER_MISMATCH)', async () => {
    const response = await fetch(`${server.url}/api/sessions/${sessions.bob}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${await aliceToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'hijacked' }),
    })
    expect(response.status).toBe(403)
    expect(backend.db.findSessionById(sessions.bob)?.title).toBe('Bob: quarterly review')
  })
})

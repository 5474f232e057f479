/**
 * The debugging guide's branches against the real backend (Express on loopback, SQLite,
 * better-auth's Bearer tokens and cookies), without a browser. Each `describe` is one line of
 * the original route or its checklist.
 */
import { createHmac } from 'node:crypto'
import { type SoketiServer, startSoketi, waitFor } from '@presence/testing'
import Pusher from 'pusher'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../client/sign-in.js'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import { startTestBackend, type TestBackend } from '../testing/backend.js'
import { DEMO } from './demo-data.js'

const { sessions } = DEMO
const SOCKET_ID = '1234.5678'

interface ErrorBody {
  error: { code: string; message?: string; trace?: Array<{ check: string; outcome: string }> }
}

let soketi: SoketiServer
let t: TestBackend
let quiet: TestBackend
let users: TestBackend['ids']['users']
let acme: string

beforeAll(async () => {
  soketi = await startSoketi()
  t = await startTestBackend({ pusher: soketi.pusherOptions, debug: true })
  // The same backend with debug off, as in production: no messages, no traces.
  quiet = await startTestBackend({ pusher: soketi.pusherOptions, debug: false })
  users = t.ids.users
  acme = t.ids.organization
})

afterAll(async () => {
  await t?.close()
  await quiet?.close()
  await soketi?.stop()
})

const aliceToken = async () => (await t.signIn('alice', { organization: true })).token
const sessionChannel = (id: string) => `private-session-${id}`

async function auth(
  channel: string,
  options: { token?: string; cookie?: string; origin?: string; base?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.cookie) headers.cookie = options.cookie
  if (options.origin) headers.origin = options.origin
  const response = await fetch(`${options.base ?? t.url}/api/pusher/auth`, {
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
    expect(body.error.message).toContain(`tenantId=${acme}`)
  })

  it("another tenant's session (Carol's personal tenant)", async () => {
    const { response, body } = await auth(sessionChannel(sessions.carol), {
      token: await aliceToken(),
    })
    expect(response.status).toBe(403)
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
  })

  it("seed 002's bug: her own session stored in her user tenant while she resolves to her org", async () => {
    const { body } = await auth(sessionChannel(sessions.alicePersonal), {
      token: await aliceToken(),
    })
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain(`tenantId=${acme}`)
    // A session without an active organization resolves to the user and finds it.
    const personal = await auth(sessionChannel(sessions.alicePersonal), {
      token: (await t.signIn('alice')).token,
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
      token: (await t.signIn('bob', { organization: true })).token,
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
      async () => {
        const [id] = (await aliceToken()).split('.')
        const forged = createHmac('sha256', 'another-secret-0123456789abcdef0123')
          .update(id ?? '')
          .digest('base64url')
        return `${id}.${forged}`
      },
    ],
    [
      'a session id without its signature (the bearer plugin requires one)',
      async () => (await aliceToken()).split('.')[0] ?? '',
    ],
    [
      'the token of a session that signed out',
      async () => {
        const { token } = await t.signIn('alice', { organization: true })
        const out = await fetch(`${t.url}/api/auth/sign-out`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, origin: t.url },
        })
        expect(out.status).toBe(200)
        return token
      },
    ],
    [
      'the token of an expired session',
      async () => {
        const { token } = await t.signIn('alice', { organization: true })
        const sqlite = t.backend.db.sqlite
        const row = sqlite
          .prepare('select "expiresAt" as expiresAt from session where token = ?')
          .get(token.split('.')[0]) as { expiresAt: number | string }
        const past = Date.now() - 60_000
        sqlite
          .prepare('update session set "expiresAt" = ? where token = ?')
          .run(
            typeof row.expiresAt === 'number' ? past : new Date(past).toISOString(),
            token.split('.')[0],
          )
        return token
      },
    ],
    ['garbage', async () => 'not-a-token'],
  ])('%s', async (_name, makeToken) => {
    const { response, body } = await auth(sessionChannel(sessions.alice), {
      token: await makeToken(),
    })
    expect(response.status).toBe(401)
    expect(body.error.code).toBe('UNAUTHENTICATED')
  })

  it('a token with the wrong scheme ("Token <token>") is no session', async () => {
    const response = await fetch(`${t.url}/api/pusher/auth`, {
      method: 'POST',
      headers: { authorization: `Token ${await aliceToken()}` },
      body: new URLSearchParams({
        socket_id: SOCKET_ID,
        channel_name: sessionChannel(sessions.alice),
      }),
    })
    expect(response.status).toBe(401)
  })

  it('a known demo password that is wrong signs nobody in', async () => {
    await expect(
      signIn(t.url, { email: DEMO.users.alice.email, password: 'presence-demo-wrong' }),
    ).rejects.toMatchObject({ code: 'SIGN_IN_FAILED', status: 401 })
  })
})

describe('Bearer vs cookie: firstOf(Bearer reader, cookie) on better-auth', () => {
  it('the web app cookie alone works (active organization from the cookie session)', async () => {
    const { cookie } = await t.signIn('alice', { organization: true })
    expect(cookie).toMatch(/better-auth\.session_token=/)
    const { response } = await auth(sessionChannel(sessions.alice), { cookie })
    expect(response.status).toBe(200)
  })

  it('a cookie session without an active organization resolves to the user tenant', async () => {
    const { cookie } = await t.signIn('alice')
    expect((await auth(sessionChannel(sessions.alice), { cookie })).body.error.code).toBe(
      'SESSION_NOT_FOUND',
    )
    expect((await auth(sessionChannel(sessions.alicePersonal), { cookie })).response.status).toBe(
      200,
    )
  })

  it('the Bearer token wins over the cookie', async () => {
    const { body } = await auth(sessionChannel(sessions.alice), {
      token: (await t.signIn('bob', { organization: true })).token,
      cookie: (await t.signIn('alice', { organization: true })).cookie,
    })
    expect(body.error.code).toBe('USER_MISMATCH')
    expect(body.error.message).toContain(`auth userId=${users.bob}`)
  })

  it('an invalid token falls through to the cookie', async () => {
    const { response } = await auth(sessionChannel(sessions.alice), {
      token: 'garbage',
      cookie: (await t.signIn('alice', { organization: true })).cookie,
    })
    expect(response.status).toBe(200)
  })

  it('a forged cookie is no session', async () => {
    const { cookie } = await t.signIn('alice', { organization: true })
    const forged = `${cookie.slice(0, -6)}AAAAAA`
    expect((await auth(sessionChannel(sessions.alice), { cookie: forged })).response.status).toBe(
      401,
    )
  })
})

describe('cross-tenant: the tenant is an organization the user belongs to', () => {
  it("better-auth refuses to make Acme Carol's active organization; she stays in her own tenant", async () => {
    await expect(t.signIn('carol', { organization: true })).rejects.toMatchObject({
      code: 'SIGN_IN_FAILED',
    })
    const { token } = await t.signIn('carol')
    const { body } = await auth(sessionChannel(sessions.alice), { token })
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain(`tenantId=user:${users.carol}`)
    expect((await auth(sessionChannel(sessions.carol), { token })).response.status).toBe(200)
  })

  it('a member removed from the organization falls back to the user tenant at once (withTenant)', async () => {
    const email = `dave-${Date.now()}@example.test`
    const password = 'correct-horse-battery-staple'
    const { auth: betterAuth } = t.backend
    const { user } = await betterAuth.api.signUpEmail({ body: { email, password, name: 'Dave' } })
    await betterAuth.api.addMember({
      body: { userId: user.id, organizationId: acme, role: 'member' },
    })
    const { token } = await signIn(t.url, { email, password }, acme)
    const created = await fetch(`${t.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: "Dave's session" }),
    })
    const { session } = (await created.json()) as { session: { sessionId: string } }
    expect((await auth(sessionChannel(session.sessionId), { token })).response.status).toBe(200)

    t.backend.db.sqlite.prepare('delete from member where "userId" = ?').run(user.id)
    const { body } = await auth(sessionChannel(session.sessionId), { token })
    expect(body.error.code).toBe('SESSION_NOT_FOUND')
    expect(body.error.message).toContain(`tenantId=user:${user.id}`)
  })

  it('sessions created through the API land in the tenant auth resolves to (checklist 3)', async () => {
    const token = await aliceToken()
    const created = await fetch(`${t.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'created from the extension' }),
    })
    expect(created.status).toBe(201)
    const { session } = (await created.json()) as { session: { sessionId: string } }
    expect(t.backend.db.findSessionById(session.sessionId)?.tenantId).toBe(acme)
    expect((await auth(sessionChannel(session.sessionId), { token })).response.status).toBe(200)
  })
})

describe('checklist (4), CORS: exactly the extension origin', () => {
  const preflight = (origin: string) =>
    fetch(`${t.url}/api/pusher/auth`, {
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
      fetch(`${t.url}/api/sessions/${sessions.alice}`, { headers: { origin } })
    expect((await get(EXTENSION_ORIGIN)).headers.get('access-control-allow-origin')).toBe(
      EXTENSION_ORIGIN,
    )
    expect(
      (await get('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull()
  })
})

describe('every data endpoint checks the session', () => {
  it.each([
    ['GET', `/api/sessions/${sessions.alice}`, undefined],
    ['POST', '/api/sessions', { title: 'anonymous' }],
    ['PATCH', `/api/sessions/${sessions.alice}`, { title: 'anonymous' }],
  ] as const)('%s %s without a session → 401 UNAUTHENTICATED', async (method, path, body) => {
    const response = await fetch(`${t.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    expect(response.status).toBe(401)
    expect(((await response.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED')
  })

  it('the app has no route that mints tokens or cookies: only better-auth signs in', async () => {
    for (const path of ['/api/dev/token', '/api/dev/login']) {
      const response = await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO.users.alice.email }),
      })
      expect(response.status).toBe(404)
    }
  })
})

describe('debug mode off (production)', () => {
  it('answers the code only: no message, no trace', async () => {
    const { token } = await quiet.signIn('alice', { organization: true })
    const { response, body } = await auth(sessionChannel(sessions.bob), {
      token,
      base: quiet.url,
    })
    expect(response.status).toBe(403)
    expect(body.error).toEqual({ code: 'USER_MISMATCH' })
  })
})

describe('the polling endpoint GET /api/sessions/:id', () => {
  const get = async (id: string, token?: string) => {
    const response = await fetch(`${t.url}/api/sessions/${id}`, {
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
        endpoint: `${t.url}/api/pusher/auth`,
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
      const response = await fetch(`${t.url}/api/sessions/${sessions.alice}`, {
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
    const response = await fetch(`${t.url}/api/sessions/${sessions.bob}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${await aliceToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'hijacked' }),
    })
    expect(response.status).toBe(403)
    expect(t.backend.db.findSessionById(sessions.bob)?.title).toBe('Bob: quarterly review')
  })
})

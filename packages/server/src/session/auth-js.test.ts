import { Auth, type AuthConfig } from '@auth/core'
import Credentials from '@auth/core/providers/credentials'
import { encode } from 'next-auth/jwt'
import { describe, expect, it } from 'vitest'
import { isPresenceError } from '../errors.js'
import { createPresenceServer } from '../server.js'
import { signer } from '../server-fixture.js'
import { authJs } from './auth-js.js'
import { describeSessionAdapter, fetchRequest } from './conformance.js'

const ORIGIN = 'http://localhost:3000'
const USERS = new Map<string, string>()

/** Auth.js with a credentials provider and JWT sessions, as a NextAuth app would configure it. */
function authConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    secret: 'authjs-secret-for-tests-0123456789abcdef',
    trustHost: true,
    basePath: '/api/auth',
    session: { strategy: 'jwt' },
    logger: { error: () => {}, warn: () => {}, debug: () => {} },
    providers: [
      Credentials({
        credentials: { username: {}, password: {} },
        authorize: async (credentials) => {
          const username = String(credentials.username)
          return USERS.get(username) === credentials.password
            ? { id: `id-${username}`, name: username, email: `${username}@example.test` }
            : null
        },
      }),
    ],
    callbacks: {
      session: ({ session, token }) => ({
        ...session,
        user: { ...session.user, id: token.sub ?? '' },
      }),
    },
    ...overrides,
  }
}

/** A real sign-in round trip through Auth(): CSRF token, then the credentials callback. */
async function signInThroughAuthJs(config: AuthConfig, username: string, password: string) {
  const base = `${ORIGIN}${config.basePath}`
  const csrf = await Auth(new Request(`${base}/csrf`), config)
  const { csrfToken } = (await csrf.json()) as { csrfToken: string }
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0])
  const response = await Auth(
    new Request(`${base}/callback/credentials`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
      body: new URLSearchParams({ csrfToken, username, password }),
    }),
    config,
  )
  const sessionCookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith('authjs.session-token='))
  return { jar, sessionCookie }
}

describeSessionAdapter('authJs (@auth/core, credentials, JWT sessions)', async () => {
  const config = authConfig()
  return {
    adapter: authJs(config),
    async signIn(label) {
      USERS.set(label, `pw-${label}`)
      const { jar, sessionCookie } = await signInThroughAuthJs(config, label, `pw-${label}`)
      expect(sessionCookie).toBeDefined()
      return { userId: `id-${label}`, headers: { cookie: [...jar, sessionCookie].join('; ') } }
    },
    async forged() {
      USERS.set('mallory', 'pw')
      const { sessionCookie = '' } = await signInThroughAuthJs(config, 'mallory', 'pw')
      const failed = await signInThroughAuthJs(config, 'mallory', 'wrong-password')
      expect(failed.sessionCookie).toBeUndefined()
      const otherSecret = await signInThroughAuthJs(
        authConfig({ secret: 'a-completely-different-secret-0123456789' }),
        'mallory',
        'pw',
      )
      return [
        { headers: { cookie: `${sessionCookie.slice(0, -6)}AAAAAA` } },
        { headers: { cookie: 'authjs.session-token=garbage' } },
        { headers: { cookie: otherSecret.sessionCookie ?? '' } },
        { headers: { cookie: failed.jar.join('; ') } },
        { headers: { authorization: `Bearer ${sessionCookie.split('=')[1]}` } },
      ]
    },
  }
})

describe('authJs', () => {
  it('finds the __Secure- cookie on https, as Auth.js names it there', async () => {
    const config = authConfig()
    USERS.set('secure', 'pw')
    const base = `https://app.example.test${config.basePath}`
    const csrf = await Auth(new Request(`${base}/csrf`), config)
    const { csrfToken } = (await csrf.json()) as { csrfToken: string }
    const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0])
    const response = await Auth(
      new Request(`${base}/callback/credentials`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; ') },
        body: new URLSearchParams({ csrfToken, username: 'secure', password: 'pw' }),
      }),
      config,
    )
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    expect(cookie).toContain('__Secure-authjs.session-token=')
    const request = new Request('https://app.example.test/api/pusher/auth', { headers: { cookie } })
    expect((await authJs(config)(request))?.userId).toBe('id-secure')
  })

  it('uses toSession to shape the session', async () => {
    const config = authConfig()
    USERS.set('shaped', 'pw')
    const { jar, sessionCookie } = await signInThroughAuthJs(config, 'shaped', 'pw')
    const adapter = authJs(config, {
      toSession: (s) => (s.user?.email ? { userId: s.user.email, tenantId: 'org-9' } : null),
    })
    const session = await adapter(
      fetchRequest({ headers: { cookie: [...jar, sessionCookie].join('; ') } }),
    )
    expect(session).toEqual({ userId: 'shaped@example.test', tenantId: 'org-9' })
  })

  it('says how to fix a session callback that drops user.id (CONFIG_INVALID)', async () => {
    const config = authConfig({ callbacks: {} })
    USERS.set('noid', 'pw')
    const { jar, sessionCookie } = await signInThroughAuthJs(config, 'noid', 'pw')
    const error = await Promise.resolve(
      authJs(config)(fetchRequest({ headers: { cookie: [...jar, sessionCookie].join('; ') } })),
    ).catch((e: unknown) => e)
    expect(isPresenceError(error) && error.code).toBe('CONFIG_INVALID')
    expect(String((error as Error).message)).toMatch(/callbacks: \{ session/)
  })

  it('reads a missing secret from AUTH_SECRET, as NextAuth does', async () => {
    const config = authConfig()
    USERS.set('envsecret', 'pw')
    const { jar, sessionCookie } = await signInThroughAuthJs(config, 'envsecret', 'pw')
    const previous = process.env.AUTH_SECRET
    process.env.AUTH_SECRET = String(config.secret)
    try {
      const adapter = authJs({ ...config, secret: undefined })
      const session = await adapter(
        fetchRequest({ headers: { cookie: [...jar, sessionCookie].join('; ') } }),
      )
      expect(session?.userId).toBe('id-envsecret')
    } finally {
      if (previous === undefined) delete process.env.AUTH_SECRET
      else process.env.AUTH_SECRET = previous
    }
  })

  it('throws UNAVAILABLE (503) when Auth.js itself is misconfigured', async () => {
    const broken = authConfig({ secret: undefined as never })
    const saved = Object.fromEntries(
      ['AUTH_SECRET', 'AUTH_SECRET_1', 'AUTH_SECRET_2', 'AUTH_SECRET_3'].map((k) => [
        k,
        process.env[k],
      ]),
    )
    for (const k of Object.keys(saved)) delete process.env[k]
    try {
      const error = await Promise.resolve(
        authJs(broken)(fetchRequest({ headers: { cookie: 'authjs.session-token=x' } })),
      ).catch((e: unknown) => e)
      expect(isPresenceError(error) && error.code).toBe('UNAVAILABLE')
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v
    }
  })
})

describe('authJs and next-auth v4 cookies', () => {
  // A messenger on next-auth v4 pointed at authJs got a bare "no session" for every signed-in
  // user: Auth.js cannot decrypt v4's cookie. The refusal now names the adapter that reads it.
  const v4Cookie = async (name = 'next-auth.session-token') =>
    `${name}=${await encode({ token: { sub: 'v4-user' }, secret: 'next-auth-v4-secret-0123456789' })}`

  it('refuses a next-auth v4 session cookie with UNAUTHENTICATED naming nextAuth', async () => {
    for (const name of ['next-auth.session-token', '__Secure-next-auth.session-token.0']) {
      const error = await Promise.resolve(
        authJs(authConfig())(
          fetchRequest({ headers: { cookie: `theme=dark; ${await v4Cookie(name)}` } }),
        ),
      ).catch((e: unknown) => e)
      expect(isPresenceError(error) && error.code).toBe('UNAUTHENTICATED')
      expect(String((error as Error).message)).toContain(
        "nextAuth(authOptions) from '@presence/server/session/next-auth'",
      )
    }
  })

  it('answers 401 with the message in debug mode, and only the code otherwise', async () => {
    const request = async () =>
      new Request('http://localhost:3000/api/pusher/auth', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: await v4Cookie(),
        },
        body: 'socket_id=123.456&channel_name=presence-messenger',
      })
    const serve = (debug: boolean) =>
      createPresenceServer({
        signer,
        debug,
        session: authJs(authConfig()),
        channels: { 'presence-messenger': ({ user }) => ({ user_id: user.userId }) },
      })
    const debugged = await serve(true).handlers.auth(await request())
    expect(debugged.status).toBe(401)
    const body = (await debugged.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('UNAUTHENTICATED')
    expect(body.error.message).toMatch(/next-auth v4 session cookie.*nextAuth\(authOptions\)/)
    const quiet = await serve(false).handlers.auth(await request())
    expect(quiet.status).toBe(401)
    expect(await quiet.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })
  })

  it('reads the Auth.js session when a stale v4 cookie rides along', async () => {
    const config = authConfig()
    USERS.set('migrated', 'pw')
    const { jar, sessionCookie } = await signInThroughAuthJs(config, 'migrated', 'pw')
    const cookie = [...jar, sessionCookie, await v4Cookie()].join('; ')
    expect((await authJs(config)(fetchRequest({ headers: { cookie } })))?.userId).toBe(
      'id-migrated',
    )
  })

  it("stays a plain null when the app names its Auth.js cookie like v4's (a migration setting)", async () => {
    const config = authConfig({
      cookies: { sessionToken: { name: 'next-auth.session-token', options: {} } },
    })
    const request = fetchRequest({ headers: { cookie: await v4Cookie() } })
    await expect(Promise.resolve(authJs(config)(request))).resolves.toBeNull()
  })
})

import { DrizzleAdapter } from '@auth/drizzle-adapter'
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import NextAuth, { type AuthOptions } from 'next-auth'
import { encode } from 'next-auth/jwt'
import Credentials from 'next-auth/providers/credentials'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isPresenceError } from '../errors.js'
import { describeSessionAdapter, fetchRequest } from './conformance.js'
import { parseCookieHeader } from './cookie-header.js'
import { nextAuth } from './next-auth.js'

const SECRET = 'next-auth-secret-for-tests-0123456789abcdef'
const USERS = new Map<string, string>()
const silent = { error: () => {}, warn: () => {}, debug: () => {} }

/** next-auth v4 as a messenger app configures it: credentials, JWT sessions, id copied into the session. */
function jwtOptions(overrides: Partial<AuthOptions> = {}): AuthOptions {
  return {
    secret: SECRET,
    session: { strategy: 'jwt' },
    logger: silent,
    providers: [
      Credentials({
        credentials: { username: {}, password: {} },
        authorize: async (credentials) => {
          const username = String(credentials?.username)
          return USERS.get(username) === credentials?.password
            ? { id: `id-${username}`, name: username, email: `${username}@example.test` }
            : null
        },
      }),
    ],
    callbacks: {
      session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub } }),
    },
    ...overrides,
  }
}

/** A Pages Router response object, enough for next-auth's API handler. */
function apiResponse() {
  const headers = new Map<string, unknown>()
  const res = {
    statusCode: 200,
    status(code: number) {
      res.statusCode = code
      return res
    },
    setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), value),
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    send: () => res,
    json: () => res,
    end: () => res,
    setCookies: (): Record<string, string> => {
      const set = headers.get('set-cookie')
      const list = Array.isArray(set) ? (set as string[]) : set ? [String(set)] : []
      return parseCookieHeader(list.map((c) => c.split(';')[0]).join('; '))
    },
  }
  return res
}

/** A real credentials sign-in through next-auth's own API route handler (`pages/api/auth/[...nextauth]`). */
async function signInThroughNextAuth(options: AuthOptions, username: string, password: string) {
  const handler = NextAuth(options) as unknown as (req: unknown, res: unknown) => Promise<void>
  const headers = { host: 'localhost:3000' }
  const csrf = apiResponse()
  await handler({ method: 'GET', query: { nextauth: ['csrf'] }, headers, cookies: {} }, csrf)
  const jar = csrf.setCookies()
  const csrfToken = (jar['next-auth.csrf-token'] ?? '').split('|')[0]
  const callback = apiResponse()
  await handler(
    {
      method: 'POST',
      query: { nextauth: ['callback', 'credentials'] },
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      cookies: jar,
      body: { csrfToken, username, password },
    },
    callback,
  )
  return callback.setCookies()['next-auth.session-token']
}

/** The same options with no `secret`, as an app that relies on `NEXTAUTH_SECRET` writes them. */
function withoutSecret(): AuthOptions {
  const { secret: _secret, ...options } = jwtOptions()
  return options
}

const cookieOf = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`

describeSessionAdapter('nextAuth (next-auth v4, credentials, JWT sessions)', async () => {
  const options = jwtOptions()
  return {
    adapter: nextAuth(options),
    async signIn(label) {
      USERS.set(label, `pw-${label}`)
      const token = await signInThroughNextAuth(options, label, `pw-${label}`)
      expect(token).toBeDefined()
      return {
        userId: `id-${label}`,
        headers: { cookie: `theme=dark; ${cookieOf('next-auth.session-token', token ?? '')}` },
      }
    },
    async forged() {
      const valid = await encode({ token: { sub: 'id-mallory' }, secret: SECRET })
      const otherSecret = await encode({ token: { sub: 'id-mallory' }, secret: `${SECRET}-other` })
      const expired = await encode({ token: { sub: 'id-mallory' }, secret: SECRET, maxAge: -60 })
      USERS.set('mallory', 'pw')
      const failed = await signInThroughNextAuth(options, 'mallory', 'wrong-password')
      expect(failed).toBeUndefined()
      return [
        { headers: { cookie: cookieOf('next-auth.session-token', `${valid.slice(0, -6)}AAAAAA`) } },
        { headers: { cookie: cookieOf('next-auth.session-token', otherSecret) } },
        { headers: { cookie: cookieOf('next-auth.session-token', expired) } },
        { headers: { cookie: 'next-auth.session-token=garbage' } },
        { headers: { cookie: 'next-auth.session-token=%E0%A4%A' } },
        // A secure-named cookie where next-auth expects the plain name (http origin).
        { headers: { cookie: cookieOf('__Secure-next-auth.session-token', valid) } },
        { headers: { authorization: `Bearer ${valid}` } },
      ]
    },
  }
})

/** The database strategy over a real next-auth adapter (Drizzle over SQLite). */
function databaseSetup() {
  const sqlite = new Database(':memory:')
  sqlite.exec(`
    CREATE TABLE user (id TEXT PRIMARY KEY, name TEXT, email TEXT UNIQUE, emailVerified INTEGER, image TEXT);
    CREATE TABLE account (userId TEXT NOT NULL, type TEXT NOT NULL, provider TEXT NOT NULL,
      providerAccountId TEXT NOT NULL, refresh_token TEXT, access_token TEXT, expires_at INTEGER,
      token_type TEXT, scope TEXT, id_token TEXT, session_state TEXT,
      PRIMARY KEY (provider, providerAccountId));
    CREATE TABLE session (sessionToken TEXT PRIMARY KEY, userId TEXT NOT NULL, expires INTEGER NOT NULL);
    CREATE TABLE verificationToken (identifier TEXT NOT NULL, token TEXT NOT NULL, expires INTEGER NOT NULL,
      PRIMARY KEY (identifier, token));
  `)
  const adapter = DrizzleAdapter(drizzle(sqlite))
  const options: AuthOptions = {
    secret: SECRET,
    session: { strategy: 'database' },
    logger: silent,
    providers: [],
    adapter: adapter as unknown as NonNullable<AuthOptions['adapter']>,
  }
  async function sessionFor(label: string, expiresInMs = 3_600_000) {
    const user = await adapter.createUser?.({
      id: crypto.randomUUID(),
      name: label,
      email: `${label}-${crypto.randomUUID()}@example.test`,
      emailVerified: null,
    })
    const sessionToken = crypto.randomUUID()
    await adapter.createSession?.({
      sessionToken,
      userId: user?.id ?? '',
      expires: new Date(Date.now() + expiresInMs),
    })
    return { user, sessionToken }
  }
  return { sqlite, options, sessionFor }
}

describeSessionAdapter('nextAuth (next-auth v4, database sessions, Drizzle adapter)', async () => {
  const db = databaseSetup()
  return {
    // next-auth's default session has no id; the messenger identifies users by email.
    adapter: nextAuth(db.options),
    async signIn(label) {
      const { user, sessionToken } = await db.sessionFor(label)
      return {
        userId: user?.email ?? '',
        headers: { cookie: cookieOf('next-auth.session-token', sessionToken) },
      }
    },
    async forged() {
      const expired = await db.sessionFor('expired', -60_000)
      return [
        { headers: { cookie: cookieOf('next-auth.session-token', crypto.randomUUID()) } },
        { headers: { cookie: cookieOf('next-auth.session-token', expired.sessionToken) } },
        { headers: { cookie: "next-auth.session-token=' OR 1=1 --" } },
      ]
    },
    teardown: async () => {
      db.sqlite.close()
    },
  }
})

describe('nextAuth', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('reads the __Secure- cookie when NEXTAUTH_URL is https, and then only that one', async () => {
    vi.stubEnv('NEXTAUTH_URL', 'https://messenger.example.test')
    const token = await encode({ token: { sub: 'id-secure' }, secret: SECRET })
    const adapter = nextAuth(jwtOptions())
    const secure = fetchRequest({
      headers: { cookie: cookieOf('__Secure-next-auth.session-token', token) },
    })
    expect((await adapter(secure))?.userId).toBe('id-secure')
    const plain = fetchRequest({ headers: { cookie: cookieOf('next-auth.session-token', token) } })
    expect(await adapter(plain)).toBeNull()
  })

  it('reads the __Secure- cookie when authOptions.useSecureCookies is set', async () => {
    const token = await encode({ token: { sub: 'id-usesecure' }, secret: SECRET })
    const adapter = nextAuth(jwtOptions({ useSecureCookies: true }))
    const request = fetchRequest({
      headers: { cookie: cookieOf('__Secure-next-auth.session-token', token) },
    })
    expect((await adapter(request))?.userId).toBe('id-usesecure')
  })

  it('joins a chunked session cookie (.0, .1) as next-auth writes one past 4 KB', async () => {
    const token = await encode({
      token: { sub: 'id-chunked', groups: Array.from({ length: 1000 }, (_, i) => `group-${i}`) },
      secret: SECRET,
    })
    const size = 3933 // next-auth's chunk size: 4096 minus an empty cookie's estimated size
    expect(token.length).toBeGreaterThan(2 * size)
    const chunks = [token.slice(0, size), token.slice(size, 2 * size), token.slice(2 * size)]
    // Sent out of order: next-auth orders chunks by their suffix.
    const cookie = [2, 0, 1]
      .map((i) => cookieOf(`next-auth.session-token.${i}`, chunks[i] ?? ''))
      .join('; ')
    const session = await nextAuth(jwtOptions())(fetchRequest({ headers: { cookie } }))
    expect(session?.userId).toBe('id-chunked')
    const missing = [0, 2]
      .map((i) => cookieOf(`next-auth.session-token.${i}`, chunks[i] ?? ''))
      .join('; ')
    expect(await nextAuth(jwtOptions())(fetchRequest({ headers: { cookie: missing } }))).toBeNull()
  })

  it("decodes with the app's own jwt.decode and runs its jwt and session callbacks", async () => {
    const decode = vi.fn(async ({ token }: { token?: string }) =>
      token?.startsWith('custom:') ? { sub: token.slice('custom:'.length), role: 'admin' } : null,
    )
    const options = jwtOptions({
      jwt: { decode, encode: async ({ token }) => `custom:${token?.sub}` },
      callbacks: {
        jwt: ({ token }) => ({ ...token, plan: 'pro' }),
        session: ({ session, token }) => ({
          ...session,
          user: { ...session.user, id: token.sub },
          role: token.role,
          plan: token.plan,
        }),
      },
    })
    const session = await nextAuth(options)(
      fetchRequest({ headers: { cookie: 'next-auth.session-token=custom:user-7' } }),
    )
    expect(decode).toHaveBeenCalled()
    expect(session).toMatchObject({ userId: 'user-7', role: 'admin', plan: 'pro' })
  })

  it('reads a custom session cookie name from authOptions.cookies', async () => {
    const token = await encode({ token: { sub: 'id-custom-cookie' }, secret: SECRET })
    const options = jwtOptions({
      cookies: { sessionToken: { name: 'messenger.sid', options: { httpOnly: true, path: '/' } } },
    })
    const request = fetchRequest({ headers: { cookie: cookieOf('messenger.sid', token) } })
    expect((await nextAuth(options)(request))?.userId).toBe('id-custom-cookie')
  })

  it('falls back to user.email when the session callback adds no id, as next-auth apps identify users', async () => {
    const token = await encode({ token: { sub: 'id-x', email: 'x@example.test' }, secret: SECRET })
    const options = jwtOptions({ callbacks: {} })
    const request = fetchRequest({
      headers: { cookie: cookieOf('next-auth.session-token', token) },
    })
    expect((await nextAuth(options)(request))?.userId).toBe('x@example.test')
  })

  it('says how to add an id when the session has neither user.id nor user.email (CONFIG_INVALID)', async () => {
    const token = await encode({ token: { sub: 'id-y', name: 'y' }, secret: SECRET })
    const request = fetchRequest({
      headers: { cookie: cookieOf('next-auth.session-token', token) },
    })
    const error = await Promise.resolve(nextAuth(jwtOptions({ callbacks: {} }))(request)).catch(
      (e: unknown) => e,
    )
    expect(isPresenceError(error) && error.code).toBe('CONFIG_INVALID')
    expect(String((error as Error).message)).toMatch(/callbacks: \{ session/)
  })

  it('shapes the session with toSession, and refuses when it returns null', async () => {
    const token = await encode({ token: { sub: 'id-z', email: 'z@example.test' }, secret: SECRET })
    const request = () =>
      fetchRequest({ headers: { cookie: cookieOf('next-auth.session-token', token) } })
    const shaped = nextAuth(jwtOptions(), (s) => ({
      userId: s.user?.email ?? '',
      tenantId: 'org-1',
    }))
    expect(await shaped(request())).toEqual({ userId: 'z@example.test', tenantId: 'org-1' })
    expect(await nextAuth(jwtOptions(), () => null)(request())).toBeNull()
  })

  it('reads a missing secret from NEXTAUTH_SECRET, as getServerSession does', async () => {
    vi.stubEnv('NEXTAUTH_SECRET', SECRET)
    const token = await encode({ token: { sub: 'id-env' }, secret: SECRET })
    const request = fetchRequest({
      headers: { cookie: cookieOf('next-auth.session-token', token) },
    })
    expect((await nextAuth(withoutSecret())(request))?.userId).toBe('id-env')
  })

  it('throws UNAVAILABLE (503) when next-auth refuses its configuration (no secret in production)', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    vi.stubEnv('NEXTAUTH_SECRET', '')
    vi.stubEnv('AUTH_SECRET', '')
    const request = fetchRequest({ headers: { cookie: 'next-auth.session-token=x' } })
    const error = await Promise.resolve(nextAuth(withoutSecret())(request)).catch((e: unknown) => e)
    expect(isPresenceError(error) && error.code).toBe('UNAVAILABLE')
  })

  it('does not call next-auth for requests without a session cookie', async () => {
    const decode = vi.fn(async () => ({ sub: 'never' }))
    const adapter = nextAuth(jwtOptions({ jwt: { decode } }))
    expect(
      await adapter(fetchRequest({ headers: { cookie: 'next-auth.csrf-token=abc; theme=dark' } })),
    ).toBeNull()
    expect(decode).not.toHaveBeenCalled()
  })

  it('deletes an expired database session, as getServerSession does', async () => {
    const db = databaseSetup()
    const { sessionToken } = await db.sessionFor('late', -1_000)
    const request = fetchRequest({
      headers: { cookie: cookieOf('next-auth.session-token', sessionToken) },
    })
    expect(await nextAuth(db.options)(request)).toBeNull()
    const row = db.sqlite
      .prepare('SELECT count(*) AS n FROM session WHERE sessionToken = ?')
      .get(sessionToken)
    expect(row).toEqual({ n: 0 })
    db.sqlite.close()
  })
})

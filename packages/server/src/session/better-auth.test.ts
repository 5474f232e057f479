import { betterAuth as createBetterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { bearer, organization } from 'better-auth/plugins'
import Database from 'better-sqlite3'
import { SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPresenceServer } from '../server.js'
import { createSigner } from '../signer/signer.js'
import { bearerJwt } from './bearer-jwt.js'
import { betterAuth } from './better-auth.js'
import { describeSessionAdapter, fetchRequest, lightRequest } from './conformance.js'
import { firstOf } from './first-of.js'
import { withTenant } from './with-tenant.js'

const ORIGIN = 'http://localhost:3000'

/** A real better-auth on an in-memory SQLite database, migrated by better-auth itself. */
async function startBetterAuth() {
  const db = new Database(':memory:')
  const auth = createBetterAuth({
    database: db,
    secret: 'better-auth-secret-for-tests-0123456789',
    baseURL: ORIGIN,
    emailAndPassword: { enabled: true },
    plugins: [organization(), bearer()],
    logger: { disabled: true },
    telemetry: { enabled: false },
  })
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()

  const post = async (path: string, body: unknown, cookie?: string) => {
    const response = await auth.handler(
      new Request(`${ORIGIN}/api/auth${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: ORIGIN,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      }),
    )
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
    return response
  }
  const cookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')

  /** A real email/password sign-up, then a real sign-in whose Set-Cookie we keep. */
  async function signUpAndIn(label: string) {
    const email = `${label}-${Math.random().toString(36).slice(2)}@example.test`
    const password = 'correct-horse-battery-staple'
    const up = (await await post('/sign-up/email', { email, password, name: label }).then((r) =>
      r.json(),
    )) as {
      user: { id: string }
    }
    const cookie = cookieOf(await post('/sign-in/email', { email, password }))
    expect(cookie).toMatch(/^better-auth\.session_token=/)
    return { userId: up.user.id, cookie }
  }
  return { auth, db, post, cookieOf, signUpAndIn }
}

type Started = Awaited<ReturnType<typeof startBetterAuth>>

describeSessionAdapter('betterAuth (SQLite, email/password)', async () => {
  const ba = await startBetterAuth()
  return {
    adapter: betterAuth(ba.auth),
    async signIn(label) {
      const { userId, cookie } = await ba.signUpAndIn(label)
      return { userId, headers: { cookie } }
    },
    async forged() {
      const { cookie } = await ba.signUpAndIn('mallory')
      const [name, value = ''] = cookie.split('=')
      const tampered = `${name}=${value.slice(0, -4)}AAAA`
      const { cookie: signedOut } = await ba.signUpAndIn('gone')
      await ba.post('/sign-out', {}, signedOut)
      return [
        { headers: { cookie: tampered } },
        { headers: { cookie: 'better-auth.session_token=garbage' } },
        { headers: { cookie: signedOut } },
        { headers: { authorization: `Bearer ${value.slice(0, -4)}AAAA` } },
      ]
    },
    async teardown() {
      ba.db.close()
    },
  }
})

describe('betterAuth with withTenant and firstOf (seed 002)', () => {
  let ba: Started
  beforeAll(async () => {
    ba = await startBetterAuth()
  })
  afterAll(() => ba.db.close())

  it('reports the session fields better-auth returns', async () => {
    const { userId, cookie } = await ba.signUpAndIn('fields')
    const session = await betterAuth(ba.auth)(fetchRequest({ headers: { cookie } }))
    expect(session?.userId).toBe(userId)
    expect(session?.user.id).toBe(userId)
    expect(session?.session.userId).toBe(userId)
  })

  it('tenant = the active organization, else the user', async () => {
    const adapter = withTenant(betterAuth(ba.auth), (s) => s.session.activeOrganizationId)
    const { userId, cookie } = await ba.signUpAndIn('owner')
    expect(await adapter(lightRequest({ headers: { cookie } }))).toMatchObject({
      userId,
      tenantId: `user:${userId}`,
    })

    const org = (await ba
      .post('/organization/create', { name: 'Acme', slug: `acme-${userId.slice(0, 6)}` }, cookie)
      .then((r) => r.json())) as { id: string }
    await ba.post('/organization/set-active', { organizationId: org.id }, cookie)
    expect(await adapter(lightRequest({ headers: { cookie } }))).toMatchObject({
      userId,
      tenantId: org.id,
    })
  })

  it('firstOf: the extension Bearer token first, else the web cookie', async () => {
    const secret = 'extension-secret-at-least-32-bytes-long'
    const adapter = firstOf(bearerJwt({ secret }), betterAuth(ba.auth))
    const { userId, cookie } = await ba.signUpAndIn('web')
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('ext-user')
      .sign(new TextEncoder().encode(secret))
    expect((await adapter(fetchRequest({ headers: { cookie } })))?.userId).toBe(userId)
    expect(
      (await adapter(fetchRequest({ headers: { authorization: `Bearer ${token}` } })))?.userId,
    ).toBe('ext-user')
    expect(
      (await adapter(fetchRequest({ headers: { authorization: `Bearer ${token}`, cookie } })))
        ?.userId,
    ).toBe('ext-user')
    expect(await adapter(fetchRequest({ headers: { authorization: 'Bearer ' } }))).toBeNull()
  })
})

describe('betterAuth with the bearer plugin (seed 002: the extension sends the session token)', () => {
  let ba: Started
  beforeAll(async () => {
    ba = await startBetterAuth()
  })
  afterAll(() => ba.db.close())

  it('finds the session from Authorization: Bearer <set-auth-token>', async () => {
    const email = `ext-${Date.now()}@example.test`
    const password = 'correct-horse-battery-staple'
    await ba.post('/sign-up/email', { email, password, name: 'ext' })
    const signIn = await ba.post('/sign-in/email', { email, password })
    const token = signIn.headers.get('set-auth-token')
    expect(token).toBeTruthy()
    const { user } = (await signIn.json()) as { user: { id: string } }
    const adapter = betterAuth(ba.auth)
    expect(
      (await adapter(lightRequest({ headers: { authorization: `Bearer ${token}` } })))?.userId,
    ).toBe(user.id)
    expect(
      await adapter(lightRequest({ headers: { authorization: 'Bearer forged.token' } })),
    ).toBeNull()
  })
})

describeSessionAdapter('firstOf(bearerJwt, betterAuth): seed 002 Bearer-then-cookie', async () => {
  const ba = await startBetterAuth()
  const secret = 'extension-secret-at-least-32-bytes-long'
  let n = 0
  return {
    adapter: firstOf(bearerJwt({ secret }), betterAuth(ba.auth)),
    async signIn(label) {
      // Alternate: odd users come from the extension (JWT), even ones from the web (cookie).
      if (n++ % 2 === 0) {
        const { userId, cookie } = await ba.signUpAndIn(label)
        return { userId, headers: { cookie } }
      }
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`ext-${label}`)
        .sign(new TextEncoder().encode(secret))
      return { userId: `ext-${label}`, headers: { authorization: `Bearer ${token}` } }
    },
    async forged() {
      const foreign = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .sign(new TextEncoder().encode('some-other-secret-at-least-32-bytes!!'))
      return [
        { headers: { authorization: `Bearer ${foreign}` } },
        { headers: { authorization: 'Bearer ', cookie: 'better-auth.session_token=garbage' } },
      ]
    },
    async teardown() {
      ba.db.close()
    },
  }
})

describe('betterAuth when its database fails', () => {
  it('throws (503 through the server), never a silent "no session" (401)', async () => {
    const ba = await startBetterAuth()
    const { cookie } = await ba.signUpAndIn('outage')
    ba.db.close()
    const adapter = betterAuth(ba.auth)
    await expect(
      Promise.resolve(adapter(fetchRequest({ headers: { cookie } }))),
    ).rejects.toBeDefined()
    const presence = createPresenceServer({
      signer: createSigner({ key: 'k', secret: 's' }),
      session: adapter,
      channels: { 'private-a': () => true },
    })
    const response = await presence.handlers.auth(
      new Request('http://localhost/pusher/auth', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: 'socket_id=1.2&channel_name=private-a',
      }),
    )
    expect(response.status).toBe(503)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE')
  })
})

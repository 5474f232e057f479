import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getFreePort } from '@presence/testing'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '../lib/demo-users'
import { clientAddress, createRateLimiter } from '../lib/rate-limit'
import { appDir, buildIfNeeded } from '../scripts/build'
import { acquireLock } from '../scripts/lock'
import { signIn } from '../scripts/simulated-user'
import { type Stack, startNext, startStack } from '../scripts/stack'

// The example is copied into production: started as its README says with NODE_ENV=production,
// it must refuse to run without its secrets, create no demo account, never sign anyone in with
// the published demo password, show the directory only to signed-in people, and key the
// sign-in rate limit on the socket, not on a header the client writes.

const REQUIRED = ['NEXTAUTH_SECRET', 'PUSHER_KEY', 'PUSHER_SECRET']

describe('examples/nextjs in production: a start without its secrets', () => {
  // Holds the checkout's lock like startStack does, so no other run rebuilds `.next` under it.
  let release: (() => void) | undefined
  beforeAll(async () => {
    release = await acquireLock(join(appDir, '.next-lock'))
    await buildIfNeeded()
  }, 600_000)

  afterAll(() => {
    release?.()
  })

  async function start(env: Record<string, string | undefined>) {
    const port = await getFreePort()
    const dataDir = mkdtempSync(join(tmpdir(), 'presence-nextjs-env-'))
    const started = Date.now()
    try {
      // No `ready`: a start without its secrets must exit (one that listens fails the test).
      const app = await startNext(port, {
        env: {
          DATABASE_PATH: join(dataDir, 'messenger.db'),
          NEXTAUTH_SECRET: undefined,
          AUTH_SECRET: undefined,
          PUSHER_KEY: undefined,
          PUSHER_SECRET: undefined,
          PRESENCE_DEMO: undefined,
          ...env,
        },
        what: 'next start without its secrets',
        timeoutMs: 30_000,
      })
      const code = await app.exited
      return { code, output: app.output(), seconds: (Date.now() - started) / 1000 }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }

  it('exits non-zero within seconds, naming every missing variable', async () => {
    const { code, output, seconds } = await start({})
    expect(code).not.toBe(0)
    expect(code).not.toBeNull()
    expect(seconds).toBeLessThan(15)
    const line = output.split('\n').find((l) => l.includes('Missing required environment')) ?? ''
    for (const name of REQUIRED) expect(line).toContain(name)
  })

  it('names only what is missing, demo mode included', async () => {
    const { code, output } = await start({ PUSHER_KEY: 'k', PRESENCE_DEMO: '1' })
    expect(code).not.toBe(0)
    const line = output.split('\n').find((l) => l.includes('Missing required environment')) ?? ''
    expect(line).toContain('NEXTAUTH_SECRET')
    expect(line).toContain('PUSHER_SECRET')
    expect(line).not.toContain('PUSHER_KEY')
  })
})

describe('examples/nextjs in production: with its secrets', () => {
  let stack: Stack
  let dataDir: string
  let database: Database.Database
  const real = {
    name: 'Rosalind Franklin',
    email: 'rosalind@example.org',
    password: 'a-long-real-passphrase-42',
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'presence-nextjs-prod-'))
    const databasePath = join(dataDir, 'messenger.db')
    // an account created by the operator, and one left over from a demo run with the demo password
    process.env.DATABASE_PATH = databasePath
    const { createUser } = await import('../lib/users')
    await createUser(real)
    await createUser({ name: 'Left Over', email: 'leftover@example.com', password: DEMO_PASSWORD })
    stack = await startStack({
      demo: false,
      databasePath,
      appPort: await getFreePort(),
      soketiPort: await getFreePort(),
    })
    database = new Database(databasePath, { readonly: true })
  }, 600_000)

  afterAll(async () => {
    database?.close()
    await stack?.stop()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('creates no demo account', () => {
    const emails = DEMO_USERS.map((user) => user.email)
    const rows = database
      .prepare(`SELECT email FROM users WHERE email IN (${emails.map(() => '?').join(',')})`)
      .all(...emails)
    expect(rows).toEqual([])
  })

  it('signs nobody in with the demo password, even an account that has it', async () => {
    await expect(signIn(stack.url, 'leftover@example.com', DEMO_PASSWORD)).rejects.toThrow(
      /sign-in of leftover@example.com failed/,
    )
    await expect(signIn(stack.url, 'ada@example.com', DEMO_PASSWORD)).rejects.toThrow()
  })

  it('shows the directory to signed-in people only, and no refusal demo', async () => {
    const anonymous = await (await fetch(stack.url)).text()
    expect(anonymous).not.toContain(real.email)
    expect(anonymous).not.toContain(real.name)
    expect(anonymous).not.toContain('leftover@example.com')
    expect(anonymous).not.toContain('Try to subscribe anyway')
    expect(anonymous).not.toContain(DEMO_PASSWORD)

    const { cookie } = await signIn(stack.url, real.email, real.password)
    const signedIn = await (await fetch(stack.url, { headers: { cookie } })).text()
    expect(signedIn).toContain('leftover@example.com')
    expect(signedIn).not.toContain('Try to subscribe anyway')
  })

  it('answers the presence endpoints 401 without a session', async () => {
    const form = new URLSearchParams({ socket_id: '1.2', channel_name: 'presence-messenger' })
    const auth = await fetch(`${stack.url}/api/pusher/auth`, { method: 'POST', body: form })
    expect(auth.status).toBe(401)
    const batch = await fetch(`${stack.url}/api/pusher/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ socket_id: '1.2', channels: ['presence-messenger'] }),
    })
    expect(JSON.stringify(await batch.json())).toContain('UNAUTHENTICATED')
  })

  it('rate-limits sign-in by socket address: a rotating X-Forwarded-For does not reset it', async () => {
    const attempt = async (i: number, password: string) => {
      const csrf = await fetch(`${stack.url}/api/auth/csrf`)
      const { csrfToken } = (await csrf.json()) as { csrfToken: string }
      const cookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ')
      const res = await fetch(`${stack.url}/api/auth/callback/credentials`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `203.0.113.${i}`,
          cookie,
        },
        body: new URLSearchParams({ csrfToken, email: real.email, password, json: 'true' }),
      })
      await res.arrayBuffer()
      return res.status
    }
    const statuses: number[] = []
    for (let i = 1; i <= 6; i++) statuses.push(await attempt(i, 'wrong-password'))
    // 5 sign-ins a minute per address: the sixth at the latest is refused, whatever the header says
    expect(statuses).toContain(429)
    const first = statuses.indexOf(429)
    expect(statuses.slice(first).every((status) => status === 429)).toBe(true)
    // and the right password from "another" forwarded address is refused too
    expect(await attempt(99, real.password)).toBe(429)
  })
})

describe('what the sign-in rate limit trusts', () => {
  const none = new Set<string>()
  const proxy = new Set(['10.0.0.2', '10.0.0.3'])

  it('ignores X-Forwarded-For unless the socket is a trusted proxy', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.1', none)).toBe('198.51.100.7')
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.1', none)).toBe('127.0.0.1')
  })

  it('reads the first untrusted hop from the right behind trusted proxies', () => {
    // the client wrote "1.1.1.1" itself; the proxies appended the real address and their own
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.9, 10.0.0.3', proxy)).toBe('203.0.113.9')
    expect(clientAddress('10.0.0.2', undefined, proxy)).toBe('10.0.0.2')
    expect(clientAddress('10.0.0.2', 'not-an-ip', proxy)).toBe('10.0.0.2')
  })

  it('allows max hits per window, then refuses until the window passes', () => {
    const limiter = createRateLimiter({ max: 2, windowMs: 1_000 })
    expect([0, 1, 2].map((t) => limiter.hit('a', t))).toEqual([true, true, false])
    expect(limiter.hit('b', 3)).toBe(true)
    expect(limiter.hit('a', 1_000)).toBe(true)
  })
})

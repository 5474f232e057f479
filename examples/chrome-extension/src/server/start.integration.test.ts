/**
 * The production entry point as a deployment runs it: `pnpm start` (the package's `start`
 * script) with `NODE_ENV=production` and nothing but its environment.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  getFreePort,
  type ManagedProcess,
  type SoketiServer,
  type StartServerOptions,
  startServer,
  startSoketi,
  waitFor,
} from '@presence/testing'
import Database from 'better-sqlite3'
import { build } from 'esbuild'
import PusherJs from 'pusher-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../client/sign-in.js'
import { EXTENSION_ORIGIN } from '../extension-id.js'
import { DEMO } from './demo-data.js'
import { readEnv } from './env.js'

const EXAMPLE_DIR = fileURLToPath(new URL('../../', import.meta.url))
const REQUIRED = [
  'PUSHER_APP_ID',
  'PUSHER_KEY',
  'PUSHER_SECRET',
  'PUSHER_HOST',
  'BETTER_AUTH_SECRET',
  'BETTER_AUTH_URL',
  'DATABASE_PATH',
]
/** Every variable the backend reads, unset: the test's own environment must not leak in. */
const UNSET = Object.fromEntries(
  [
    ...REQUIRED,
    'PUSHER_CLUSTER',
    'PUSHER_PORT',
    'PUSHER_USE_TLS',
    'ALLOWED_ORIGINS',
    'TRUST_PROXY',
    'PORT',
    'HOST',
    'BETTER_AUTH_SECRETS',
    'AUTH_SECRET',
  ].map((name) => [name, undefined]),
)

/**
 * `pnpm start` in the example's folder, in production mode, with `env` only: resolves once
 * `ready` answers, or, without `ready`, once the start exits (see `startServer`).
 */
function start(
  env: Record<string, string>,
  wait: Pick<StartServerOptions, 'ready' | 'what' | 'timeoutMs'>,
): Promise<ManagedProcess> {
  return startServer('pnpm', ['run', '--silent', 'start'], {
    ...wait,
    cwd: EXAMPLE_DIR,
    env: { ...UNSET, NODE_ENV: 'production', ...env },
  })
}

describe('production start without its secrets', () => {
  it('exits non-zero within seconds, with one message naming every missing variable', async () => {
    const started = Date.now()
    const backend = await start({}, { what: '`start` without its secrets', timeoutMs: 30_000 })
    const code = await backend.exited
    const tookMs = Date.now() - started
    const output = backend.output()
    expect(code, output).not.toBe(0)
    expect(tookMs).toBeLessThan(20_000)
    for (const name of REQUIRED) expect(output).toContain(name)
    expect(output.match(/cannot start/g)).toHaveLength(1)
    expect(output).not.toMatch(/^\s+at /m)
  })

  it('refuses published and weak secrets along with the missing ones, in the same message', () => {
    const read = () =>
      readEnv({
        NODE_ENV: 'production',
        PUSHER_APP_ID: 'app',
        PUSHER_KEY: 'key',
        PUSHER_SECRET: 'app-secret',
        PUSHER_HOST: 'ws.example.com',
        BETTER_AUTH_SECRET: 'short',
        BETTER_AUTH_URL: 'https://app.example.com',
      })
    expect(read).toThrow(/missing DATABASE_PATH; unusable PUSHER_SECRET .*BETTER_AUTH_SECRET/)
    try {
      read()
    } catch (error) {
      expect(error).toMatchObject({
        code: 'ENV_INVALID',
        variables: ['DATABASE_PATH', 'PUSHER_SECRET', 'BETTER_AUTH_SECRET'],
      })
    }
  })

  it('no path from the production entry point reaches the test helpers', async () => {
    const result = await build({
      entryPoints: [join(EXAMPLE_DIR, 'src/server/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      write: false,
      logLevel: 'silent',
    })
    const imports = Object.entries(result.metafile.inputs).flatMap(([file, input]) => [
      file,
      ...input.imports.map((entry) => entry.path),
    ])
    expect(imports.length).toBeGreaterThan(5)
    expect(imports.filter((path) => /@presence\/testing|\/testing\//.test(path))).toEqual([])
  })
})

describe('`start` alone (plus its environment) serves the extension', () => {
  let soketi: SoketiServer
  let backend: ManagedProcess
  let url: string
  let dir: string
  let database: string

  beforeAll(async () => {
    // A secret of its own: the production start refuses soketi's published default.
    soketi = await startSoketi({ secret: randomBytes(16).toString('hex') })
    dir = await mkdtemp(join(tmpdir(), 'presence-extension-start-'))
    database = join(dir, 'backend.db')
    const port = await getFreePort()
    url = `http://127.0.0.1:${port}`
    backend = await start(
      {
        PUSHER_APP_ID: soketi.appId,
        PUSHER_KEY: soketi.key,
        PUSHER_SECRET: soketi.secret,
        PUSHER_HOST: '127.0.0.1',
        PUSHER_PORT: String(soketi.port),
        PUSHER_USE_TLS: 'false',
        BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
        BETTER_AUTH_URL: url,
        DATABASE_PATH: database,
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      {
        ready: async () => (await fetch(`${url}/api/auth/ok`)).ok,
        what: 'the backend started by `start`',
      },
    )
  })

  afterAll(async () => {
    await backend?.stop()
    await soketi?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('creates no demo account: no user, no work session, the demo password signs nobody in', async () => {
    const sqlite = new Database(database, { readonly: true })
    try {
      expect(sqlite.prepare('select count(*) as n from "user"').get()).toEqual({ n: 0 })
      expect(sqlite.prepare('select count(*) as n from sessions').get()).toEqual({ n: 0 })
    } finally {
      sqlite.close()
    }
    for (const user of Object.values(DEMO.users)) {
      await expect(
        signIn(url, { email: user.email, password: DEMO.password }),
      ).rejects.toMatchObject({ code: 'SIGN_IN_FAILED', status: 401 })
    }
  })

  it.each([
    ['POST', '/api/pusher/auth'],
    ['GET', '/api/sessions/any-id'],
    ['POST', '/api/sessions'],
    ['PATCH', '/api/sessions/any-id'],
  ])('%s %s answers 401 without a session', async (method, path) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { origin: EXTENSION_ORIGIN, 'content-type': 'application/json' },
      ...(method === 'GET'
        ? {}
        : {
            body: JSON.stringify({
              socket_id: '1.2',
              channel_name: 'private-session-x',
              title: 'x',
            }),
          }),
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })
  })

  it('signs up, creates a session, authorizes its channel for the extension and delivers its updates', async () => {
    const signUp = await fetch(`${url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({
        email: 'erin@example.test',
        password: 'correct-horse-battery-staple',
        name: 'Erin',
      }),
    })
    expect(signUp.status).toBe(200)
    const token = signUp.headers.get('set-auth-token') ?? ''
    expect(token).toContain('.')
    // What the extension sends: its origin and `Authorization: Bearer`, no cookie.
    const extension = { origin: EXTENSION_ORIGIN, authorization: `Bearer ${token}` }

    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { ...extension, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Erin: first session' }),
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN)
    const { session } = (await created.json()) as { session: { sessionId: string } }
    const channelName = `private-session-${session.sessionId}`

    const authorized = await fetch(`${url}/api/pusher/auth`, {
      method: 'POST',
      headers: { ...extension, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: '1234.5678', channel_name: channelName }),
    })
    expect(authorized.status).toBe(200)
    expect(authorized.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN)
    const anonymous = await fetch(`${url}/api/pusher/auth`, {
      method: 'POST',
      headers: { origin: EXTENSION_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ socket_id: '1234.5678', channel_name: channelName }),
    })
    // Production: the code only, no message, no trace.
    expect({ status: anonymous.status, body: await anonymous.json() }).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    })

    const client = new PusherJs(soketi.key, {
      ...soketi.pusherJsOptions,
      channelAuthorization: {
        endpoint: `${url}/api/pusher/auth`,
        transport: 'ajax',
        headers: { Authorization: `Bearer ${token}` },
      },
    })
    try {
      const channel = client.subscribe(channelName)
      const titles: string[] = []
      channel.bind('session-updated', (data: { title: string }) => titles.push(data.title))
      await waitFor(() => channel.subscribed, { what: 'the subscription', timeoutMs: 15_000 })
      const patched = await fetch(`${url}/api/sessions/${session.sessionId}`, {
        method: 'PATCH',
        headers: { ...extension, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Erin: moved to 4pm' }),
      })
      expect(patched.status).toBe(200)
      await waitFor(() => titles.includes('Erin: moved to 4pm'), { what: 'session-updated' })
    } finally {
      client.disconnect()
    }

    const polled = await fetch(`${url}/api/sessions/${session.sessionId}`, { headers: extension })
    expect(polled.status).toBe(200)
  })

  it("keeps better-auth's sign-in rate limit, keyed on the socket address, not X-Forwarded-For", async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(`${url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: url,
          // A new address on every try: trusted, it would reset the limit each time.
          'x-forwarded-for': `203.0.113.${i + 1}`,
        },
        body: JSON.stringify({ email: 'erin@example.test', password: `guess-${i}` }),
      })
      statuses.push(response.status)
    }
    expect(statuses).toContain(429)

    // Keyed per address, not one bucket for everyone: another loopback address still gets in.
    const other = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ email: 'erin@example.test', password: 'guess-other' })
      const request = httpRequest(
        `${url}/api/auth/sign-in/email`,
        {
          method: 'POST',
          localAddress: '127.0.0.2',
          headers: { 'content-type': 'application/json', origin: url },
        },
        (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        },
      )
      request.once('error', reject)
      request.end(body)
    })
    expect(other).toBe(401)
  })
})

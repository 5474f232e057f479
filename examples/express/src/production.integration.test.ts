/**
 * The example started as its README's production command, `NODE_ENV=production npm start`,
 * in its own process: without its secrets it stops at once naming every missing variable;
 * with them it creates no demo account, the published demo tokens sign nobody in, the data
 * and operational endpoints answer 401 without a session, and the public profile channel
 * `private-user@{id}` carries no chat message to anyone.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  getFreePort,
  type ManagedProcess,
  type RedisServer,
  startProcess,
  startRedis,
  waitFor,
} from '@presence/testing'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/store.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** What the app reads from the environment: none of it inherited from the test runner. */
const APP_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'INSTANCE_NAME',
  'PUSHER_APP_ID',
  'PUSHER_KEY',
  'PUSHER_SECRET',
  'REDIS_URL',
  'DATABASE_PATH',
  'METRICS_TOKEN',
  'ENCRYPTED_CHANNELS',
  'PUSHER_ENCRYPTION_MASTER_KEY_BASE64',
]
const DEMO_NAMES = ['alice', 'bob', 'carol', 'dave', 'eve']
/** A chat message ana wrote to ben: private to the chat's two members. */
const SECRET_MESSAGE = 'the door code is 4711'

let dir: string
const started: ManagedProcess[] = []

/** `npm run <script>` in the example, with exactly `env` for the app's variables. */
function npmRun(script: string, env: Record<string, string>): ManagedProcess {
  const cleared = Object.fromEntries(APP_VARIABLES.map((name) => [name, undefined]))
  const proc = startProcess('npm', ['run', '--silent', script], {
    cwd: root,
    // The `source` condition: workspace packages load from src/, no build needed.
    env: { ...cleared, NODE_OPTIONS: '--conditions=source', ...env },
  })
  started.push(proc)
  return proc
}

/** Waits for a start that must fail: its exit code, output and how long it took. */
async function refusedStart(script: string, env: Record<string, string>) {
  const begin = Date.now()
  const proc = npmRun(script, env)
  const code = await Promise.race([
    proc.exited,
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 30_000)),
  ])
  const lines = proc
    .output()
    .split('\n')
    .filter((line) => line.includes('Cannot start'))
  return { code, ms: Date.now() - begin, lines, output: proc.output() }
}

function secrets(): Record<string, string> {
  return {
    PUSHER_APP_ID: 'presence-prod',
    PUSHER_KEY: `key-${randomBytes(6).toString('hex')}`,
    PUSHER_SECRET: randomBytes(24).toString('base64url'),
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'presence-express-production-'))
})

afterAll(async () => {
  for (const proc of started) await proc.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('a production start without its secrets', () => {
  it('exits non-zero within seconds, with one message naming every missing variable', {
    timeout: 60_000,
  }, async () => {
    const { code, ms, lines, output } = await refusedStart('start', { NODE_ENV: 'production' })
    expect(code, output).not.toBe('running')
    expect(code).not.toBe(0)
    // Seconds: the check runs before Redis or the database is opened (generous for a busy CI).
    expect(ms).toBeLessThan(20_000)
    expect(lines, output).toHaveLength(1)
    for (const name of [
      'PUSHER_APP_ID',
      'PUSHER_KEY',
      'PUSHER_SECRET',
      'REDIS_URL',
      'DATABASE_PATH',
    ]) {
      expect(lines[0]).toContain(name)
    }
    console.log(`production start without secrets: exit ${code} after ${ms} ms`)
  })

  it("refuses soketi's published secret, encrypted channels without a master key, and a weak metrics token", {
    timeout: 60_000,
  }, async () => {
    const { code, lines, output } = await refusedStart('start', {
      NODE_ENV: 'production',
      ...secrets(),
      PUSHER_SECRET: 'app-secret',
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_PATH: join(dir, 'never-opened.sqlite'),
      ENCRYPTED_CHANNELS: 'on',
      METRICS_TOKEN: 'short',
    })
    expect(code, output).not.toBe('running')
    expect(code).not.toBe(0)
    expect(lines, output).toHaveLength(1)
    for (const name of ['PUSHER_SECRET', 'PUSHER_ENCRYPTION_MASTER_KEY_BASE64', 'METRICS_TOKEN']) {
      expect(lines[0]).toContain(name)
    }
    expect(lines[0]).not.toContain('PUSHER_APP_ID')
  })

  it('refuses demo mode (`npm run demo`) under NODE_ENV=production', {
    timeout: 60_000,
  }, async () => {
    const { code, lines, output } = await refusedStart('demo', {
      NODE_ENV: 'production',
      ...secrets(),
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_PATH: join(dir, 'never-opened.sqlite'),
    })
    expect(code, output).not.toBe('running')
    expect(code).not.toBe(0)
    expect(lines[0]).toContain('demo mode')
  })
})

describe('a production start with its secrets', () => {
  let redis: RedisServer
  let url: string
  let databasePath: string
  let anaToken: string
  let benToken: string
  const metricsToken = randomBytes(16).toString('hex')

  beforeAll(async () => {
    redis = await startRedis()
    databasePath = join(dir, 'production.sqlite')
    // The product's own data, written by its sign-up and chat services: two users and a
    // chat between them, in which ana wrote the last message.
    const store = openStore({ path: databasePath })
    store.createUser({ id: 'u-ana', name: 'ana', is_streamer: true })
    store.createUser({ id: 'u-ben', name: 'ben' })
    anaToken = store.createLoginToken('u-ana', { clientId: 'ios-ana' })
    benToken = store.createLoginToken('u-ben', { clientId: 'web-ben' })
    store.db.exec(`
      INSERT INTO chats (id, title) VALUES ('c-7', 'ana & ben');
      INSERT INTO chat_members (chat_id, user_id) VALUES ('c-7', 'u-ana'), ('c-7', 'u-ben');
    `)
    store.db
      .prepare('INSERT INTO messages (chat_id, sender_id, body, sent_at) VALUES (?, ?, ?, ?)')
      .run('c-7', 'u-ana', SECRET_MESSAGE, Date.now())
    store.close()

    const port = await getFreePort()
    url = `http://127.0.0.1:${port}`
    const app = npmRun('start', {
      NODE_ENV: 'production',
      ...secrets(),
      PORT: String(port),
      REDIS_URL: redis.url,
      DATABASE_PATH: databasePath,
      METRICS_TOKEN: metricsToken,
    })
    await Promise.race([
      waitFor(async () => (await fetch(`${url}/healthz`)).ok, {
        timeoutMs: 60_000,
        what: 'the production start to listen',
      }),
      app.exited.then((code) => {
        throw new Error(`npm start exited (code ${code}):\n${app.output()}`)
      }),
    ])
  }, 120_000)

  afterAll(async () => {
    await redis?.stop()
  })

  const get = (path: string, token?: string) =>
    fetch(`${url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  const post = (path: string, form: Record<string, string>, token?: string) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: new URLSearchParams(form),
    })
  const batch = async (channel: string, token?: string, headers: Record<string, string> = {}) => {
    const query = new URLSearchParams({ socket_id: '123.456', channels: channel })
    const res = await fetch(`${url}/pusher/batch-authenticate?${query}`, {
      headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    })
    expect(res.status).toBe(200)
    return ((await res.json()) as Record<string, Record<string, unknown>>)[channel]!
  }

  it('creates no demo account', () => {
    const db = new Database(databasePath, { readonly: true })
    try {
      const users = db.prepare('SELECT id FROM users ORDER BY id').all() as Array<{ id: string }>
      expect(users.map((user) => user.id)).toEqual(['u-ana', 'u-ben'])
      const demoTokens = db
        .prepare(`SELECT COUNT(*) AS n FROM auth_sessions WHERE token LIKE 'token-%'`)
        .get() as { n: number }
      expect(demoTokens.n).toBe(0)
      expect(db.prepare(`SELECT * FROM app_meta WHERE key = 'demo_data'`).get()).toBeUndefined()
    } finally {
      db.close()
    }
  })

  it('signs nobody in with a demo token', async () => {
    for (const name of DEMO_NAMES) {
      const token = `token-${name}`
      expect((await post('/pusher/user-auth', { socket_id: '123.456' }, token)).status).toBe(401)
      expect(await batch('presence-user@u-ana', token)).toEqual({
        error: { code: 'UNAUTHENTICATED', status: 401 },
      })
      expect((await get('/users/u-ana/presence', token)).status).toBe(401)
    }
    // A real login does sign in.
    expect((await post('/pusher/user-auth', { socket_id: '123.456' }, anaToken)).status).toBe(200)
  })

  it('answers 401 without a session on every data and operational endpoint', async () => {
    const presence = await get('/users/u-ana/presence')
    expect(presence.status).toBe(401)
    expect(await presence.json()).toEqual({ error: { code: 'UNAUTHENTICATED' } })
    expect((await get('/metrics')).status).toBe(401)
    expect((await get('/metrics', 'not-the-metrics-token-0123456789abcdef')).status).toBe(401)
    // A user's session is not the metrics token either.
    expect((await get('/metrics', anaToken)).status).toBe(401)
    expect((await post('/pusher/user-auth', { socket_id: '123.456' })).status).toBe(401)
    const auth = await post('/pusher/auth', {
      socket_id: '123.456',
      channel_name: 'private-chat@c-7',
    })
    expect(auth.status).toBe(401)

    // With the credentials they answer.
    const own = await get('/users/u-ana/presence', anaToken)
    expect(own.status).toBe(200)
    expect(await own.json()).toEqual({ online: false, lastSeen: null })
    const other = await get('/users/u-ana/presence', benToken)
    expect(await other.json()).toEqual({ online: false })
    const metrics = await get('/metrics', metricsToken)
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toContain('presence_auth_requests_total')
  })

  it('hands nobody a chat message on the public profile channel private-user@{id}', async () => {
    const anonymous = await batch('private-user@u-ana')
    expect(anonymous.error).toBeUndefined()
    const events = anonymous.events as Array<{ event: string }>
    expect(events.map((e) => e.event)).not.toContain('message.sent')
    expect(JSON.stringify(anonymous)).not.toContain(SECRET_MESSAGE)
    expect(JSON.stringify(anonymous)).not.toContain('c-7')
    // Not to a signed-in caller either (the answer is one, cached for every caller).
    expect(JSON.stringify(await batch('private-user@u-ana', benToken))).not.toContain(
      SECRET_MESSAGE,
    )
    // The chat's members get it on the chat's own channel.
    const chat = await batch('private-message@c-7', benToken)
    expect(chat.events).toEqual([
      {
        event: 'message.sent',
        data: expect.objectContaining({ chatId: 'c-7', senderId: 'u-ana', body: SECRET_MESSAGE }),
      },
    ])
  })

  it('admits to presence-client@{clientId} only the login made on that client, whatever X-Client-ID says', async () => {
    expect(await batch('presence-client@ios-ana', anaToken)).toHaveProperty('channel_data')
    expect(await batch('presence-client@ios-ana', benToken, { 'X-Client-ID': 'ios-ana' })).toEqual({
      error: { code: 'CLIENT_MISMATCH', status: 403 },
    })
    expect(
      await batch('presence-client@android-1', anaToken, { 'X-Client-ID': 'android-1' }),
    ).toEqual({ error: { code: 'CLIENT_MISMATCH', status: 403 } })
  })
})

describe('a production start on a database a demo start seeded', () => {
  it('refuses to run with the demo accounts and their published tokens', {
    timeout: 60_000,
  }, async () => {
    const databasePath = join(dir, 'demo.sqlite')
    openStore({ path: databasePath, demo: true }).close()
    const { code, lines, output } = await refusedStart('start', {
      NODE_ENV: 'production',
      ...secrets(),
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_PATH: databasePath,
    })
    expect(code, output).not.toBe('running')
    expect(code).not.toBe(0)
    expect(lines[0]).toContain('demo accounts')
  })
})

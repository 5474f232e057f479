/**
 * `npm run smoke`: starts the backend in this process (in-memory SQLite, demo
 * mode) and checks it end to end against a Pusher-protocol server, as the
 * extension would: Alice signs in with better-auth and her Bearer token
 * subscribes to her work session's `private-session-<id>` channel with
 * `@presence/client` over pusher-js, Bob's session is refused with 403
 * `USER_MISMATCH`, and a request without a token is refused with 401.
 *
 * Environment: `PUSHER_HOST` / `PUSHER_PORT` (default 127.0.0.1:6001),
 * `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET` (required: no default secret).
 * Exits 0 when every check passed.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { signIn } from '../src/client/sign-in.js'
import { createBackend } from '../src/server/app.js'
import { DEMO } from '../src/server/demo-data.js'

const env = process.env
const missing = ['PUSHER_APP_ID', 'PUSHER_KEY', 'PUSHER_SECRET'].filter((name) => !env[name])
if (missing.length > 0) {
  console.error(`smoke: set ${missing.join(', ')} (the Pusher-protocol server to check against)`)
  process.exit(1)
}
const key = env.PUSHER_KEY as string
const pusherHost = env.PUSHER_HOST ?? '127.0.0.1'
const pusherPort = Number(env.PUSHER_PORT ?? 6001)
/** A free loopback port: better-auth needs the backend's URL before it listens. */
const port = await new Promise<number>((resolve, reject) => {
  const probe = createServer()
  probe.once('error', reject)
  probe.listen(0, '127.0.0.1', () => {
    const address = probe.address()
    const free = typeof address === 'object' && address ? address.port : 0
    probe.close(() => resolve(free))
  })
})
const backend = await createBackend({
  pusher: {
    appId: env.PUSHER_APP_ID as string,
    key,
    secret: env.PUSHER_SECRET as string,
    host: pusherHost,
    port: String(pusherPort),
    useTLS: false,
  },
  authSecret: randomBytes(32).toString('base64url'),
  baseURL: `http://127.0.0.1:${port}`,
  demo: true,
})
const server = await backend.listen(port)
if (!backend.demo) throw new Error('demo mode created no demo data')

/** Resolves with the channel's final state: subscribed, or the refusal's code. */
function settled(client: PresenceClient, name: string, timeoutMs = 20_000): Promise<string> {
  const store = client.members(name)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`${name}: no answer after ${timeoutMs} ms`))
    }, timeoutMs)
    const check = () => {
      const { status, error } = store.getSnapshot()
      if (error || status === 'subscribed') {
        clearTimeout(timer)
        stop()
        resolve(error ? `${error.status} ${error.code}` : status)
      }
    }
    const stop = store.subscribe(check)
    check()
  })
}

function expect(what: string, actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`)
  console.log(`ok  ${what} → ${actual}`)
}

const own = `private-session-${DEMO.sessions.alice}`
const other = `private-session-${DEMO.sessions.bob}`
const { token } = await signIn(
  server.url,
  { email: DEMO.users.alice.email, password: DEMO.password },
  backend.demo.organization,
)
const client = createPresenceClient({
  pusher: {
    key,
    wsHost: pusherHost,
    wsPort: pusherPort,
    forceTLS: false,
    enabledTransports: ['ws'],
    cluster: 'local',
  },
  auth: {
    endpoint: `${server.url}/api/pusher/auth`,
    headers: { authorization: `Bearer ${token}` },
  },
})
try {
  const anonymous = await fetch(`${server.url}/api/pusher/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `socket_id=1234.5678&channel_name=${own}`,
  })
  expect(`${own} without a token`, String(anonymous.status), '401')
  const handles = [client.subscribe(own), client.subscribe(other)]
  const [ownState, otherState] = await Promise.all([settled(client, own), settled(client, other)])
  expect(`alice subscribes to ${own} through ${pusherHost}:${pusherPort}`, ownState, 'subscribed')
  expect(`alice asks for bob's ${other}`, otherState, '403 USER_MISMATCH')
  for (const handle of handles) handle.release()
} finally {
  client.destroy()
  await server.close()
  backend.close()
}
process.exit(0)

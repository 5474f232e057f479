/**
 * `npm run smoke`: starts the backend in this process (in-memory SQLite with
 * the demo data) and checks it end to end against a Pusher-protocol server,
 * as the extension would: Alice's Bearer token subscribes to her work
 * session's `private-session-<id>` channel with `@presence/client` over
 * pusher-js, Bob's session is refused with 403 `USER_MISMATCH`, and a request
 * without a token is refused with 401.
 *
 * Environment: `PUSHER_HOST` / `PUSHER_PORT` (default 127.0.0.1:6001),
 * `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET` (soketi's defaults).
 * Exits 0 when every check passed.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { createBackend } from '../src/server/app.js'
import { DEMO } from '../src/server/demo-data.js'

const env = process.env
const key = env.PUSHER_KEY ?? 'app-key'
const pusherHost = env.PUSHER_HOST ?? '127.0.0.1'
const pusherPort = Number(env.PUSHER_PORT ?? 6001)
const backend = createBackend({
  pusher: {
    appId: env.PUSHER_APP_ID ?? 'app-id',
    key,
    secret: env.PUSHER_SECRET ?? 'app-secret',
    host: pusherHost,
    port: String(pusherPort),
    useTLS: false,
  },
  jwtSecret: 'smoke-test-jwt-secret-0123456789abcdef',
  cookieSecret: 'smoke-test-cookie-secret',
})
const server = await backend.listen(0)

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
const token = await backend.mintToken(DEMO.users.alice, DEMO.organizations.acme)
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
}
process.exit(0)

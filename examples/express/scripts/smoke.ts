/**
 * `npm run smoke`: starts the app in this process in demo mode (an in-memory
 * SQLite store with the demo accounts) and checks it end to end against a
 * Pusher-protocol server and Redis, as a user would: bob's login token
 * subscribes to `private-stream@42` with `@presence/client` over pusher-js (one
 * batch request to `/pusher/batch-authenticate`), carol's order is refused with
 * a typed 403, and a request without a token is refused with 401.
 *
 * Environment: `PUSHER_APP_ID`, `PUSHER_KEY`, `PUSHER_SECRET` (required, those of
 * the Pusher-protocol server), `PUSHER_HOST` / `PUSHER_PORT` (default
 * 127.0.0.1:6001), `REDIS_URL` (default redis://127.0.0.1:6379). Exits 0 when
 * every check passed.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { createApp } from '../src/app.js'
import { ConfigError, readConfig } from '../src/config.js'

const env = process.env
let config: ReturnType<typeof readConfig>
try {
  config = readConfig({ ...env, NODE_ENV: 'test' }, { demo: true })
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
const key = config.pusher.key
const app = createApp({
  name: 'smoke',
  pusher: config.pusher,
  redis: config.redisUrl,
  store: { path: ':memory:' },
  demo: true,
})
const { url } = await app.listen(0, '127.0.0.1')
const pusherHost = env.PUSHER_HOST ?? '127.0.0.1'
const pusherPort = Number(env.PUSHER_PORT ?? 6001)

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
    endpoint: `${url}/pusher/auth`,
    batchEndpoint: `${url}/pusher/batch-authenticate`,
    headers: { authorization: 'Bearer token-bob' },
  },
})
try {
  const anonymous = await fetch(`${url}/pusher/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'socket_id=1234.5678&channel_name=private-order@1001',
  })
  expect('private-order@1001 without a token', String(anonymous.status), '401')
  const stream = client.subscribe('private-stream@42')
  const order = client.subscribe('private-order@1002')
  const [streamState, orderState] = await Promise.all([
    settled(client, 'private-stream@42'),
    settled(client, 'private-order@1002'),
  ])
  expect(
    `bob subscribes to private-stream@42 through ${pusherHost}:${pusherPort}`,
    streamState,
    'subscribed',
  )
  expect("bob asks for carol's private-order@1002", orderState, '403 ORDER_FORBIDDEN')
  stream.release()
  order.release()
} finally {
  client.destroy()
  await app.close()
}
process.exit(0)

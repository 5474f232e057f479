/**
 * `npm run smoke`: checks a running app (`next start`) end to end against its
 * Pusher-protocol server, as a user would. Signs in a demo user through
 * next-auth's HTTP API (the app in demo mode), joins `presence-messenger` with `@presence/client`
 * over pusher-js (authorized by the app's own routes with the session cookie),
 * and checks that a signed-out request is refused with 401 `UNAUTHENTICATED`.
 *
 * Environment: `APP_URL` (default http://127.0.0.1:3000), and the app's own
 * `NEXT_PUBLIC_PUSHER_HOST`, `NEXT_PUBLIC_PUSHER_PORT`, `NEXT_PUBLIC_PUSHER_KEY`.
 * Exits 0 when every check passed.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import { DEMO_PASSWORD, DEMO_USERS } from '../lib/demo-users'
import { signIn } from './sign-in'

const env = process.env
const appUrl = env.APP_URL ?? 'http://127.0.0.1:3000'
const pusher = {
  key: env.NEXT_PUBLIC_PUSHER_KEY ?? 'app-key',
  wsHost: env.NEXT_PUBLIC_PUSHER_HOST ?? '127.0.0.1',
  wsPort: Number(env.NEXT_PUBLIC_PUSHER_PORT ?? 6001),
  forceTLS: false,
  enabledTransports: ['ws' as const],
  cluster: 'local',
}

/** Resolves once the channel is subscribed; rejects on a refusal or after `timeoutMs`. */
function subscribed(client: PresenceClient, name: string, timeoutMs = 20_000): Promise<void> {
  const store = client.members(name)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`${name}: not subscribed after ${timeoutMs} ms`))
    }, timeoutMs)
    const check = () => {
      const { status, error } = store.getSnapshot()
      if (error || status === 'subscribed') {
        clearTimeout(timer)
        stop()
        if (error) reject(new Error(`${name}: refused, ${error.status} ${error.code}`))
        else resolve()
      }
    }
    const stop = store.subscribe(check)
    check()
  })
}

const anonymous = await fetch(`${appUrl}/api/pusher/auth`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'socket_id=1234.5678&channel_name=presence-messenger',
})
const refusal = (await anonymous.json()) as { error?: { code?: string } }
if (anonymous.status !== 401 || refusal.error?.code !== 'UNAUTHENTICATED') {
  throw new Error(`signed out: expected 401 UNAUTHENTICATED, got ${anonymous.status}`)
}
console.log('ok  signed-out auth request → 401 UNAUTHENTICATED')

const user = DEMO_USERS[0]
if (!user) throw new Error('no demo user')
const { cookie, userId } = await signIn(appUrl, user.email, DEMO_PASSWORD)
const signedIn = { id: userId }
console.log(`ok  signed in as ${user.email}`)

const client = createPresenceClient({
  pusher,
  auth: {
    endpoint: `${appUrl}/api/pusher`,
    headers: { cookie },
  },
  user: { id: signedIn.id },
})
const handle = client.subscribe('presence-messenger')
try {
  await subscribed(client, 'presence-messenger')
  const me = client.members('presence-messenger').getSnapshot().me
  if (me?.id !== signedIn.id) throw new Error(`presence-messenger: me is ${me?.id}`)
  console.log(`ok  joined presence-messenger through ${pusher.wsHost}:${pusher.wsPort}`)
} finally {
  handle.release()
  client.destroy()
}
process.exit(0)

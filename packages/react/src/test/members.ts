/**
 * Joins many members to one presence channel from its own process, each with its own pusher-js
 * socket, authorized by the app server (`@presence/server`) like any client. Prints
 * `JOINED <n>` once every member is subscribed, and stays connected until SIGTERM.
 *
 * Environment: `APP_URL`, `PUSHER_KEY`, `PUSHER_PORT`, `CHANNEL`, `COUNT`, `PREFIX`.
 */
import Pusher from 'pusher-js'

const appUrl = process.env.APP_URL ?? ''
const key = process.env.PUSHER_KEY ?? 'app-key'
const port = Number(process.env.PUSHER_PORT)
const channel = process.env.CHANNEL ?? 'presence-room@big'
const count = Number(process.env.COUNT ?? 1000)
const prefix = process.env.PREFIX ?? 'member-'

const sockets: Pusher[] = []

function join(user: string): Promise<void> {
  const pusher = new Pusher(key, {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: {
      endpoint: `${appUrl}/auth`,
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, callback) => {
        fetch(`${appUrl}/auth`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${user}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }),
        })
          .then(async (res) => {
            if (!res.ok) throw new Error(`auth ${res.status}`)
            callback(null, await res.json())
          })
          .catch((error: Error) => callback(error, null))
      },
    },
  })
  sockets.push(pusher)
  return new Promise((resolve, reject) => {
    const ch = pusher.subscribe(channel)
    ch.bind('pusher:subscription_succeeded', () => resolve())
    ch.bind('pusher:subscription_error', (e: unknown) => reject(new Error(JSON.stringify(e))))
  })
}

const started = Date.now()
const wave = Number(process.env.WAVE ?? 250)
for (let i = 0; i < count; i += wave) {
  const users = Array.from({ length: Math.min(wave, count - i) }, (_, j) => `${prefix}${i + j}`)
  await Promise.all(users.map(join))
  if (process.env.VERBOSE) console.log(`wave ${i} done at ${Date.now() - started} ms`)
}
console.log(`JOINED ${count} in ${Date.now() - started} ms`)

process.on('SIGTERM', () => {
  for (const p of sockets) p.disconnect()
  process.exit(0)
})

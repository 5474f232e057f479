/**
 * Runs @presence/client/core with pusher-js's worker build, as in a service
 * worker: no `window`, no `document`, no `XMLHttpRequest`; only `self`,
 * `fetch` and `WebSocket` (Node's, with --experimental-websocket).
 *
 * argv: <soketi key> <soketi port> <auth base url> <user>
 * env: PUSHER_JS_PACKAGE, the package to load pusher-js from (default `pusher-js`).
 * Prints one JSON line with what it observed, then exits.
 */
const [key, port, base, user] = process.argv.slice(2) as [string, string, string, string]
const g = globalThis as Record<string, unknown>
g.self ??= globalThis
const missing = ['window', 'document', 'XMLHttpRequest'].filter((name) => name in globalThis)
if (missing.length) throw new Error(`not a worker-like global scope: ${missing.join(', ')}`)

// The pusher-js under test: the latest 8.x, or the peer range's floor in the floor run.
const pusherJs = process.env.PUSHER_JS_PACKAGE ?? 'pusher-js'
const { default: Pusher } = (await import(
  `${pusherJs}/worker`
)) as typeof import('pusher-js/worker')
const { createPresenceClient } = await import('../src/core.js')

const pusher = new Pusher(key, {
  cluster: 'local',
  wsHost: '127.0.0.1',
  wsPort: Number(port),
  forceTLS: false,
  enabledTransports: ['ws'],
  disableStats: true,
})
const requests: string[][] = []
const client = createPresenceClient({
  pusher,
  auth: {
    endpoint: `${base}/auth`,
    batchEndpoint: `${base}/batch`,
    headers: async () => ({ 'x-user': user }),
    fetch: (input, init) => {
      requests.push((JSON.parse(String(init?.body)) as { channels: string[] }).channels)
      return fetch(input, init)
    },
  },
})
const names = ['presence-worker', 'private-worker-1', 'private-worker-2']
for (const name of names) client.subscribe(name)
const deadline = Date.now() + 10_000
while (names.some((n) => client.members(n).getSnapshot().status !== 'subscribed')) {
  if (Date.now() > deadline) break
  await new Promise((r) => setTimeout(r, 20))
}
const presence = client.members('presence-worker').getSnapshot()
console.log(
  JSON.stringify({
    statuses: names.map((n) => client.members(n).getSnapshot().status),
    members: [...presence.members.keys()],
    me: presence.me,
    requests,
  }),
)
client.destroy()
pusher.disconnect()
process.exit(0)

export {}

/**
 * One client process of the reconnect storm: a share of the simulated
 * clients, each a pusher-js instance in Node in 5 private channels and 1
 * presence channel, authorized either by `@presence/client` (batch endpoint)
 * or by pusher-js's default authorizer (one request per channel). Driven by
 * its parent over IPC (see `storm.ts`):
 *
 * - `{ type: 'start', mode, clients, spacingMs }`: creates the clients, one
 *   every `spacingMs`, and answers `{ type: 'ready' }` once every channel of
 *   every client is subscribed;
 * - `{ type: 'views' }`: answers `{ type: 'views', views, errors }`, the
 *   member ids each client sees in its presence channel;
 * - `{ type: 'rejoin', users }`: those clients leave their presence channel
 *   and join it again after a random 0–1,000 ms (the repair prototype);
 * - `{ type: 'stop' }`: disconnects everything and exits.
 */
import { createPresenceClient, type PresenceClient } from '@presence/client'
import type { SoketiServer } from '@presence/testing'
import Pusher, { type PresenceChannel } from 'pusher-js'

/** One simulated client: who it is and where it goes. */
export interface StormClientSpec {
  user: string
  room: string
  items: string[]
  /** pusher-js options of its soketi node. */
  pusher: SoketiServer['pusherJsOptions']
  key: string
  /** Base URL of its app instance. */
  app: string
}

export type StormMode = 'presence' | 'pusher-js'

export type WorkerMessage =
  | { type: 'start'; mode: StormMode; clients: StormClientSpec[]; spacingMs: number }
  | { type: 'views' }
  | { type: 'rejoin'; users: string[] }
  | { type: 'stop' }

export type WorkerReply =
  | { type: 'ready' }
  | {
      type: 'views'
      /** Per client: user, room, the ids its store holds (null while not subscribed), its connection state. */
      views: Array<[user: string, room: string, ids: string[] | null, state: string]>
      errors: string[]
    }

interface Running {
  spec: StormClientSpec
  pusher: Pusher
  presence?: PresenceClient
  /** The member ids this client's store holds, or null while not subscribed. */
  view(): string[] | null
  rejoin(): void
}

const errors: string[] = []
const running: Running[] = []
const send = (m: WorkerReply) => process.send?.(m)

function startClient(spec: StormClientSpec, mode: StormMode): Running {
  const headers = { Authorization: `Bearer ${spec.user}` }
  const channels = [...spec.items, spec.room]
  if (mode === 'presence') {
    const pusher = new Pusher(spec.key, spec.pusher)
    const presence = createPresenceClient({
      pusher,
      auth: { endpoint: `${spec.app}/auth`, batchEndpoint: `${spec.app}/batch`, headers },
      user: { id: spec.user },
    })
    for (const name of channels) presence.subscribe(name)
    const store = presence.members(spec.room)
    store.subscribe(() => {
      const s = store.getSnapshot()
      if (s.error) errors.push(`${spec.user} ${spec.room}: ${s.error.code} ${s.error.status}`)
    })
    return {
      spec,
      pusher,
      presence,
      view() {
        const s = store.getSnapshot()
        return s.status === 'subscribed' ? [...s.members.keys()].sort() : null
      },
      rejoin() {
        presence.setUser(null)
        setTimeout(() => presence.setUser({ id: spec.user }), Math.random() * 1000)
      },
    }
  }
  const pusher = new Pusher(spec.key, {
    ...spec.pusher,
    channelAuthorization: { endpoint: `${spec.app}/auth`, transport: 'ajax', headers },
  })
  const subscribe = (name: string) => {
    const ch = pusher.subscribe(name)
    ch.bind('pusher:subscription_error', (e: unknown) =>
      errors.push(`${spec.user} ${name}: ${JSON.stringify(e)}`),
    )
  }
  for (const name of channels) subscribe(name)
  return {
    spec,
    pusher,
    view() {
      const ch = pusher.channel(spec.room) as PresenceChannel | undefined
      if (!ch?.subscribed) return null
      const ids: string[] = []
      ch.members.each((m: { id: string }) => ids.push(m.id))
      return ids.sort()
    },
    rejoin() {
      pusher.unsubscribe(spec.room)
      setTimeout(() => subscribe(spec.room), Math.random() * 1000)
    },
  }
}

const allSubscribed = () =>
  running.every((r) => [...r.spec.items, r.spec.room].every((n) => r.pusher.channel(n)?.subscribed))

process.on('message', async (m: WorkerMessage) => {
  if (m.type === 'start') {
    for (const spec of m.clients) {
      running.push(startClient(spec, m.mode))
      await new Promise((resolve) => setTimeout(resolve, m.spacingMs))
    }
    while (!allSubscribed()) await new Promise((resolve) => setTimeout(resolve, 100))
    send({ type: 'ready' })
  } else if (m.type === 'views') {
    send({
      type: 'views',
      views: running.map((r) => [r.spec.user, r.spec.room, r.view(), r.pusher.connection.state]),
      errors: errors.splice(0),
    })
  } else if (m.type === 'rejoin') {
    const users = new Set(m.users)
    for (const r of running) if (users.has(r.spec.user)) r.rejoin()
  } else if (m.type === 'stop') {
    for (const r of running) r.pusher.disconnect()
    setTimeout(() => process.exit(0), 100)
  }
})
process.on('disconnect', () => process.exit(0))

/**
 * Plain pusher-js clients in Node with hand-made channel signatures: no
 * `@presence` code, so what the race and storm scripts observe of soketi is
 * soketi's own behaviour.
 */
import { createHmac } from 'node:crypto'
import type { SoketiServer } from '@presence/testing'
import Pusher, { type PresenceChannel } from 'pusher-js'

/** Where a plain client connects and what it signs with. */
export type PlainNode = Pick<SoketiServer, 'key' | 'secret' | 'pusherJsOptions'>

/**
 * Signs `socket_id:channel[:channel_data]` with HMAC-SHA256, as Pusher's
 * protocol defines it (what any Pusher server SDK does).
 */
export function handSign(
  key: string,
  secret: string,
  socketId: string,
  channel: string,
  channelData?: string,
) {
  const text =
    channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`
  return `${key}:${createHmac('sha256', secret).update(text).digest('hex')}`
}

/**
 * A pusher-js client signed in as `userId`, connected to `node`.
 *
 * With `replay`, `members()` reads a member list kept beside pusher-js's:
 * `member_added` / `member_removed` that arrive before the channel's
 * `subscription_succeeded` (which pusher-js overwrites with the snapshot) are
 * kept and applied, in arrival order, on top of the snapshot.
 */
export function plainClient(node: PlainNode, userId: string, replay = false) {
  const replayed = new Map<string, { ids: Set<string>; early: Array<[boolean, string]> | null }>()
  const pusher = new Pusher(node.key, {
    ...node.pusherJsOptions,
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, callback) => {
        const channelData = channelName.startsWith('presence-')
          ? JSON.stringify({ user_id: userId, user_info: {} })
          : undefined
        callback(null, {
          auth: handSign(node.key, node.secret, socketId, channelName, channelData),
          ...(channelData ? { channel_data: channelData } : {}),
        })
      },
    },
  })
  return {
    pusher,
    userId,
    connected: () =>
      new Promise<void>((resolve, reject) => {
        if (pusher.connection.state === 'connected') return resolve()
        pusher.connection.bind('connected', () => resolve())
        pusher.connection.bind('failed', () => reject(new Error('connection failed')))
      }),
    /** Joins `channel` and resolves on `subscription_succeeded`. */
    join: (channel: string) =>
      new Promise<PresenceChannel>((resolve, reject) => {
        const ch = pusher.subscribe(channel) as PresenceChannel
        const own = { ids: new Set<string>(), early: [] as Array<[boolean, string]> | null }
        replayed.set(channel, own)
        const apply = (added: boolean, id: string) => {
          if (own.early) own.early.push([added, id])
          else if (added) own.ids.add(id)
          else own.ids.delete(id)
        }
        ch.bind('pusher:member_added', (m: { id: string }) => apply(true, m.id))
        ch.bind('pusher:member_removed', (m: { id: string }) => apply(false, m.id))
        ch.bind(
          'pusher:subscription_succeeded',
          (members: { each(f: (m: { id: string }) => void): void }) => {
            own.ids = new Set()
            members.each((m) => own.ids.add(m.id))
            const early = own.early ?? []
            own.early = null
            for (const [added, id] of early) apply(added, id)
            resolve(ch)
          },
        )
        ch.bind('pusher:subscription_error', (e: unknown) => reject(new Error(JSON.stringify(e))))
      }),
    /** The user ids this client sees in `channel`, sorted. */
    members: (channel: string): string[] => {
      if (replay) return [...(replayed.get(channel)?.ids ?? [])].sort()
      const ch = pusher.channel(channel) as PresenceChannel | undefined
      const ids: string[] = []
      ch?.members.each((m: { id: string }) => ids.push(m.id))
      return ids.sort()
    },
    disconnect: () => pusher.disconnect(),
  }
}

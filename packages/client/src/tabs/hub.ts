import type { ChannelStatus, MemberSnapshot } from '../snapshots.js'
import type { PresenceClient, SubscriptionHandle } from '../types.js'
import type { Interest, SharedValues } from './protocol.js'

/** Where the leader's hub sends what the shared connection sees. @internal */
export interface HubOutput {
  /** A watched channel's snapshot changed (or is first watched). */
  members(name: string, snapshot: MemberSnapshot): void
  /** An event some tab bound a handler to. */
  event(name: string, event: string, data: unknown): void
  /** Shared values changed. */
  values(values: Partial<SharedValues>): void
}

/**
 * The leading tab's side: one own-connection client whose references, handlers and store
 * listeners follow the union of every tab's {@link Interest}. @internal
 */
export interface Hub {
  /** The client holding the shared connection. */
  readonly client: PresenceClient
  /** Makes the client follow the table of interests (after any change to it). */
  reconcile(): void
  /** The current snapshot of every channel some tab cares about. */
  snapshots(): Array<readonly [string, MemberSnapshot]>
  /** The current shared values. */
  values(): SharedValues
  /** Releases everything and destroys the client (its connection closes). */
  stop(): void
}

/** Statuses after which a new `subscribe` in any tab asks again, as in a tab of its own. */
const REFUSED: ReadonlySet<ChannelStatus> = new Set(['unauthenticated', 'forbidden', 'error'])

/** The key of a (channel, event) binding. */
const bindingKey = (name: string, event: string) => `${name}\n${event}`

/**
 * Creates the hub over a client that owns its connection.
 *
 * Reconciling is synchronous: every channel a tab holds is subscribed in the same tick, so
 * the client's batching authorizer sends them in one request (after a handoff, the union of
 * every tab's channels). Handlers are bound before subscribing, so retained events reach the
 * tabs that bound them.
 *
 * @param client - the leader's own-connection client.
 * @param table - every tab's interest, kept current by the caller.
 * @param out - where snapshots, events and values go.
 * @returns the hub.
 * @internal
 */
export function createHub(
  client: PresenceClient,
  table: ReadonlyMap<string, Interest>,
  out: HubOutput,
): Hub {
  const watched = new Map<string, () => void>()
  const handles = new Map<string, SubscriptionHandle>()
  const bound = new Map<string, () => void>()
  /** `subscribe` calls seen per tab and channel, to notice a new one on a refused channel. */
  const acquiresSeen = new Map<string, number>()

  const values = (): SharedValues => ({
    user: client.user.getSnapshot(),
    connection: client.connection.getSnapshot(),
    recovery: client.recovery.getSnapshot(),
    signIn: client.signIn.getSnapshot(),
    online: [...client.online.getSnapshot()],
  })
  const stopValues = [
    client.user.subscribe(() => out.values({ user: client.user.getSnapshot() })),
    client.connection.subscribe(() => out.values({ connection: client.connection.getSnapshot() })),
    client.recovery.subscribe(() => out.values({ recovery: client.recovery.getSnapshot() })),
    client.online.subscribe(() => out.values({ online: [...client.online.getSnapshot()] })),
    client.signIn.subscribe(() => out.values({ signIn: client.signIn.getSnapshot() })),
  ]

  const forget = (name: string) => {
    watched.get(name)?.()
    watched.delete(name)
    handles.get(name)?.release()
    handles.delete(name)
  }

  const hub: Hub = {
    client,
    reconcile() {
      const wanted = new Map<string, { held: boolean; retry: boolean; events: Set<string> }>()
      const seen = new Map<string, number>()
      for (const [tab, interest] of table) {
        for (const [name, entry] of Object.entries(interest)) {
          const want = wanted.get(name) ?? { held: false, retry: false, events: new Set<string>() }
          wanted.set(name, want)
          if (entry.held > 0) want.held = true
          for (const event of entry.events) want.events.add(event)
          const key = bindingKey(tab, name)
          if (entry.acquires > (acquiresSeen.get(key) ?? 0)) want.retry = true
          seen.set(key, entry.acquires)
        }
      }
      acquiresSeen.clear()
      for (const [key, acquires] of seen) acquiresSeen.set(key, acquires)

      for (const [key, unbind] of bound) {
        const [name = '', event = ''] = key.split('\n')
        if (wanted.get(name)?.events.has(event)) continue
        unbind()
        bound.delete(key)
      }
      for (const name of watched.keys()) if (!wanted.has(name)) forget(name)

      for (const [name, want] of wanted) {
        for (const event of want.events) {
          const key = bindingKey(name, event)
          if (!bound.has(key))
            bound.set(
              key,
              client.on(name, event, (data) => out.event(name, event, data)),
            )
        }
        if (!watched.has(name)) {
          const store = client.members(name)
          watched.set(
            name,
            store.subscribe(() => out.members(name, store.getSnapshot())),
          )
          out.members(name, store.getSnapshot())
        }
        const handle = handles.get(name)
        if (want.held) {
          const refused = REFUSED.has(client.members(name).getSnapshot().status)
          if (handle && !(want.retry && refused)) continue
          // Taken before the old one is dropped: the channel is asked again, never left.
          handles.set(name, client.subscribe(name))
          handle?.release()
        } else if (handle) {
          handle.release()
          handles.delete(name)
        }
      }
    },
    snapshots: () => [...watched.keys()].map((name) => [name, client.members(name).getSnapshot()]),
    values,
    stop() {
      for (const stop of stopValues) stop()
      for (const unbind of bound.values()) unbind()
      bound.clear()
      for (const name of [...watched.keys()]) forget(name)
      client.destroy()
    },
  }
  return hub
}

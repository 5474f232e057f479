import type { Channel } from 'pusher-js'
import type { RetainedEvent } from './auth-response.js'
import { createAuthorizer } from './authorizer.js'
import { PresenceClientError } from './errors.js'
import { createMemberStore, type MemberStore, type PusherMembers } from './member-store.js'
import { createOnlineStore } from './online-store.js'
import { createStore } from './store.js'
import type {
  ChannelStatus,
  ConnectionState,
  EventHandler,
  MemberSnapshot,
  PresenceClient,
  PresenceClientOptions,
  PresenceUser,
  PusherLike,
  Store,
} from './types.js'

/** Options of {@link createClient}: a pusher-js instance only. @internal */
export type CoreClientOptions = Omit<PresenceClientOptions, 'pusher'> & { pusher: PusherLike }

/** One channel known to the client. */
interface Entry {
  name: string
  presence: boolean
  store: MemberStore
  handlers: Map<string, Set<EventHandler>>
  refs: number
  timer: ReturnType<typeof setTimeout> | undefined
  channel: Channel | undefined
  retained: RetainedEvent[] | undefined
  failure: PresenceClientError | undefined
  listener: (event: string, data: unknown) => void
}

const statusOf = (status: number): ChannelStatus =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error'

/**
 * Builds a {@link PresenceClient} around an existing pusher-js instance,
 * replacing its channel authorizer. No pusher-js import: safe with
 * `pusher-js/worker` in a service worker.
 *
 * @param options - the client options, `pusher` an instance.
 * @param owned - whether `destroy()` disconnects the instance.
 * @returns the client.
 * @internal
 */
export function createClient(options: CoreClientOptions, owned = false): PresenceClient {
  const { pusher, graceMs = 50 } = options
  const entries = new Map<string, Entry>()
  let user = options.user
  let destroyed = false
  const online = createOnlineStore()
  const userStore = createStore(user)
  const connection = createStore(pusher.connection.state as ConnectionState)

  pusher.config.channelAuthorizer = createAuthorizer(options.auth, (name, outcome) => {
    const e = entries.get(name)
    if (!e) return
    if (outcome instanceof Error) e.failure = outcome
    else e.retained = outcome.events
  })

  const dispatch = (e: Entry, event: string, data: unknown) => {
    for (const h of [...(e.handlers.get(event) ?? [])]) {
      try {
        h(data)
      } catch (error) {
        // A throwing handler must not stop the others nor pusher-js: report it asynchronously.
        setTimeout(() => {
          throw error
        })
      }
    }
  }

  const onEvent = (e: Entry, event: string, data: unknown) => {
    const { store } = e
    if (event === 'pusher:subscription_succeeded') {
      if (e.presence) store.replace(data as PusherMembers)
      else store.reset('subscribed')
      dispatch(e, event, data)
      const retained = e.retained ?? []
      e.retained = undefined
      for (const r of retained) dispatch(e, r.event, r.data)
      return
    }
    const d = (data ?? {}) as { id?: string; info?: unknown; status?: number; error?: string }
    if (event === 'pusher:subscription_error') {
      const error =
        e.failure ??
        (d.status === 4100
          ? new PresenceClientError('MEMBER_LIMIT', `${e.name} is full (member limit reached)`, {
              status: 4100,
              channel: e.name,
            })
          : new PresenceClientError(
              'SUBSCRIPTION_ERROR',
              d.error ?? `${e.name}: subscription refused`,
              {
                status: d.status ?? 0,
                channel: e.name,
              },
            ))
      e.failure = undefined
      store.reset(statusOf(error.status), error.toChannelError())
    } else if (event === 'pusher:member_added') store.add(d.id as string, d.info)
    else if (event === 'pusher:member_removed') store.remove(d.id as string)
    dispatch(e, event, data)
  }

  const entry = (name: string): Entry => {
    let e = entries.get(name)
    if (!e) {
      const created: Entry = {
        name,
        presence: name.startsWith('presence-'),
        store: createMemberStore(online.delta),
        handlers: new Map(),
        refs: 0,
        timer: undefined,
        channel: undefined,
        retained: undefined,
        failure: undefined,
        listener: (event, data) => onEvent(created, event, data),
      }
      entries.set(name, created)
      e = created
    }
    return e
  }

  const join = (e: Entry) => {
    e.retained = e.failure = undefined
    e.store.reset('subscribing')
    e.channel = pusher.subscribe(e.name)
    e.channel.bind_global(e.listener)
  }

  const leave = (e: Entry) => {
    e.channel?.unbind_global(e.listener)
    e.channel = e.retained = e.failure = undefined
    pusher.unsubscribe(e.name)
    e.store.reset('idle')
  }

  const sync = (e: Entry) => {
    const wanted = !destroyed && (e.refs > 0 || !!e.timer) && !(e.presence && user === null)
    if (wanted && !e.channel) join(e)
    else if (!wanted && e.channel) leave(e)
  }

  const onState = ({ current }: { current: ConnectionState }) => {
    connection.set(current)
    // pusher-js drops every channel's members on disconnect and resubscribes on connect.
    if (current !== 'connected')
      for (const e of entries.values()) if (e.channel) e.store.reset('subscribing')
  }
  pusher.connection.bind('state_change', onState)

  return {
    pusher,
    subscribe(name) {
      const e = entry(name)
      e.refs++
      clearTimeout(e.timer)
      e.timer = undefined
      const { status } = e.store.getSnapshot()
      if (e.channel && status !== 'subscribing' && status !== 'subscribed') {
        // A failed channel: ask pusher-js again (it re-runs authorization).
        e.store.reset('subscribing')
        pusher.subscribe(name)
      }
      sync(e)
      let released = false
      return {
        name,
        get channel() {
          return e.channel
        },
        release() {
          if (released) return
          released = true
          if (--e.refs === 0) {
            e.timer = setTimeout(() => {
              e.timer = undefined
              sync(e)
            }, graceMs)
          }
        },
      }
    },
    members<Info>(name: string) {
      return entry(name).store as Store<MemberSnapshot> as Store<MemberSnapshot<Info>>
    },
    on<Data>(name: string, event: string, handler: EventHandler<Data>) {
      const { handlers } = entry(name)
      const set = handlers.get(event) ?? new Set()
      handlers.set(event, set)
      const h: EventHandler = (data) => handler(data as Data)
      set.add(h)
      return () => {
        set.delete(h)
      }
    },
    setUser(next: PresenceUser | null) {
      const prev = user
      user = next
      userStore.set(next)
      const rejoin = next === null || (prev != null && prev.id !== next.id)
      for (const e of entries.values()) {
        if (!e.presence) continue
        if (rejoin && e.channel) leave(e)
        sync(e)
      }
    },
    user: userStore,
    online,
    connection,
    disconnect() {
      pusher.disconnect()
    },
    destroy() {
      destroyed = true
      for (const e of entries.values()) {
        clearTimeout(e.timer)
        e.timer = undefined
        sync(e)
        e.handlers.clear()
      }
      pusher.connection.unbind('state_change', onState)
      if (owned) pusher.disconnect()
    },
  }
}

import type { Channel } from 'pusher-js'
import type { AuthOutcome, AuthPayload } from './auth-response.js'
import { createAuthorizer } from './authorizer.js'
import { fail } from './errors.js'
import { createMemberStore, type MemberStore, type PusherMembers } from './member-store.js'
import { createOnlineStore } from './online-store.js'
import { createStore } from './store.js'
import type {
  ConnectionState,
  EventHandler,
  MemberSnapshot,
  PresenceClient,
  PresenceClientOptions,
  PresenceUser,
  PusherLike,
  Store,
  SubscriptionHandle,
} from './types.js'

/** Options of {@link createClient}: a pusher-js instance only. @internal */
export type CoreClientOptions = Omit<PresenceClientOptions, 'pusher'> & { pusher: PusherLike }

/** One channel known to the client (its state lives in the closure). */
interface ChannelState {
  store: MemberStore
  /** `[event, handler]` pairs: a pair per `on()`, so one function bound twice needs two unbinds. */
  handlers: Set<[string, EventHandler]>
  presence: boolean
  /** Joins or leaves to match refs, grace and user; `rejoin` leaves first. */
  sync(rejoin?: boolean): void
  /** Takes a reference. */
  acquire(): SubscriptionHandle
  /** The authorizer's answer, before pusher-js hears it; `false` asks again. */
  outcome(o: AuthOutcome): boolean | undefined
  /** The socket dropped: pusher-js forgot the members and will resubscribe. */
  dropped(): void
}

/**
 * Builds a {@link PresenceClient} around an existing pusher-js instance,
 * replacing its channel authorizer. No pusher-js import: safe with
 * `pusher-js/worker` in a service worker.
 *
 * @param options - the client options (their `pusher` is not read).
 * @param pusher - the pusher-js instance.
 * @param owned - whether `destroy()` disconnects the instance.
 * @returns the client.
 * @internal
 */
export function createClient(
  options: Omit<PresenceClientOptions, 'pusher'>,
  pusher: PusherLike,
  owned?: boolean,
): PresenceClient {
  const { graceMs = 50 } = options
  const channels = new Map<string, ChannelState>()
  let user = options.user
  let destroyed = false
  const online = createOnlineStore()
  const userStore = createStore(user)
  const connection = createStore(pusher.connection.state as ConnectionState)

  pusher.config.channelAuthorizer = createAuthorizer(options.auth, (name, o) =>
    channels.get(name)?.outcome(o),
  )

  const channel = (name: string): ChannelState => {
    const known = channels.get(name)
    if (known) return known
    const presence = name.startsWith('presence-')
    const store = createMemberStore(online.delta)
    const handlers = new Set<[string, EventHandler]>()
    let refs = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    let bound: Channel | undefined
    // The authorizer's answer, for the `subscription_succeeded` (retained events) or `_error` that follows.
    let answer: AuthOutcome | undefined
    // An authorization will answer (pusher-js asked, or will on connect) / its answer is for the previous user.
    let authorizing = false
    let stale = false
    const pending = () => {
      authorizing = true
      store.reset('subscribing')
    }

    const dispatch = (event: string, data: unknown) => {
      for (const [e, h] of [...handlers]) {
        try {
          if (e === event) h(data)
        } catch (error) {
          // A throwing handler must not stop the others nor pusher-js: rethrow it asynchronously.
          setTimeout(() => {
            throw error
          })
        }
      }
    }

    const listener = (event: string, data: unknown) => {
      const d = (data ?? {}) as { id: string; info?: unknown; status?: number; error?: string }
      if (event === 'pusher:subscription_succeeded') {
        if (presence) store.replace(data as PusherMembers)
        else store.reset('subscribed')
        dispatch(event, data)
        const events = (answer as AuthPayload | undefined)?.events
        answer = undefined
        if (Array.isArray(events)) for (const r of events) dispatch(r?.event, r?.data)
        return
      }
      if (event === 'pusher:subscription_error') {
        // The websocket server's refusal (4100: the presence channel is full), unless the authorizer's.
        const { code, status, message } =
          answer instanceof Error
            ? answer
            : fail(
                d.status === 4100 ? 'MEMBER_LIMIT' : 'SUBSCRIPTION_ERROR',
                { status: d.status ?? 0, channel: name },
                d.error,
              )
        answer = undefined
        // pusher-js leaves a channel refused by the websocket server (e.g. 4100) pending,
        // which would swallow the retry and the unsubscribe: settle it as an auth failure does.
        if (bound) bound.subscriptionPending = false
        store.reset(status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : 'error', {
          code,
          status,
          message,
        })
      } else if (event === 'pusher:member_added') store.add(d.id, d.info)
      else if (event === 'pusher:member_removed') store.remove(d.id)
      dispatch(event, data)
    }

    const sync = (rejoin = false) => {
      const wanted = !destroyed && (refs || timer) && !(presence && user === null)
      if (bound && rejoin && wanted && authorizing) {
        // Leaving now would only cancel: pusher-js would still send the old answer.
        // Ask again when it lands, with the new user's headers.
        stale = true
        return
      }
      if (bound && (rejoin || !wanted)) {
        bound.unbind_global(listener)
        bound = undefined
        stale = false
        pusher.unsubscribe(name)
        store.reset('idle')
      }
      if (wanted && !bound) {
        answer = undefined
        pending()
        bound = pusher.subscribe(name)
        bound.bind_global(listener)
      }
    }

    const state: ChannelState = {
      store,
      handlers,
      presence,
      sync,
      outcome(o) {
        if (stale) {
          // Asked again: still authorizing, for the current user this time.
          stale = false
          return false
        }
        authorizing = false
        answer = o
      },
      dropped() {
        if (bound) pending()
      },
      acquire() {
        refs++
        clearTimeout(timer)
        timer = undefined
        const { status } = store.getSnapshot()
        if (bound && status !== 'subscribing' && status !== 'subscribed') {
          // A failed channel: ask pusher-js again (it re-runs authorization).
          pending()
          pusher.subscribe(name)
        }
        sync()
        let released = false
        return {
          name,
          get channel() {
            return bound
          },
          release() {
            if (released) return
            released = true
            if (!--refs) {
              timer = setTimeout(() => {
                timer = undefined
                sync()
              }, graceMs)
            }
          },
        }
      },
    }
    channels.set(name, state)
    return state
  }

  const onState = ({ current }: { current: ConnectionState }) => {
    connection.set(current)
    if (current === 'connected') {
      // state_change runs before pusher-js's resubscribe-all. A channel left while its
      // authorization was in flight is still in pusher-js's table, cancelled, and would
      // be subscribed again by nobody's request (a ghost member): drop it first.
      for (const c of pusher.allChannels())
        if (c.subscriptionCancelled) pusher.channels.remove(c.name)
    } else {
      // pusher-js drops every channel's members on disconnect and resubscribes on connect.
      for (const c of channels.values()) c.dropped()
    }
  }
  pusher.connection.bind('state_change', onState)

  return {
    pusher,
    subscribe: (name) => channel(name).acquire(),
    members: <Info>(name: string) =>
      channel(name).store as Store<MemberSnapshot> as Store<MemberSnapshot<Info>>,
    on<Data>(name: string, event: string, handler: EventHandler<Data>) {
      const { handlers } = channel(name)
      const pair: [string, EventHandler] = [event, handler as EventHandler]
      handlers.add(pair)
      return () => {
        handlers.delete(pair)
      }
    },
    setUser(next: PresenceUser | null) {
      const rejoin = !next || (!!user && user.id !== next.id)
      user = next
      userStore.set(next)
      for (const c of channels.values()) if (c.presence) c.sync(rejoin)
    },
    user: userStore,
    online,
    connection,
    disconnect: () => pusher.disconnect(),
    destroy() {
      destroyed = true
      for (const c of channels.values()) {
        c.sync()
        c.handlers.clear()
      }
      pusher.connection.unbind('state_change', onState)
      if (owned) pusher.disconnect()
    },
  }
}

import { createAuthorizer } from './authorizer.js'
import { type ClientChannel, createChannel } from './channel.js'
import type { AnyState } from './channel-map.js'
import { createConnectionRecovery } from './connection-recovery.js'
import { createOnlineStore } from './online-store.js'
import type { PresenceClientOptions, PresenceUser, PusherLike } from './options.js'
import { createOutbox } from './outbox.js'
import { forgetCancelledSubscriptions, installChannelAuthorizer } from './pusher-internals.js'
import { createSignIn } from './sign-in.js'
import type { ConnectionState, MemberSnapshot, Store, TabsSnapshot } from './snapshots.js'
import { createStore } from './store.js'
import { createTokenRefresh } from './token-refresh.js'
import type { EventHandler, PresenceClient } from './types.js'
import { createValidator } from './validate.js'

/** Options of `createPresenceClient` from `@presence/client/core`: `pusher` is a pusher-js instance. */
export type CoreClientOptions = Omit<PresenceClientOptions, 'pusher'> & { pusher: PusherLike }

/** The channel table of each client, for tests and benchmarks that check it empties. */
const channelTables = new WeakMap<PresenceClient, ReadonlyMap<string, ClientChannel>>()

/**
 * The number of channels a client currently keeps state for.
 *
 * @param client - a client from `createPresenceClient`.
 * @returns the size of its channel table.
 * @internal
 */
export function channelTableSize(client: PresenceClient): number {
  return channelTables.get(client)?.size ?? 0
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
  const graceMs = options.graceMs ?? 50
  const channels = new Map<string, ClientChannel>()
  let user = options.user
  let destroyed = false
  const online = createOnlineStore()
  const userStore = createStore(user)
  const connection = createStore(pusher.connection.state as ConnectionState)
  const recovery = createConnectionRecovery(pusher, options.reconnect)
  const validated = createValidator(options)
  const onUnauthorized = options.auth?.onUnauthorized
  const refresh = onUnauthorized ? createTokenRefresh(onUnauthorized) : undefined
  const outbox = createOutbox()
  let clientEventsRefused = false

  const context = {
    pusher,
    graceMs,
    leaveGraceMs: options.leaveGraceMs ?? 3000,
    outbox,
    validate: validated,
    clientEventsRefused: () => clientEventsRefused,
    onMemberDelta: online.delta,
    mayJoin: (presence: boolean) => !destroyed && !(presence && user === null),
    forget(channel: ClientChannel) {
      if (channels.get(channel.name) === channel) channels.delete(channel.name)
    },
    remember(channel: ClientChannel) {
      if (!channels.has(channel.name)) channels.set(channel.name, channel)
    },
  }

  const channelNamed = (name: string): ClientChannel => {
    let channel = channels.get(name)
    if (!channel) {
      channel = createChannel(name, context)
      channels.set(name, channel)
      // Read (members, on) without being subscribed: forgotten unless something holds it.
      channel.forgetWhenUnused()
    }
    return channel
  }

  installChannelAuthorizer(
    pusher,
    createAuthorizer(
      options.auth,
      (name, outcome, socketId) => {
        // An answer for a socket that is gone: pusher-js authorizes again on the new one.
        if (socketId !== pusher.connection.socket_id) return 'drop'
        return channels.get(name)?.authorized(outcome) ?? 'deliver'
      },
      refresh,
    ),
  )
  const signIn = createSignIn({ pusher, auth: options.auth, refresh, user: () => user })

  const connectionLost = () => {
    for (const channel of channels.values()) channel.send('connection-lost')
  }
  const onStateChange = ({ current }: { current: ConnectionState }) => {
    connection.set(current)
    if (current === 'connected') forgetCancelledSubscriptions(pusher)
    else connectionLost()
  }
  pusher.connection.bind('state_change', onStateChange)
  // pusher-js stays `connected` for the 1 s before it retries a dropped socket, announcing
  // only the retry: channels read `reconnecting` from the drop on, not a second later.
  pusher.connection.bind('connecting_in', connectionLost)
  // Pusher error 4301: the app does not allow client events. Shown once on the channels that
  // sent some, and no more are sent (no loop of refused events).
  const onError = (error: { data?: { code?: unknown } } | undefined) => {
    if (error?.data?.code !== 4301) return
    clientEventsRefused = true
    for (const channel of channels.values()) channel.refuseClientEvents()
  }
  pusher.connection.bind('error', onError)

  const client: PresenceClient = {
    pusher,
    subscribe: (name) => channelNamed(name).acquire(),
    members: <Info, State>(name: string) =>
      channelNamed(name).store as Store<MemberSnapshot> as Store<MemberSnapshot<Info, State>>,
    on: <Data>(name: string, event: string, handler: EventHandler<Data>) =>
      channelNamed(name).bind(event, validated(name, event, handler as EventHandler)),
    updateMyState: (name: string, patch: AnyState) => channelNamed(name).updateState(patch),
    whisper: (name: string, event: string, data: unknown) =>
      channelNamed(name).whisper(event, data),
    setUser(next: PresenceUser | null) {
      const switched = next !== null && user != null && user.id !== next.id
      const previous = user
      user = next
      signIn.userChanged(previous, next)
      userStore.set(next)
      for (const channel of channels.values()) {
        if (!channel.presence) continue
        if (switched) channel.send('user-changed')
        channel.sync()
      }
    },
    user: userStore,
    online,
    connection,
    recovery: recovery.store,
    signIn: signIn.store,
    tabs: createStore<TabsSnapshot>({ role: 'own' }),
    disconnect: () => pusher.disconnect(),
    destroy() {
      destroyed = true
      recovery.stop()
      signIn.stop()
      for (const channel of channels.values()) {
        channel.sync()
        channel.unbindAll()
      }
      pusher.connection.unbind('state_change', onStateChange)
      pusher.connection.unbind('connecting_in', connectionLost)
      pusher.connection.unbind('error', onError)
      outbox.clear()
      if (owned) pusher.disconnect()
    },
  }
  channelTables.set(client, channels)
  return client
}
